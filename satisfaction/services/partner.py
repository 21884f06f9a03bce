"""Answers posted by the survey partner: a batch is checked whole, then written in one
transaction; sent again, it updates what it wrote and creates nothing twice."""

import datetime
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from satisfaction.common import token_hash
from satisfaction.models import AnswerSource, SurveyAnswer, SurveyInvitation
from satisfaction.services.closed_loop import closed_loop_open
from satisfaction.services.invitations import answer_values_check
from socle.errors import DomainError

CLOCK_SKEW = datetime.timedelta(minutes=5)
BATCH_MAX = 1000
UPDATABLE = ("score", "comment", "complaint", "service_rating", "answered_at")


@dataclass
class AnswerRow:
    token: str
    score: int
    comment: str = ""
    complaint: bool = False
    service_rating: int | None = None
    partner_answer_id: str | None = None
    answered_at: datetime.datetime | None = None


@dataclass
class RowError:
    row: int
    code: str
    field: str | None
    detail: str


class BatchRejected(DomainError):
    """One or more rows are wrong: nothing of the batch was written."""

    def __init__(self, errors: list[RowError]):
        message = ngettext(
            "%(count)s ligne refusée : aucune réponse du lot n'a été enregistrée.",
            "%(count)s lignes refusées : aucune réponse du lot n'a été enregistrée.",
            len(errors),
        ) % {"count": len(errors)}
        super().__init__("invalid_batch", message, field="answers")
        self.errors = errors


@dataclass
class RowResult:
    row: int
    answer_id: int
    status: str  # created, updated, unchanged
    loop_request_id: int | None = None


@dataclass
class BatchResult:
    rows: list[RowResult] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for row in self.rows if row.status == status)


def _row_problem(
    index: int,
    row: AnswerRow,
    invitation: SurveyInvitation | None,
    answer: SurveyAnswer | None,
    now: datetime.datetime,
) -> RowError | None:
    def error(code: str, field_name: str, detail: str) -> RowError:
        return RowError(index, code, field_name, detail)

    if invitation is None:
        return error("unknown_token", "token", _("Aucune invitation ne correspond à ce jeton."))
    if answer is not None and answer.source != AnswerSource.PARTNER:
        return error(
            "already_answered",
            "token",
            _("Le client a déjà répondu sur la page d'enquête : réponse non remplacée."),
        )
    if (
        answer is not None
        and answer.partner_answer_id
        and row.partner_answer_id
        and answer.partner_answer_id != row.partner_answer_id
    ):
        return error(
            "already_answered",
            "partner_answer_id",
            _("Cette invitation a déjà une réponse sous un autre identifiant partenaire."),
        )
    answered_at = row.answered_at or now
    if answered_at > now + CLOCK_SKEW:
        return error(
            "future_date", "answered_at", _("La date de réponse ne peut pas être dans le futur.")
        )
    if answered_at >= invitation.expires_at:
        return error(
            "expired", "answered_at", _("La réponse est arrivée après l'expiration du lien.")
        )
    try:
        answer_values_check(
            invitation=invitation,
            score=row.score,
            service_rating=row.service_rating,
            comment=row.comment,
        )
    except DomainError as problem:
        return error(problem.code, problem.field, str(problem.message))
    return None


def survey_answers_upsert(*, rows: list[AnswerRow]) -> BatchResult:
    """Create or update one answer per invitation, keyed on the link's token (and the
    partner's answer id when given). Every row is checked before anything is written."""
    if not rows:
        raise DomainError("empty_batch", _("Le lot ne contient aucune réponse."), field="answers")
    if len(rows) > BATCH_MAX:
        raise DomainError(
            "too_many_rows",
            _("Un lot compte au plus %(max)s réponses.") % {"max": BATCH_MAX},
            field="answers",
        )
    now = timezone.now()
    hashes = [token_hash(row.token) for row in rows]
    with transaction.atomic():
        # lock, in id order: a partner retrying while the first batch still runs waits
        invitations = {
            invitation.token_hash: invitation
            for invitation in SurveyInvitation.objects.select_for_update(of=("self",))
            .select_related("survey", "customer__segment", "customer__usual_contact__agency")
            .filter(token_hash__in=set(hashes))
            .order_by("id")
        }
        answers = {
            answer.invitation_id: answer
            for answer in SurveyAnswer.objects.filter(
                invitation_id__in=[inv.pk for inv in invitations.values()]
            )
        }
        partner_ids = [row.partner_answer_id for row in rows if row.partner_answer_id]
        by_partner_id = dict(
            SurveyAnswer.objects.filter(partner_answer_id__in=partner_ids).values_list(
                "partner_answer_id", "invitation_id"
            )
        )
        errors: list[RowError] = []
        seen_tokens: dict[str, int] = {}
        seen_partner_ids: dict[str, int] = {}
        for index, (row, digest) in enumerate(zip(rows, hashes, strict=True)):
            invitation = invitations.get(digest)
            if digest in seen_tokens:
                errors.append(
                    RowError(
                        index,
                        "duplicate_in_batch",
                        "token",
                        _("Même jeton qu'à la ligne %(row)s.") % {"row": seen_tokens[digest]},
                    )
                )
                continue
            seen_tokens[digest] = index
            if row.partner_answer_id:
                if row.partner_answer_id in seen_partner_ids:
                    errors.append(
                        RowError(
                            index,
                            "duplicate_in_batch",
                            "partner_answer_id",
                            _("Même identifiant partenaire qu'à la ligne %(row)s.")
                            % {"row": seen_partner_ids[row.partner_answer_id]},
                        )
                    )
                    continue
                seen_partner_ids[row.partner_answer_id] = index
                owner = by_partner_id.get(row.partner_answer_id)
                if owner is not None and (invitation is None or owner != invitation.pk):
                    errors.append(
                        RowError(
                            index,
                            "partner_id_conflict",
                            "partner_answer_id",
                            _(
                                "Cet identifiant partenaire désigne la réponse à une autre invitation."
                            ),
                        )
                    )
                    continue
            answer = answers.get(invitation.pk) if invitation else None
            problem = _row_problem(index, row, invitation, answer, now)
            if problem:
                errors.append(problem)
        if errors:
            raise BatchRejected(errors)
        return _write(rows, hashes, invitations, answers, now)


def _write(rows, hashes, invitations, answers, now) -> BatchResult:
    result = BatchResult()
    to_create: list[tuple[int, SurveyAnswer]] = []
    to_update: list[tuple[int, SurveyAnswer]] = []
    for index, (row, digest) in enumerate(zip(rows, hashes, strict=True)):
        invitation = invitations[digest]
        values = {
            "score": row.score,
            "comment": (row.comment or "").strip(),
            "complaint": bool(row.complaint),
            "service_rating": row.service_rating,
            "answered_at": row.answered_at or now,
        }
        answer = answers.get(invitation.pk)
        if answer is None:
            answer = SurveyAnswer(
                invitation=invitation,
                source=AnswerSource.PARTNER,
                partner_answer_id=row.partner_answer_id or None,
                **values,
            )
            to_create.append((index, answer))
            continue
        if row.answered_at is None:
            values["answered_at"] = answer.answered_at  # a resend without a date keeps it
        answer.invitation = invitation
        if all(getattr(answer, name) == value for name, value in values.items()):
            result.rows.append(RowResult(index, answer.pk, "unchanged", answer.loop_request_id))
            continue
        for name, value in values.items():
            setattr(answer, name, value)
        answer.partner_answer_id = answer.partner_answer_id or row.partner_answer_id or None
        answer.updated_at = now
        to_update.append((index, answer))
    SurveyAnswer.objects.bulk_create([answer for _index, answer in to_create])
    SurveyAnswer.objects.bulk_update(
        [answer for _index, answer in to_update], [*UPDATABLE, "partner_answer_id", "updated_at"]
    )
    for _index, answer in [*to_create, *to_update]:
        invitation = answer.invitation
        invitation.answered_at = answer.answered_at
    SurveyInvitation.objects.bulk_update(
        [answer.invitation for _index, answer in [*to_create, *to_update]], ["answered_at"]
    )
    for status, written in (("created", to_create), ("updated", to_update)):
        for index, answer in written:
            # an update that turns an answer into a detractor's still calls back, once
            closed_loop_open(answer=answer)
            result.rows.append(RowResult(index, answer.pk, status, answer.loop_request_id))
    result.rows.sort(key=lambda row: row.row)
    return result
