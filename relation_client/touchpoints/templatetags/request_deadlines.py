"""A request's deadline in words: the rule it was counted by, a paused clock."""

from django import template
from django.utils.translation import gettext as _

from relation_client.touchpoints.deadlines import (
    FALLBACK,
    channel_rules,
    commitment_rule,
    has_lunch_break,
)
from relation_client.touchpoints.models import Request

register = template.Library()

_agency_cached = Request._meta.get_field("agency").is_cached


def _rules(context) -> dict[str, tuple[int, str]]:
    # one query per page, whatever the number of deadlines shown
    holder = context.get("request") or context.render_context
    rules = getattr(holder, "_channel_rules", None)
    if rules is None:
        rules = holder._channel_rules = channel_rules()
    return rules


@register.simple_tag(takes_context=True)
def deadline_rule(context, req: Request) -> str:
    """ "2 jours ouvrés", "8 heures ouvrées · pause déjeuner exclue": the channel's
    commitment (the break is told when the request's agency is loaded on the page)."""
    amount, unit = _rules(context).get(req.channel, FALLBACK)
    lunch = _agency_cached(req) and has_lunch_break(req.agency)
    return commitment_rule(amount=amount, unit=unit, lunch_break=lunch)


@register.filter
def working_duration(minutes: int | None) -> str:
    """Working minutes as people say them: "3 h 05", "13 h", "45 min"."""
    if minutes is None:
        return ""
    hours, rest = divmod(abs(minutes), 60)
    if not hours:
        return _("%(m)s min") % {"m": rest}
    if not rest:
        return _("%(h)s h") % {"h": hours}
    return _("%(h)s h %(m)02d") % {"h": hours, "m": rest}


@register.inclusion_tag("touchpoints/partials/_paused_clock.html")
def paused_clock(req: Request) -> dict:
    return {"req": req}
