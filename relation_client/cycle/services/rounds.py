"""A round's moves: start, advance one stage, close Évoluer into the next round.

Two managers may steer the same segment at once: every move locks the round (or, to
start one, the segment) and checks the guards on what it read under the lock.
"""

from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from agences.models import Agent
from relation_client.customers.models import Segment
from relation_client.cycle.models import (
    AdaptedService,
    Control,
    PrivilegeAction,
    Round,
    Stage,
    StageTransition,
    WrittenCommitment,
)
from relation_client.cycle.rules import advance_refusal, close_refusal
from socle.errors import DomainError


def locked_round(round: Round) -> Round:
    return Round.objects.select_for_update().select_related("segment").get(pk=round.pk)


def round_start(*, segment: Segment, by: Agent) -> Round:
    """The segment's next round, at Identifier; refused while one is in progress."""
    with transaction.atomic():
        # lock: two managers may start the segment's round at the same moment
        Segment.objects.select_for_update().get(pk=segment.pk)
        if Round.objects.filter(segment=segment, closed_at__isnull=True).exists():
            raise DomainError(
                "already_running", _("Un tour du cycle est déjà en cours pour ce segment.")
            )
        last = Round.objects.filter(segment=segment).aggregate(last=Max("number"))["last"]
        now = timezone.now()
        round = Round.objects.create(
            segment=segment,
            number=(last or 0) + 1,
            stage=Stage.IDENTIFY,
            started_at=now,
            started_by=by,
        )
        StageTransition.objects.create(round=round, to_stage=Stage.IDENTIFY, by=by, at=now)
    return round


def round_advance(*, round: Round, to_stage: str, by: Agent) -> Round:
    """Move the round to the next stage, if its guard lets it."""
    with transaction.atomic():
        locked = locked_round(round)
        refusal = advance_refusal(round=locked, to_stage=to_stage)
        if refusal is not None:
            raise refusal
        StageTransition.objects.create(
            round=locked, from_stage=locked.stage, to_stage=to_stage, by=by
        )
        locked.stage = to_stage
        locked.save(update_fields=["stage"])
    return locked


def round_close(*, round: Round, by: Agent) -> Round:
    """Close Évoluer: the round ends and the segment goes round again at Identifier,
    with the open items carried over. Returns the new round.

    Open items: adapted services, privilege actions and written commitments that go on
    after today (no end date, or one still ahead), and controls never measured.
    """
    with transaction.atomic():
        locked = locked_round(round)
        refusal = close_refusal(round=locked)
        if refusal is not None:
            raise refusal
        now = timezone.now()
        locked.closed_at = now
        locked.closed_by = by
        locked.save(update_fields=["closed_at", "closed_by"])
        following = Round.objects.create(
            segment=locked.segment,
            number=locked.number + 1,
            stage=Stage.IDENTIFY,
            previous=locked,
            started_at=now,
            started_by=by,
        )
        StageTransition.objects.create(
            round=following, from_stage=Stage.EVOLVE, to_stage=Stage.IDENTIFY, by=by, at=now
        )
        _carry_over(source=locked, target=following, by=by, now=now)
    return following


def _carry_over(*, source: Round, target: Round, by: Agent, now) -> None:
    today = timezone.localdate(now)
    still_open = Q(ends_on__isnull=True) | Q(ends_on__gt=today)
    stamp = {"round": target, "recorded_by": by, "recorded_at": now}

    services = source.adapted_services.filter(still_open)
    AdaptedService.objects.bulk_create(
        AdaptedService(
            what=s.what,
            for_whom=s.for_whom,
            starts_on=s.starts_on,
            ends_on=s.ends_on,
            carried_from=s,
            **stamp,
        )
        for s in services
    )
    actions = list(source.privilege_actions.filter(still_open))
    copies = PrivilegeAction.objects.bulk_create(
        PrivilegeAction(
            kind=a.kind,
            description=a.description,
            starts_on=a.starts_on,
            ends_on=a.ends_on,
            carried_from=a,
            **stamp,
        )
        for a in actions
    )
    action_copy = {a.pk: copy for a, copy in zip(actions, copies, strict=True)}
    commitments = source.commitments.filter(still_open)
    WrittenCommitment.objects.bulk_create(
        WrittenCommitment(
            title=c.title,
            text=c.text,
            partner_id=c.partner_id,
            partner_commitment_id=c.partner_commitment_id,
            starts_on=c.starts_on,
            ends_on=c.ends_on,
            carried_from=c,
            **stamp,
        )
        for c in commitments
    )
    unmeasured = source.controls.filter(measured_value__isnull=True)
    Control.objects.bulk_create(
        Control(
            indicator=c.indicator,
            label=c.label,
            unit=c.unit,
            higher_is_better=c.higher_is_better,
            target=c.target,
            action=action_copy.get(c.action_id),
            is_key=c.is_key,
            carried_from=c,
            **stamp,
        )
        for c in unmeasured
    )
