"""Drawing a week's sample, reviewing a sampled request, and opening an item for Évoluer
from a finding."""

import datetime
import random

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agences.models import Agency, Agent
from relation_client.cycle import services as cycle_services
from relation_client.cycle.models import Decision, Round
from relation_client.quality.indicators import INDICATOR
from relation_client.quality.models import FINDINGS, Quality, Sample, SampledRequest
from relation_client.touchpoints.models import Request, RequestStatus
from socle.errors import DomainError


def week_reviewed(now: datetime.datetime) -> datetime.date:
    """The Monday of the past week (Europe/Paris): the week a draw made now looks at."""
    today = timezone.localdate(now)
    return today - datetime.timedelta(days=today.weekday() + 7)


def week_bounds(week: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    start = timezone.make_aware(datetime.datetime.combine(week, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(week + datetime.timedelta(days=7), datetime.time.min)
    )
    return start, end


def seed_for(agency: Agency, week: datetime.date) -> str:
    year, number, _day = week.isocalendar()
    return f"agence-{agency.pk}-{year}-W{number:02d}"


def _deadline_kept(request: Request) -> bool:
    done = request.answered_at or request.closed_at
    return request.breached_at is None and done is not None and done <= request.deadline


def sample_draw(
    *,
    agency: Agency,
    by: Agent | None = None,
    now: datetime.datetime | None = None,
    size: int | None = None,
) -> tuple[Sample, bool]:
    """The agency's sample of the past week: drawn now, or the one already drawn (never
    twice the same week). Returns (sample, drawn_now). The draw is random but seeded by
    agency and ISO week: drawing again from the same closed requests picks the same ones."""
    now = now or timezone.now()
    week = week_reviewed(now)
    found = Sample.objects.filter(agency=agency, week=week).first()
    if found is not None:
        return found, False
    size = size or settings.QUALITY_SAMPLE_SIZE
    start, end = week_bounds(week)
    closed = list(
        Request.objects.filter(
            agency=agency,
            status=RequestStatus.CLOSED,
            closed_at__gte=start,
            closed_at__lt=end,
        )
        .order_by("pk")
        .only("pk", "deadline", "answered_at", "closed_at", "breached_at")
    )
    seed = seed_for(agency, week)
    chosen = random.Random(seed).sample(closed, min(size, len(closed)))
    try:
        with transaction.atomic():
            sample = Sample.objects.create(
                agency=agency,
                week=week,
                seed=seed,
                size=size,
                closed_count=len(closed),
                drawn_at=now,
                drawn_by=by,
            )
            SampledRequest.objects.bulk_create(
                SampledRequest(
                    sample=sample,
                    request=request,
                    position=position,
                    deadline_kept_data=_deadline_kept(request),
                )
                for position, request in enumerate(chosen, start=1)
            )
    except IntegrityError:
        # drawn meanwhile by the other door (the Monday job or the button)
        return Sample.objects.get(agency=agency, week=week), False
    return sample, True


def samples_draw_all(*, now: datetime.datetime | None = None) -> int:
    """The Monday job: every agency's sample of the past week. Idempotent; returns how
    many samples were drawn this time."""
    now = now or timezone.now()
    drawn = 0
    for agency in Agency.objects.order_by("pk"):
        _sample, created = sample_draw(agency=agency, now=now)
        drawn += created
    return drawn


def review_save(
    *,
    item: SampledRequest,
    by: Agent,
    quality: str,
    deadline_kept: bool,
    deadline_reason: str,
    customer_named: bool,
    follow_up_done: bool,
    comment: str,
) -> SampledRequest:
    if quality not in Quality.values:
        raise DomainError("required", _("Choisissez la qualité de la réponse."), field="quality")
    deadline_reason = (deadline_reason or "").strip()
    if deadline_kept != item.deadline_kept_data and not deadline_reason:
        raise DomainError(
            "reason_required",
            _("Le délai diffère de ce que disent les données : dites pourquoi."),
            field="deadline_reason",
        )
    with transaction.atomic():
        locked = SampledRequest.objects.select_for_update().get(pk=item.pk)
        if locked.improvement_id is not None:
            raise DomainError(
                "improvement_open",
                _(
                    "Une piste d'amélioration est déjà ouverte sur cette revue : elle ne change plus."
                ),
            )
        locked.quality = quality
        locked.deadline_kept = deadline_kept
        locked.deadline_reason = (
            deadline_reason if deadline_kept != locked.deadline_kept_data else ""
        )
        locked.customer_named = customer_named
        locked.follow_up_done = follow_up_done
        locked.comment = (comment or "").strip()
        locked.reviewed_at = timezone.now()
        locked.reviewed_by = by
        locked.full_clean()
        locked.save()
    return locked


def _failed_criteria(item: SampledRequest) -> list[str]:
    failed = [_("qualité de la réponse : %(q)s") % {"q": Quality(item.quality).label.lower()}]
    if not item.deadline_kept:
        failed.append(_("délai non tenu"))
    if not item.customer_named:
        failed.append(_("client non nommé"))
    if not item.follow_up_done:
        failed.append(_("suite non donnée"))
    return failed


def improvement_open(*, item: SampledRequest, by: Agent) -> Decision:
    """A finding ("à améliorer", "insuffisant") opens an item for Évoluer on its segment's
    round: a decision of the cycle resting on the round's measured sampling control."""
    if not item.is_reviewed or item.quality not in FINDINGS:
        raise DomainError(
            "not_a_finding",
            _(
                "Seule une réponse « à améliorer » ou « insuffisante » ouvre une piste d'amélioration."
            ),
        )
    if item.improvement_id is not None:
        raise DomainError("already_open", _("Une piste d'amélioration est déjà ouverte."))
    request = item.request
    segment_id = request.customer.segment_id if request.customer_id else None
    if segment_id is None:
        raise DomainError("no_segment", _("Le client de cette demande n'a pas de segment."))
    round = Round.objects.filter(segment_id=segment_id, closed_at__isnull=True).first()
    if round is None:
        raise DomainError(
            "no_round", _("Aucun tour du cycle de fidélisation en cours pour ce segment.")
        )
    controls = list(round.controls.filter(indicator=INDICATOR, measured_value__isnull=False))
    if not controls:
        raise DomainError(
            "no_sampling_control",
            _(
                "Le tour du segment n'a pas de contrôle par échantillon mesuré : ajoutez-le "
                "et mesurez-le à l'étape Contrôler."
            ),
        )
    with transaction.atomic():
        locked = SampledRequest.objects.select_for_update().get(pk=item.pk)
        if locked.improvement_id is not None:
            raise DomainError("already_open", _("Une piste d'amélioration est déjà ouverte."))
        decision = cycle_services.decision_add(
            round=round,
            by=by,
            decision=_("Améliorer le traitement des demandes « %(reason)s »")
            % {"reason": request.reason.label},
            rationale=_(
                "Contrôle par échantillon, semaine du %(week)s, %(agency)s : %(failed)s.%(comment)s"
            )
            % {
                "week": item.sample.week.strftime("%d/%m/%Y"),
                "agency": item.sample.agency.name,
                "failed": ", ".join(_failed_criteria(item)),
                "comment": f" {item.comment}" if item.comment else "",
            },
            controls=controls,
        )
        locked.improvement = decision
        locked.save(update_fields=["improvement"])
    item.improvement = decision
    return decision
