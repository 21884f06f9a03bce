"""A request's deadline in words: the rule it was counted by, a paused clock."""

from django import template
from django.utils.translation import gettext as _

from relation_client.customers.models import Customer, Segment, priority_words
from relation_client.touchpoints.deadlines import (
    FALLBACK,
    channel_rules,
    commitment_rule,
    has_lunch_break,
)
from relation_client.touchpoints.models import Request

register = template.Library()

_agency_cached = Request._meta.get_field("agency").is_cached
_segment_cached = Customer._meta.get_field("segment").is_cached


def _holder(context):
    return context.get("request") or context.render_context


def _rules(context) -> dict[str, tuple[int, str]]:
    # one query per page, whatever the number of deadlines shown
    holder = _holder(context)
    rules = getattr(holder, "_channel_rules", None)
    if rules is None:
        rules = holder._channel_rules = channel_rules()
    return rules


def _segment(context, req: Request) -> Segment | None:
    """The segment of the request's customer, from one load of the (short) segment list
    per page; the customer is read from the request as loaded by the page's selector."""
    if req.customer_id is None:
        return None
    # the pages' selectors load the customer with the request (select_related, or the
    # customer page's prefetch of its requests): no query here
    customer = req.customer
    if customer.segment_id is None:
        return None
    if _segment_cached(customer):
        return customer.segment
    holder = _holder(context)
    segments = getattr(holder, "_segments", None)
    if segments is None:
        segments = holder._segments = Segment.objects.in_bulk()
    return segments.get(customer.segment_id)


@register.simple_tag(takes_context=True)
def deadline_rule(context, req: Request, why: bool = True) -> str:
    """ "2 jours ouvrés", "8 heures ouvrées · pause déjeuner exclue": the channel's
    commitment (the break is told when the request's agency is loaded on the page);
    shortened for a segment answered faster, with its name: "1 jour ouvré, réduit à
    4 heures ouvrées : Personnes à mobilité réduite" (`why=False` on the partner space:
    the shortened commitment without the customer's category)."""
    amount, unit = _rules(context).get(req.channel, FALLBACK)
    lunch = _agency_cached(req) and has_lunch_break(req.agency)
    return commitment_rule(
        amount=amount, unit=unit, lunch_break=lunch, segment=_segment(context, req), why=why
    )


@register.simple_tag(takes_context=True)
def request_priority(context, req: Request) -> str:
    """The request's priority in words, with its customer's segment: "Priorité maximale —
    Personnes à mobilité réduite", "Standard — Visiteurs", "Standard" (no segment)."""
    words = priority_words(req.priority)
    segment = _segment(context, req)
    if segment is None:
        return words
    return f"{words} — {segment.name}"


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
