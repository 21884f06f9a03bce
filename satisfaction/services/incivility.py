"""Incivility reports and their follow-up: acknowledged → support offered → closed."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agences.models import Agent
from relation_client.customers.models import Customer
from relation_client.touchpoints.services import alert_raise
from relation_client.touchpoints.services.alerts import supervisor_of
from satisfaction.models import (
    IncivilityDirection,
    IncivilityKind,
    IncivilityPlace,
    IncivilityReport,
    IncivilityStatus,
    Severity,
)
from socle.errors import DomainError

# Alert.kind telling the agency's supervisor a report awaits them (label in AlertKind)
INCIVILITY_ALERT = "incivility"
CLOCK_SKEW = datetime.timedelta(minutes=5)


def _choice(value, choices, field: str) -> None:
    if value not in choices.values:
        raise DomainError(
            "invalid_choice", _("Valeur inconnue : « %(value)s ».") % {"value": value}, field=field
        )


def incivility_report(
    *,
    reported_by: Agent,
    direction: str,
    kind: str,
    severity: int,
    place: str,
    description: str,
    occurred_at: datetime.datetime,
    agent: Agent | None = None,
    customer: Customer | None = None,
    line_or_station: str = "",
    witnesses: str = "",
) -> IncivilityReport:
    """File a report. `agent` is the member of staff concerned (by default the person
    filing it); the report belongs to that agent's agency, whose supervisor is alerted."""
    _choice(direction, IncivilityDirection, "direction")
    _choice(kind, IncivilityKind, "kind")
    _choice(severity, Severity, "severity")
    _choice(place, IncivilityPlace, "place")
    if not (description or "").strip():
        raise DomainError("required", _("Décrivez ce qui s'est passé."), field="description")
    if occurred_at > timezone.now() + CLOCK_SKEW:
        raise DomainError(
            "future_date",
            _("La date des faits ne peut pas être dans le futur."),
            field="occurred_at",
        )
    concerned = agent or reported_by
    with transaction.atomic():
        report = IncivilityReport.objects.create(
            direction=direction,
            kind=kind,
            severity=severity,
            place=place,
            description=description.strip(),
            occurred_at=occurred_at,
            agency_id=concerned.agency_id,
            agent=concerned,
            customer=customer,
            reported_by=reported_by,
            line_or_station=line_or_station.strip(),
            witnesses=witnesses.strip(),
        )
        recipient = supervisor_of(concerned.agency_id)
        if recipient is not None and recipient.pk not in (reported_by.pk, concerned.pk):
            alert_raise(
                kind=INCIVILITY_ALERT,
                recipient=recipient,
                customer=customer,
                cause=f"incivility:report:{report.pk}",
                params={
                    "severity": report.severity,
                    "kind": report.kind,
                    "agent": concerned.display_name,
                },
            )
    return report


def _locked(report: IncivilityReport, by: Agent) -> IncivilityReport:
    locked = IncivilityReport.objects.select_for_update().get(pk=report.pk)
    if by.pk == locked.agent_id:
        # the person concerned never handles their own case
        raise DomainError(
            "own_report", _("Ce signalement vous concerne : un autre responsable doit le suivre.")
        )
    return locked


def _refuse(expected: str) -> DomainError:
    return DomainError("invalid_status", expected, field="status")


def incivility_acknowledge(*, report: IncivilityReport, by: Agent) -> IncivilityReport:
    with transaction.atomic():
        # lock: two managers may act on the same report at once
        locked = _locked(report, by)
        if locked.status != IncivilityStatus.REPORTED:
            raise _refuse(_("Ce signalement est déjà pris en compte."))
        locked.status = IncivilityStatus.ACKNOWLEDGED
        locked.acknowledged_at = timezone.now()
        locked.acknowledged_by = by
        locked.save(update_fields=["status", "acknowledged_at", "acknowledged_by"])
    return locked


def incivility_offer_support(*, report: IncivilityReport, by: Agent, note: str) -> IncivilityReport:
    if not (note or "").strip():
        raise DomainError(
            "required", _("Précisez le soutien proposé (entretien, accompagnement…)."), field="note"
        )
    with transaction.atomic():
        locked = _locked(report, by)
        if locked.status != IncivilityStatus.ACKNOWLEDGED:
            raise _refuse(_("Prenez d'abord le signalement en compte."))
        locked.status = IncivilityStatus.SUPPORT_OFFERED
        locked.support_offered_at = timezone.now()
        locked.support_note = note.strip()
        locked.save(update_fields=["status", "support_offered_at", "support_note"])
    return locked


def incivility_close(*, report: IncivilityReport, by: Agent, note: str = "") -> IncivilityReport:
    with transaction.atomic():
        locked = _locked(report, by)
        if locked.status == IncivilityStatus.CLOSED:
            raise _refuse(_("Ce signalement est déjà clos."))
        if locked.status == IncivilityStatus.REPORTED:
            raise _refuse(_("Prenez d'abord le signalement en compte."))
        locked.status = IncivilityStatus.CLOSED
        locked.closed_at = timezone.now()
        locked.closed_by = by
        locked.closing_note = (note or "").strip()
        locked.save(update_fields=["status", "closed_at", "closed_by", "closing_note"])
    return locked
