"""The records of each stage: audits, adapted services, privilege actions and written
commitments, controls and their measures, decisions.

Every write locks the round first: a colleague may be moving or closing it, and a record
added to a round being closed would miss the carry-over into the next one.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agences.models import Agent, Partner, PartnerCommitment
from relation_client.cycle import indicators
from relation_client.cycle.models import (
    STAGE_ORDER,
    AdaptedService,
    AuditFinding,
    Control,
    Decision,
    FindingSource,
    OngoingRecord,
    PrivilegeAction,
    PrivilegeKind,
    Round,
    Stage,
    WrittenCommitment,
)
from relation_client.cycle.rules import record_refusal
from relation_client.cycle.services.rounds import locked_round
from socle.errors import DomainError


def _open_for(round: Round, stage: str) -> Round:
    """Lock the round and check that records of `stage` may be added to it."""
    locked = locked_round(round)
    refusal = record_refusal(round=locked, stage=stage)
    if refusal is not None:
        raise refusal
    return locked


def _required(value: str, field: str, message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError("required", message, field=field)
    return value


def _check_dates(starts_on: datetime.date, ends_on: datetime.date | None) -> None:
    if ends_on is not None and ends_on < starts_on:
        raise DomainError(
            "ends_before_start", _("La fin ne peut précéder le début."), field="ends_on"
        )


def finding_add(
    *,
    round: Round,
    by: Agent,
    finding: str,
    source: str,
    detail: str = "",
    partners: list[Partner] | None = None,
) -> AuditFinding:
    finding = _required(finding, "finding", _("Dites ce que les clients attendent."))
    if source not in FindingSource.values:
        raise DomainError("invalid_source", _("Source inconnue."), field="source")
    with transaction.atomic():
        locked = _open_for(round, AuditFinding.STAGE)
        record = AuditFinding(
            round=locked, finding=finding, detail=detail, source=source, recorded_by=by
        )
        record.full_clean()
        record.save()
        if partners:
            record.partners.set(partners)
    return record


def adapted_service_add(
    *,
    round: Round,
    by: Agent,
    what: str,
    for_whom: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
) -> AdaptedService:
    what = _required(what, "what", _("Dites ce qui change."))
    for_whom = _required(for_whom, "for_whom", _("Dites pour qui."))
    _check_dates(starts_on, ends_on)
    with transaction.atomic():
        locked = _open_for(round, AdaptedService.STAGE)
        record = AdaptedService(
            round=locked,
            what=what,
            for_whom=for_whom,
            starts_on=starts_on,
            ends_on=ends_on,
            recorded_by=by,
        )
        record.full_clean()
        record.save()
    return record


def privilege_action_add(
    *,
    round: Round,
    by: Agent,
    kind: str,
    description: str,
    starts_on: datetime.date,
    ends_on: datetime.date | None = None,
) -> PrivilegeAction:
    description = _required(description, "description", _("Décrivez l'action."))
    if kind not in PrivilegeKind.values:
        raise DomainError("invalid_kind", _("Nature d'action inconnue."), field="kind")
    _check_dates(starts_on, ends_on)
    with transaction.atomic():
        locked = _open_for(round, PrivilegeAction.STAGE)
        record = PrivilegeAction(
            round=locked,
            kind=kind,
            description=description,
            starts_on=starts_on,
            ends_on=ends_on,
            recorded_by=by,
        )
        record.full_clean()
        record.save()
    return record


def written_commitment_add(
    *,
    round: Round,
    by: Agent,
    title: str,
    starts_on: datetime.date,
    text: str = "",
    partner: Partner | None = None,
    partner_commitment: PartnerCommitment | None = None,
    ends_on: datetime.date | None = None,
) -> WrittenCommitment:
    title = _required(title, "title", _("Donnez l'engagement en une phrase."))
    _check_dates(starts_on, ends_on)
    if partner_commitment is not None:
        if partner is None:
            partner = partner_commitment.partner
        elif partner_commitment.partner_id != partner.pk:
            raise DomainError(
                "partner_mismatch",
                _("Cet engagement de convention concerne un autre partenaire."),
                field="partner_commitment",
            )
    with transaction.atomic():
        locked = _open_for(round, WrittenCommitment.STAGE)
        record = WrittenCommitment(
            round=locked,
            title=title,
            text=text,
            partner=partner,
            partner_commitment=partner_commitment,
            starts_on=starts_on,
            ends_on=ends_on,
            recorded_by=by,
        )
        record.full_clean()
        record.save()
    return record


def control_add(
    *,
    round: Round,
    by: Agent,
    indicator: str,
    target: Decimal,
    label: str = "",
    higher_is_better: bool | None = None,
    action: PrivilegeAction | None = None,
    is_key: bool = False,
    measured_value: Decimal | None = None,
) -> Control:
    """A control on a registered indicator. The manual indicator needs a label saying what
    is measured, and may take its first value right away; a computed one is measured with
    control_measure."""
    found = indicators.get(indicator)
    if found is None:
        raise DomainError("unknown_indicator", _("Indicateur inconnu."), field="indicator")
    if found.is_manual:
        label = _required(label, "label", _("Dites ce que mesure cet indicateur."))
    elif measured_value is not None:
        raise DomainError(
            "computed_indicator",
            _("Cet indicateur est calculé : utilisez « Mesurer » plutôt qu'une saisie."),
            field="measured_value",
        )
    with transaction.atomic():
        locked = _open_for(round, Control.STAGE)
        if action is not None and action.round_id != locked.pk:
            raise DomainError(
                "action_mismatch", _("Cette action appartient à un autre tour."), field="action"
            )
        if is_key:
            # one key control per round: the new one takes over
            locked.controls.filter(is_key=True).update(is_key=False)
        now = timezone.now()
        record = Control(
            round=locked,
            indicator=found.code,
            label=label or str(found.label),
            unit=found.unit,
            higher_is_better=(
                found.higher_is_better if higher_is_better is None else higher_is_better
            ),
            target=target,
            action=action,
            is_key=is_key,
            recorded_by=by,
            recorded_at=now,
        )
        if measured_value is not None:
            record.measured_value = measured_value
            record.measured_at = now
            record.measured_by = by
        record.full_clean()
        record.save()
    return record


def _measure(control: Control, by: Agent | None, value: Decimal | None, now) -> Control:
    found = indicators.get(control.indicator)
    if found is None:
        raise DomainError(
            "unknown_indicator",
            _("L'indicateur « %(code)s » n'est plus disponible.") % {"code": control.indicator},
        )
    if found.is_manual:
        if value is None:
            raise DomainError("required", _("Saisissez la valeur mesurée."), field="value")
    else:
        if value is not None:
            raise DomainError(
                "computed_indicator",
                _("Cet indicateur est calculé : la valeur ne se saisit pas."),
                field="value",
            )
        value = found.compute(segment=control.round.segment, now=now)
        if value is None:
            raise DomainError(
                "no_data",
                _("Pas encore de données pour mesurer « %(label)s » sur ce segment.")
                % {"label": control.label},
                field="value",
            )
    control.measured_value = value
    control.measured_at = now
    control.measured_by = by
    control.full_clean()
    control.save(update_fields=["measured_value", "measured_at", "measured_by"])
    return control


def control_measure(
    *,
    control: Control,
    by: Agent,
    value: Decimal | None = None,
    now: datetime.datetime | None = None,
) -> Control:
    """Store the indicator's current value for the round's segment (computed, or typed
    for the manual indicator). Allowed from Contrôler on, while the round is open."""
    now = now or timezone.now()
    with transaction.atomic():
        locked = _open_for(control.round, Stage.CONTROL)
        control = Control.objects.select_for_update().get(pk=control.pk, round=locked)
        control.round = locked
        return _measure(control, by, value, now)


def controls_measure_open(*, now: datetime.datetime | None = None) -> int:
    """Measure every computed control of the rounds at Contrôler or Évoluer (the nightly
    job); controls without data this time are left as they were. Returns how many."""
    now = now or timezone.now()
    measured = 0
    stages = STAGE_ORDER[STAGE_ORDER.index(Stage.CONTROL) :]
    round_ids = list(
        Round.objects.filter(closed_at__isnull=True, stage__in=stages).values_list("pk", flat=True)
    )
    for round_id in round_ids:
        with transaction.atomic():
            try:
                locked = _open_for(Round(pk=round_id), Stage.CONTROL)
            except DomainError:
                continue  # closed or moved meanwhile
            for control in locked.controls.select_for_update():
                found = indicators.get(control.indicator)
                if found is None or found.is_manual:
                    continue
                control.round = locked
                try:
                    _measure(control, None, None, now)
                except DomainError:
                    continue  # no data this time: keep the previous measure
                measured += 1
    return measured


def decision_add(
    *, round: Round, by: Agent, decision: str, rationale: str, controls: list[Control]
) -> Decision:
    decision = _required(decision, "decision", _("Énoncez la décision."))
    rationale = _required(rationale, "rationale", _("Justifiez la décision."))
    with transaction.atomic():
        locked = _open_for(round, Decision.STAGE)
        wanted = {control.pk for control in controls}
        usable = set(
            locked.controls.filter(pk__in=wanted, measured_value__isnull=False).values_list(
                "pk", flat=True
            )
        )
        if not wanted:
            raise DomainError(
                "no_control",
                _("Une décision s'appuie sur au moins un résultat de contrôle."),
                field="controls",
            )
        if usable != wanted:
            raise DomainError(
                "control_not_usable",
                _("Une décision ne s'appuie que sur des contrôles mesurés de ce tour."),
                field="controls",
            )
        record = Decision(round=locked, decision=decision, rationale=rationale, recorded_by=by)
        record.full_clean()
        record.save()
        record.controls.set(usable)
    return record


def item_end(*, item: OngoingRecord, by: Agent, on: datetime.date | None = None) -> OngoingRecord:
    """End an adapted service, privilege action or written commitment: an ended item is
    not carried into the next round."""
    on = on or timezone.localdate()
    model = type(item)
    with transaction.atomic():
        # whatever the stage: an item carried over may end while the next round identifies
        locked = locked_round(item.round)
        if not locked.is_open:
            raise DomainError("round_closed", _("Ce tour est clos : son dossier ne change plus."))
        item = model.objects.select_for_update().get(pk=item.pk, round=locked)
        if item.ends_on is not None and item.ends_on <= on:
            raise DomainError("already_ended", _("Cet élément est déjà terminé."))
        if on < item.starts_on:
            raise DomainError(
                "ends_before_start", _("La fin ne peut précéder le début."), field="ends_on"
            )
        item.ends_on = on
        item.save(update_fields=["ends_on"])
    return item
