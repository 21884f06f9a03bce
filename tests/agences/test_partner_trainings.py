"""Partner staff are trained with the staff: they see the sessions they are invited to,
and only those, confirm or decline, and the organiser sees their answers."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agences.models import InvitationReply, PartnerMember, TrainingAttendance, TrainingSession
from agences.services import training_invitation_reply, training_register
from socle.errors import DomainError

pytestmark = pytest.mark.django_db

TRAININGS = reverse("agences:partner_trainings")


def _session(days: int, topic: str) -> TrainingSession:
    return TrainingSession.objects.create(
        topic=topic,
        starts_at=timezone.now() + datetime.timedelta(days=days),
        duration_hours=3,
        trainer="Association Valentin Haüy",
        place="Salle Rhône, siège",
    )


def reply_url(attendance):
    return reverse("agences:partner_training_reply", args=[attendance.pk])


@pytest.fixture
def gerard_member(gerard) -> PartnerMember:
    return gerard.partner_member


@pytest.fixture
def invited(gerard_member):
    """Gérard invited to the welcome session; another session he is not invited to."""
    session = _session(7, "Accueillir une personne malvoyante")
    _session(9, "Désamorcer une situation tendue au guichet")
    return training_register(session=session, member=gerard_member)


def test_the_academy_sends_partner_staff_to_their_invitations(client, gerard, invited):
    client.force_login(gerard)
    response = client.get(reverse("agences:academy"))
    assert response.status_code == 302 and response.url == TRAININGS


def test_partner_staff_see_the_sessions_they_are_invited_to_and_only_those(
    client, gerard, invited, agent, django_assert_max_num_queries
):
    training_register(session=invited.session, agent=agent)  # a colleague of the staff
    client.force_login(gerard)
    with django_assert_max_num_queries(8):
        page = client.get(TRAININGS).content.decode()
    assert "Accueillir une personne malvoyante" in page
    assert "Désamorcer une situation tendue" not in page  # not invited
    assert agent.display_name not in page  # nobody else's attendance
    assert "compétence" not in page.lower()  # no evaluation of anyone
    assert "Sans réponse" in page


def test_they_confirm_then_change_their_mind(client, gerard, invited):
    client.force_login(gerard)
    response = client.post(reply_url(invited), {"reponse": "oui"}, follow=True)
    assert "Présence confirmée, merci." in response.content.decode()
    invited.refresh_from_db()
    assert invited.reply == InvitationReply.CONFIRMED and invited.replied_at
    client.post(reply_url(invited), {"reponse": "non"})
    invited.refresh_from_db()
    assert invited.reply == InvitationReply.DECLINED


def test_another_persons_invitation_is_a_404(client, make_partner_user, taxis_pmr, invited):
    other = make_partner_user(taxis_pmr, "yannick", "Yannick Le Bihan")
    client.force_login(other)
    assert client.post(reply_url(invited), {"reponse": "oui"}).status_code == 404
    invited.refresh_from_db()
    assert invited.reply == InvitationReply.UNANSWERED


def test_no_answer_once_the_session_started(gerard_member, invited):
    TrainingSession.objects.filter(pk=invited.session_id).update(
        starts_at=timezone.now() - datetime.timedelta(hours=1)
    )
    with pytest.raises(DomainError) as error:
        training_invitation_reply(attendance=invited, member=gerard_member, attend=True)
    assert error.value.code == "past_session"


def test_the_organiser_sees_the_partners_answer(client, manager_lyon, gerard_member, invited):
    training_invitation_reply(attendance=invited, member=gerard_member, attend=False)
    client.force_login(manager_lyon.user)
    page = client.get(reverse("agences:session_detail", args=[invited.session_id])).content
    page = page.decode()
    assert "Gérard Pécuchet" in page and "Empêché" in page
    assert TrainingAttendance.objects.get().reply == InvitationReply.DECLINED
