"""Registering to a session (agents and partner staff alike) and recording attendance."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agences import roles
from agences.models import AttendanceStatus, PartnerMember, TrainingSession
from agences.services import training_attendance_record, training_register
from socle.errors import DomainError

pytestmark = pytest.mark.django_db


def _session(days: int, capacity=None, topic="Accueillir une personne malvoyante"):
    return TrainingSession.objects.create(
        topic=topic,
        starts_at=timezone.now() + datetime.timedelta(days=days),
        duration_hours=3,
        trainer="Association Valentin Haüy",
        place="Salle Rhône, siège",
        capacity=capacity,
    )


def test_agents_and_partner_staff_register_alike(agent, objets_trouves):
    session = _session(7, capacity=2)
    member = PartnerMember.objects.create(partner=objets_trouves, full_name="Gérard Pécuchet")
    training_register(session=session, agent=agent)
    training_register(session=session, member=member)
    assert session.attendances.count() == 2
    with pytest.raises(DomainError) as error:
        training_register(session=session, agent=agent)
    assert error.value.code in {"already_registered", "full"}


def test_a_full_or_past_session_refuses(agent, colleague):
    full = _session(7, capacity=1)
    training_register(session=full, agent=colleague)
    with pytest.raises(DomainError) as error:
        training_register(session=full, agent=agent)
    assert error.value.code == "full"
    with pytest.raises(DomainError) as error:
        training_register(session=_session(-1), agent=agent)
    assert error.value.code == "past_session"
    with pytest.raises(DomainError) as error:
        training_register(session=_session(3))
    assert error.value.code == "participant"


@pytest.fixture
def colleague(make_staff, agency_lyon):
    return make_staff("karim", "Karim Benali", roles.AGENT, agency_lyon)


def test_attendance_is_recorded_once_the_session_has_begun(agent, manager_lyon):
    session = _session(2)
    attendance = training_register(session=session, agent=agent)
    with pytest.raises(DomainError) as error:
        training_attendance_record(attendance=attendance, status="attended", by=manager_lyon)
    assert error.value.code == "future_session"
    TrainingSession.objects.filter(pk=session.pk).update(starts_at=timezone.now())
    record = training_attendance_record(attendance=attendance, status="attended", by=manager_lyon)
    assert record.status == AttendanceStatus.ATTENDED
    with pytest.raises(DomainError):
        training_attendance_record(attendance=attendance, status="peut-être", by=manager_lyon)


def test_registering_from_the_academy_page(client, agent):
    session = _session(5)
    client.force_login(agent.user)
    page = client.get(reverse("agences:academy"))
    assert "M'inscrire" in page.content.decode()
    response = client.post(reverse("agences:session_register", args=[session.pk]))
    assert response.status_code == 302
    assert session.attendances.get().agent == agent
    again = client.post(reverse("agences:session_register", args=[session.pk]), follow=True)
    assert "Déjà inscrit à cette session." in again.content.decode()


def test_the_attendance_sheet_is_for_organisers(client, agent, manager_lyon):
    session = _session(-1)
    session.attendances.create(agent=agent)
    attendance = session.attendances.get()
    url = reverse("agences:session_detail", args=[session.pk])
    client.force_login(agent.user)
    assert client.get(url).status_code == 403
    assert (
        client.post(
            reverse("agences:attendance_record", args=[attendance.pk]),
            {f"p{attendance.pk}-status": "attended"},
        ).status_code
        == 403
    )
    client.force_login(manager_lyon.user)
    assert "Camille Rousseau" in client.get(url).content.decode()
    response = client.post(
        reverse("agences:attendance_record", args=[attendance.pk]),
        {f"p{attendance.pk}-status": "attended"},
    )
    assert response.status_code == 302
    attendance.refresh_from_db()
    assert attendance.status == AttendanceStatus.ATTENDED
