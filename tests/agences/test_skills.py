"""The skills matrix: finding a colleague with a skill, and one agent's details — for
the agent and their manager only."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from agences import roles
from agences.models import AgentAbsence, AgentSkill, Skill
from agences.selectors import agents_with_skill
from agences.services import skill_assess
from socle.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(make_staff, agency_lyon, agency_villeurbanne):
    people = {
        "lucia": make_staff("lucia", "Lucía Fernández", roles.AGENT, agency_lyon),
        "camille": make_staff("camille", "Camille Rousseau", roles.AGENT, agency_lyon),
        "karim": make_staff("karim", "Karim Benali", roles.AGENT, agency_lyon),
        "theo": make_staff("theo", "Théo Marchand", roles.AGENT, agency_villeurbanne),
        "ines": make_staff("ines", "Inès Garcia", roles.AGENT, agency_villeurbanne),
        "parti": make_staff("parti", "Jean Parti", roles.AGENT, agency_lyon),
    }
    spanish = Skill.objects.get(code="langue-es")
    today = timezone.localdate()
    for name, level in [("lucia", 4), ("theo", 2), ("camille", 1), ("parti", 4)]:
        AgentSkill.objects.create(agent=people[name], skill=spanish, level=level, assessed_on=today)
    people["ines"].languages = ["fr", "es"]  # declared in her profile, never assessed
    people["ines"].save()
    get_user_model().objects.filter(username="parti").update(is_active=False)
    AgentAbsence.objects.create(
        agent=people["lucia"], start=today, end=today + datetime.timedelta(days=2), reason="Congés"
    )
    return people


def test_agents_with_a_skill_best_first(team, agency_lyon, django_assert_num_queries):
    with django_assert_num_queries(2):  # the skill, then the agents
        found = list(agents_with_skill("langue-es"))
    assert [a.display_name for a in found] == [
        "Lucía Fernández",
        "Théo Marchand",
        "Camille Rousseau",
        "Inès Garcia",
    ]
    assert [a.level for a in found] == [4, 2, 1, None]
    assert [a.away_today for a in found] == [True, False, False, False]
    lyon = [a.display_name for a in agents_with_skill("langue-es", agency=agency_lyon)]
    assert lyon == ["Lucía Fernández", "Camille Rousseau"]
    autonomous = agents_with_skill("langue-es", min_level=2)
    assert [a.display_name for a in autonomous] == [
        "Lucía Fernández",
        "Théo Marchand",
        "Inès Garcia",
    ]
    assert list(agents_with_skill("klingon")) == []


def test_the_finder_page_lists_my_agency_first(client, team):
    client.force_login(team["karim"].user)
    response = client.get(reverse("agences:skill_finder"), {"competence": "langue-es"})
    assert [a.display_name for a in response.context["mine"]] == [
        "Lucía Fernández",
        "Camille Rousseau",
    ]
    assert [a.display_name for a in response.context["elsewhere"]] == [
        "Théo Marchand",
        "Inès Garcia",
    ]
    html = response.content.decode()
    assert "Absent aujourd&#x27;hui" in html or "Absent aujourd'hui" in html
    assert "Référent" not in html  # levels are individual details: not shown here


def test_an_agent_sees_their_own_details_not_a_colleagues(client, team):
    client.force_login(team["camille"].user)
    own = client.get(reverse("agences:agent_skills", args=[team["camille"].pk]))
    assert own.status_code == 200 and "Notions" in own.content.decode()
    assert "Évaluer une compétence" not in own.content.decode()
    assert client.get(reverse("agences:agent_skills", args=[team["lucia"].pk])).status_code == 403


def test_their_manager_sees_and_assesses_another_manager_does_not(
    client, team, manager_lyon, manager_villeurbanne
):
    url = reverse("agences:agent_skills", args=[team["camille"].pk])
    assess = reverse("agences:skill_assess", args=[team["camille"].pk])
    spanish = Skill.objects.get(code="langue-es")
    client.force_login(manager_villeurbanne.user)
    assert client.get(url).status_code == 403
    assert client.post(assess, {"skill": spanish.pk, "level": 3}).status_code == 403
    client.force_login(manager_lyon.user)
    assert "Évaluer une compétence" in client.get(url).content.decode()
    assert client.post(assess, {"skill": spanish.pk, "level": 3}).status_code == 302
    held = AgentSkill.objects.get(agent=team["camille"], skill=spanish)
    assert (held.level, held.assessed_by) == (3, manager_lyon)


def test_an_agent_cannot_assess_a_colleague(client, team):
    client.force_login(team["karim"].user)
    spanish = Skill.objects.get(code="langue-es")
    response = client.post(
        reverse("agences:skill_assess", args=[team["camille"].pk]),
        {"skill": spanish.pk, "level": 4},
    )
    assert response.status_code == 403


def test_the_service_keeps_managers_to_their_agency(team, manager_villeurbanne):
    with pytest.raises(DomainError) as error:
        skill_assess(
            agent=team["camille"],
            skill=Skill.objects.get(code="lsf"),
            level=2,
            by=manager_villeurbanne,
        )
    assert error.value.code == "forbidden"
