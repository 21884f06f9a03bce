"""The service academy and the skills matrix (the academy's page itself, which shows the
teams' figures beside other apps' columns, is relation_client.teams.views.academy).

Partner staff are trained with the staff: they see the sessions they are invited to
(those only: no skills, no figures, nobody else's attendance) and confirm or decline.

One agent's skills and trainings are for that agent and their manager only. Finding a
colleague with a skill (a language, sign language…) is for every agent.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from agences import selectors, services
from agences.decorators import agent_required, partner_member_required
from agences.forms import AttendanceForm, InvitationReplyForm, SkillAssessForm, SkillSearchForm
from agences.models import Agent, TrainingAttendance, TrainingSession
from agences.permissions import CHANGE_AGENT, ORGANISE_TRAINING, VIEW_NETWORK_FIGURES
from socle.errors import DomainError


def _is_manager_of(user, me: Agent, agent: Agent) -> bool:
    # the network direction manages every agency's people
    if user.has_perm(VIEW_NETWORK_FIGURES):
        return True
    return user.has_perm(CHANGE_AGENT) and me.agency_id == agent.agency_id


@require_POST
@agent_required
def session_register(request, pk: int):
    session = get_object_or_404(TrainingSession, pk=pk)
    try:
        services.training_register(session=session, agent=request.agent)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request, _("Inscription enregistrée : %(topic)s.") % {"topic": session.topic}
        )
    return redirect("agences:academy")


@require_GET
@agent_required
def session_detail(request, pk: int):
    if not request.user.has_perm(ORGANISE_TRAINING):
        raise PermissionDenied(_("La feuille de présence est tenue par les organisateurs."))
    session = selectors.session_with_attendance(pk=pk)
    if session is None:
        raise Http404(_("Aucune session ne porte ce numéro."))
    attendances = list(session.attendances.all())
    context = {
        "session": session,
        "rows": [
            (a, AttendanceForm(initial={"status": a.status}, prefix=f"p{a.pk}"))
            for a in attendances
        ],
        "started": session.starts_at <= timezone.now(),
    }
    return render(request, "agences/session_detail.html", context)


@require_POST
@agent_required
def attendance_record(request, pk: int):
    if not request.user.has_perm(ORGANISE_TRAINING):
        raise PermissionDenied(_("La feuille de présence est tenue par les organisateurs."))
    attendance = get_object_or_404(TrainingAttendance, pk=pk)
    form = AttendanceForm(request.POST, prefix=f"p{attendance.pk}")
    if not form.is_valid():
        messages.error(request, _("Présent ou absent ?"))
    else:
        try:
            services.training_attendance_record(
                attendance=attendance, status=form.cleaned_data["status"], by=request.agent
            )
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Présence enregistrée."))
    return redirect("agences:session_detail", pk=attendance.session_id)


@require_GET
@agent_required
def skill_finder(request):
    form = SkillSearchForm(request.GET or None)
    mine, elsewhere, skill = [], [], None
    if form.is_valid():
        skill = form.cleaned_data["competence"]
        for agent in selectors.agents_with_skill(skill.code):
            (mine if agent.agency_id == request.agent.agency_id else elsewhere).append(agent)
    context = {"form": form, "skill": skill, "mine": mine, "elsewhere": elsewhere}
    return render(request, "agences/skill_finder.html", context)


@require_GET
@agent_required
def agent_skills(request, pk: int):
    agent = get_object_or_404(Agent.objects.select_related("agency"), pk=pk)
    is_self = agent.pk == request.agent.pk
    is_manager = _is_manager_of(request.user, request.agent, agent)
    if not (is_self or is_manager):
        raise PermissionDenied(
            _("Le détail des compétences est réservé à la personne et à son manager.")
        )
    context = {
        "development": selectors.agent_development(agent=agent),
        "is_self": is_self,
        "assess_form": SkillAssessForm(agent_pk=agent.pk) if is_manager else None,
    }
    return render(request, "agences/agent_skills.html", context)


@require_POST
@agent_required
def skill_assess(request, pk: int):
    agent = get_object_or_404(Agent, pk=pk)
    if not _is_manager_of(request.user, request.agent, agent):
        raise PermissionDenied(_("Seul le manager de l'agent évalue ses compétences."))
    form = SkillAssessForm(request.POST, agent_pk=agent.pk)
    if form.is_valid():
        try:
            services.skill_assess(agent=agent, by=request.agent, **form.cleaned_data)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Niveau enregistré."))
    else:
        messages.error(request, _("Choisissez une compétence et un niveau."))
    return redirect("agences:agent_skills", pk=agent.pk)


# --- Partner staff: the sessions they are invited to ------------------------------------


@require_GET
@partner_member_required
def partner_trainings(request):
    upcoming, recent = selectors.partner_member_trainings(member=request.partner_member)
    context = {
        "member": request.partner_member,
        "upcoming": upcoming,
        "recent": recent,
        "reply_form": InvitationReplyForm(),
    }
    return render(request, "agences/partner_trainings.html", context)


@require_POST
@partner_member_required
def partner_training_reply(request, pk: int):
    # another person's invitation is a 404: its existence is not theirs to know
    attendance = get_object_or_404(TrainingAttendance, pk=pk, partner_member=request.partner_member)
    form = InvitationReplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Viendrez-vous, oui ou non ?"))
        return redirect("agences:partner_trainings")
    attend = form.cleaned_data["reponse"] == "oui"
    try:
        services.training_invitation_reply(
            attendance=attendance, member=request.partner_member, attend=attend
        )
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(
            request,
            _("Présence confirmée, merci.") if attend else _("C'est noté : vous serez excusé."),
        )
    return redirect("agences:partner_trainings")
