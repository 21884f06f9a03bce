"""Compliments: a touchpoint with the "compliment" reason becomes a Compliment routed to
its team, whose supervision is told through the core's alerts (the same recipients and
escalation as every alert: `alert_recipient_for`)."""

from django.utils.translation import gettext as _

from agences.models import Agency
from relation_client.touchpoints.models import AlertKind, Direction, Touchpoint, TouchpointKind
from relation_client.touchpoints.services import alert_raise
from relation_client.touchpoints.services.alerts import alert_recipient_for
from satisfaction.common import words_without_names
from satisfaction.models import (
    COMPLIMENT_REASON,
    LINE_PATTERN,
    Compliment,
    ComplimentTarget,
    LineRoute,
    line_normalise,
)
from socle.errors import DomainError

WORDS_IN_ALERT = 160


def is_compliment(touchpoint: Touchpoint) -> bool:
    return (
        touchpoint.reason.code == COMPLIMENT_REASON
        and touchpoint.direction == Direction.INBOUND
        and touchpoint.kind == TouchpointKind.INTERACTION
    )


def customer_names(customer) -> list[str]:
    if customer is None:
        return []
    return [customer.first_name, customer.last_name, getattr(customer, "preferred_name", "")]


def compliment_record(
    *, touchpoint: Touchpoint, agency: Agency | None = None, line: str = ""
) -> Compliment | None:
    """Route the thanks of a touchpoint: to `line`'s drivers through its LineRoute (the
    network's direction when the line has none), else to `agency`, by default the
    customer's agency or the agent's. None when the touchpoint is not a compliment."""
    line = line_normalise(line)
    if not is_compliment(touchpoint):
        if line or agency is not None:
            raise DomainError(
                "not_a_compliment",
                _("L'agence ou la ligne remerciée ne s'indique que pour un remerciement."),
                field="compliment_line" if line else "compliment_agency",
            )
        return None
    if line and agency is not None:
        raise DomainError(
            "two_targets",
            _("Un remerciement va à une agence ou à une ligne, pas aux deux."),
            field="compliment_line",
        )
    if line and not LINE_PATTERN.match(line):
        raise DomainError(
            "invalid_line",
            _("Ligne inconnue : « %(line)s » (par exemple 38, C3, T1).") % {"line": line},
            field="compliment_line",
        )
    usual = None
    if line:
        route = LineRoute.objects.select_related("recipient__user").filter(line=line).first()
        target, agency_id = ComplimentTarget.LINE, route.agency_id if route else None
        usual = route.recipient if route else None
    else:
        customer = touchpoint.customer
        home = customer.home_agency_id if customer is not None else None
        target = ComplimentTarget.AGENCY
        agency_id = agency.pk if agency is not None else home or touchpoint.agency_id
    compliment = Compliment.objects.create(
        touchpoint=touchpoint,
        target=target,
        agency_id=agency_id,
        line=line,
        channel=touchpoint.channel,
        occurred_at=touchpoint.occurred_at,
    )
    words = words_without_names(touchpoint.summary, customer_names(touchpoint.customer))
    if len(words) > WORDS_IN_ALERT:
        words = words[: WORDS_IN_ALERT - 1] + "…"
    # no customer on the alert: the team reads the thanks, not who gave them
    alert_raise(
        kind=AlertKind.COMPLIMENT,
        recipient=alert_recipient_for(usual_contact=usual, agency_id=agency_id),
        agency_id=agency_id,
        cause=f"compliment:{compliment.pk}",
        code="compliment.line" if line else "compliment",
        params={"line": line, "words": words} if line else {"words": words},
    )
    return compliment
