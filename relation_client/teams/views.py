"""The service academy's page: upcoming and recent sessions, and each team's figures
(training hours, skills coverage) with the columns other apps add through the core's
`team_figures` extension point (satisfaction's, for one). Team-level figures only: no
agent is named."""

import datetime

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from agences import selectors
from agences.decorators import agent_required
from agences.forms import SkillSearchForm
from agences.models import Agency
from agences.permissions import ORGANISE_TRAINING, VIEW_NETWORK_FIGURES
from agences.selectors import agent_for_user, partner_member_for_user
from relation_client import extensions


@require_GET
@login_required
def academy(request):
    # partner staff are trained with the staff: their door is their own invitations
    # (the agent profile first: cached for the page, staff pay no extra query)
    if agent_for_user(user=request.user) is None and partner_member_for_user(user=request.user):
        return redirect("agences:partner_trainings")
    return _staff_academy(request)


@agent_required
def _staff_academy(request):
    me = request.agent
    now = timezone.now()
    upcoming, recent = selectors.training_sessions(now=now, agent=me)
    agencies = Agency.objects.all() if request.user.has_perm(VIEW_NETWORK_FIGURES) else [me.agency]
    figures = selectors.agency_team_figures(
        agencies=agencies, since=now - datetime.timedelta(days=365), until=now
    )
    # next to the training figures, what other apps tell of each team (their satisfaction…)
    columns = [
        (kind.template, kind.load(agencies=[team.agency for team in figures], now=now))
        for kind in extensions.team_figures
    ]
    context = {
        "me": me,
        "upcoming": upcoming,
        "recent": recent,
        "teams": [
            (
                team,
                [
                    (template, loaded, loaded["by_agency"].get(team.agency.pk))
                    for template, loaded in columns
                ],
            )
            for team in figures
        ],
        "network": request.user.has_perm(VIEW_NETWORK_FIGURES),
        "can_organise": request.user.has_perm(ORGANISE_TRAINING),
        "search_form": SkillSearchForm(),
    }
    return render(request, "agences/academy.html", context)
