"""Whether a page offers the link to a request: `{% if req|workable_by:current_agent %}`.

The rule is the request page's own (selectors.request_workable_by), read on the rows the
page already loaded: no query. Role-wide actions are the navigation flags (`nav`,
agences.context_processors)."""

from django import template

from relation_client.touchpoints.selectors import request_workable_by

register = template.Library()


@register.filter
def workable_by(request, agent) -> bool:
    return request_workable_by(request, agent)
