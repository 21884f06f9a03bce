"""Writes about the service academy: registrations, attendance, skills."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from agences.models import (
    Agent,
    AgentSkill,
    AttendanceStatus,
    InvitationReply,
    PartnerMember,
    Skill,
    SkillLevel,
    TrainingAttendance,
    TrainingSession,
)
from socle.errors import DomainError

# --- Partner compliance -----------------------------------------------------------------


# --- Partner staff answering -------------------------------------------------------------


# --- Academy -----------------------------------------------------------------------------


def training_register(
    *, session: TrainingSession, agent: Agent | None = None, member: PartnerMember | None = None
) -> TrainingAttendance:
    """Register an agent or a partner's person to an upcoming session, within its places."""
    if (agent is None) == (member is None):
        raise DomainError("participant", _("Inscrivez un agent ou une personne partenaire."))
    with transaction.atomic():
        # lock: the last place may be taken by two people at once
        session = TrainingSession.objects.select_for_update().get(pk=session.pk)
        if session.starts_at <= timezone.now():
            raise DomainError("past_session", _("Cette session a déjà commencé."))
        participant = {"agent": agent} if agent else {"partner_member": member}
        if session.attendances.filter(**participant).exists():
            raise DomainError("already_registered", _("Déjà inscrit à cette session."))
        if session.capacity is not None and session.attendances.count() >= session.capacity:
            raise DomainError("full", _("Cette session est complète."))
        attendance = TrainingAttendance(session=session, **participant)
        attendance.full_clean()
        attendance.save()
    return attendance


def training_invitation_reply(
    *, attendance: TrainingAttendance, member: PartnerMember, attend: bool
) -> TrainingAttendance:
    """A partner's person confirms or declines a session they are invited to, until it
    starts (then the organiser's attendance sheet speaks)."""
    with transaction.atomic():
        attendance = (
            TrainingAttendance.objects.select_for_update(of=("self",))
            .select_related("session")
            .get(pk=attendance.pk)
        )
        if attendance.partner_member_id != member.pk:
            raise DomainError("not_invited", _("Vous n'êtes pas invité à cette session."))
        if attendance.session.starts_at <= timezone.now():
            raise DomainError(
                "past_session", _("Cette session a déjà commencé : la réponse est close.")
            )
        attendance.reply = InvitationReply.CONFIRMED if attend else InvitationReply.DECLINED
        attendance.replied_at = timezone.now()
        attendance.save(update_fields=["reply", "replied_at"])
    return attendance


def training_attendance_record(
    *, attendance: TrainingAttendance, status: str, by: Agent
) -> TrainingAttendance:
    """The organiser records whether the participant came, once the session has begun."""
    if status not in (AttendanceStatus.ATTENDED, AttendanceStatus.ABSENT):
        raise DomainError("invalid_status", _("Présent ou absent ?"), field="status")
    with transaction.atomic():
        attendance = (
            TrainingAttendance.objects.select_for_update(of=("self",))
            .select_related("session")
            .get(pk=attendance.pk)
        )
        if attendance.session.starts_at > timezone.now():
            raise DomainError(
                "future_session", _("La présence se note une fois la session commencée.")
            )
        attendance.status = status
        attendance.save(update_fields=["status"])
    return attendance


def skill_assess(*, agent: Agent, skill: Skill, level: int, by: Agent) -> AgentSkill:
    """Set an agent's level in a skill: their manager does it, within their agency."""
    if level not in SkillLevel.values:
        raise DomainError("invalid_level", _("Niveau inconnu."), field="level")
    if by.agency_id != agent.agency_id:
        raise DomainError("forbidden", _("Seul le manager de l'agent évalue ses compétences."))
    with transaction.atomic():
        record, _created = AgentSkill.objects.update_or_create(
            agent=agent,
            skill=skill,
            defaults={"level": level, "assessed_on": timezone.localdate(), "assessed_by": by},
        )
    return record
