"""Per agency: training hours and skills coverage, team-level only — computed by hand."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from agences import roles
from agences.models import AgentSkill, PartnerMember, Skill, TrainingAttendance, TrainingSession
from agences.selectors import agency_team_figures

pytestmark = pytest.mark.django_db

NOW = timezone.now()


def _session(days_ago: int, hours: str) -> TrainingSession:
    return TrainingSession.objects.create(
        topic="Désamorcer un conflit au guichet",
        starts_at=NOW - datetime.timedelta(days=days_ago),
        duration_hours=Decimal(hours),
        trainer="Marc Lavoine",
        place="Siège",
    )


@pytest.fixture
def lyon_team(make_staff, agency_lyon, agency_villeurbanne, objets_trouves):
    camille = make_staff("camille", "Camille Rousseau", roles.AGENT, agency_lyon)
    karim = make_staff("karim", "Karim Benali", roles.AGENT, agency_lyon)
    lucia = make_staff("lucia", "Lucía Fernández", roles.AGENT, agency_lyon)
    gone = make_staff("parti", "Jean Parti", roles.AGENT, agency_lyon)
    gone.user.is_active = False  # has left: not in the team any more
    gone.user.save()
    theo = make_staff("theo", "Théo Marchand", roles.AGENT, agency_villeurbanne)
    recent, older, too_old = _session(10, "3.5"), _session(100, "7"), _session(400, "7")
    TrainingAttendance.objects.bulk_create(
        [
            TrainingAttendance(session=recent, agent=camille, status="attended"),
            TrainingAttendance(session=recent, agent=karim, status="absent"),
            TrainingAttendance(session=older, agent=camille, status="attended"),
            TrainingAttendance(session=older, agent=lucia, status="attended"),
            TrainingAttendance(session=too_old, agent=karim, status="attended"),
            TrainingAttendance(session=recent, agent=theo, status="attended"),
            TrainingAttendance(
                session=recent,
                status="attended",
                partner_member=PartnerMember.objects.create(
                    partner=objets_trouves, full_name="Gérard"
                ),
            ),
        ]
    )
    spanish, conflicts = Skill.objects.get(code="langue-es"), Skill.objects.get(code="conflits")
    AgentSkill.objects.bulk_create(
        [
            AgentSkill(agent=lucia, skill=spanish, level=4, assessed_on=NOW.date()),
            AgentSkill(agent=camille, skill=spanish, level=1, assessed_on=NOW.date()),  # notions
            AgentSkill(agent=camille, skill=conflicts, level=2, assessed_on=NOW.date()),
            AgentSkill(agent=karim, skill=conflicts, level=3, assessed_on=NOW.date()),
            AgentSkill(agent=theo, skill=conflicts, level=3, assessed_on=NOW.date()),
        ]
    )
    return camille


def test_lyon_by_hand(lyon_team, agency_lyon):
    [lyon] = agency_team_figures(
        agencies=[agency_lyon], since=NOW - datetime.timedelta(days=365), until=NOW
    )
    assert lyon.team_size == 3  # Camille, Karim, Lucía; Jean has left
    # Camille 3.5 + 7, Lucía 7; Karim's absence and his too-old session do not count
    assert lyon.training_hours == Decimal("17.5")
    assert lyon.people_trained == 2
    assert lyon.hours_per_person == Decimal("5.8")
    coverage = {c.skill.code: (c.covered, pct) for c, pct in lyon.coverage_rows}
    assert coverage["langue-es"] == (1, 33)  # Lucía; Camille has notions only
    assert coverage["conflits"] == (2, 67)
    assert coverage["lsf"] == (0, 0)


def test_queries_do_not_grow_with_agencies(
    lyon_team, agency_lyon, agency_villeurbanne, django_assert_num_queries
):
    # agencies with team sizes, hours, coverage, skills
    with django_assert_num_queries(4):
        figures = agency_team_figures(
            agencies=[agency_lyon, agency_villeurbanne],
            since=NOW - datetime.timedelta(days=365),
            until=NOW,
        )
    assert [f.training_hours for f in figures] == [Decimal("17.5"), Decimal("3.5")]


def test_the_academy_page_names_nobody(client, lyon_team, agency_villeurbanne):
    client.force_login(lyon_team.user)
    html = client.get(reverse("agences:academy")).content.decode()
    assert "17,5 h de formation suivies" in " ".join(html.split())
    assert "Lucía" not in html and "Karim" not in html
    assert agency_villeurbanne.name not in html  # an agent sees their own team only


def test_the_network_direction_sees_every_agency(
    client, make_staff, agency_lyon, lyon_team, agency_villeurbanne
):
    director = make_staff("isabelle", "Isabelle Morel", roles.NETWORK_DIRECTOR, agency_lyon)
    client.force_login(director.user)
    html = client.get(reverse("agences:academy")).content.decode()
    assert agency_villeurbanne.name in html and agency_lyon.name in html
