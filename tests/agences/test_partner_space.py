"""The partner space: partner staff see and answer only the requests escalated to their
partner; nobody else gets in, and partner staff get nowhere else."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from agences.models import PartnerMember
from relation_client.partners.services import partner_request_answer
from relation_client.touchpoints.models import Request, RequestStatus, Touchpoint
from socle.errors import DomainError
from tests.support.time import paris

pytestmark = pytest.mark.django_db

LIST = reverse("agences:partner_requests")


def _detail(pk):
    return reverse("agences:partner_request_detail", args=[pk])


def _answer(pk):
    return reverse("agences:partner_request_answer", args=[pk])


@pytest.fixture
def requests_(objets_trouves, taxis_pmr, escalate, agency_lyon):
    ours = escalate(objets_trouves, paris(2026, 3, 2, 10), subject="Sac à dos rouge, métro B")
    done = escalate(
        objets_trouves,
        paris(2026, 3, 1, 10),
        answered=paris(2026, 3, 1, 12),
        subject="Clés retrouvées au dépôt",
    )
    theirs = escalate(taxis_pmr, paris(2026, 3, 2, 11), subject="Correspondance TPMR manquée")
    never = Request.objects.create(
        agency=agency_lyon,
        channel="counter",
        reason=ours.reason,
        subject="Question tarifaire",
        opened_at=paris(2026, 3, 2, 9),
        deadline=paris(2026, 3, 4, 9),
    )
    return {"ours": ours, "done": done, "theirs": theirs, "never": never}


def test_the_list_shows_only_our_escalated_requests_open_first(client, gerard, requests_):
    client.force_login(gerard)
    response = client.get(LIST)
    assert response.status_code == 200
    listed = [r.pk for r in response.context["page"].object_list]
    assert listed == [requests_["ours"].pk, requests_["done"].pk]
    html = response.content.decode()
    assert escape("Correspondance TPMR manquée") not in html
    assert "Question tarifaire" not in html


def test_the_detail_shows_the_escalation_notes_not_the_whole_timeline(
    client, gerard, requests_, agent, agency_lyon
):
    ours = requests_["ours"]
    for kind, summary in [
        ("escalation", "Transmise à Objets Trouvés Métropole : sac rouge avec des clés"),
        ("interaction", "La cliente a aussi parlé de son abonnement"),
    ]:
        Touchpoint.objects.create(
            kind=kind,
            channel="phone",
            reason=ours.reason,
            summary=summary,
            agent=agent,
            agency=agency_lyon,
            occurred_at=paris(2026, 3, 2, 10),
            request=ours,
            direction="outbound" if kind == "escalation" else "inbound",
        )
    client.force_login(gerard)
    html = client.get(_detail(ours.pk)).content.decode()
    assert escape("sac rouge avec des clés") in html
    assert "abonnement" not in html
    assert "Envoyer la réponse" in html


@pytest.mark.parametrize("which", ["theirs", "never"])
def test_another_partners_or_a_never_escalated_request_is_a_404(client, gerard, requests_, which):
    client.force_login(gerard)
    pk = requests_[which].pk
    assert client.get(_detail(pk)).status_code == 404
    assert client.post(_answer(pk), {"note": "Trouvé"}).status_code == 404
    requests_[which].refresh_from_db()
    assert requests_[which].answered_at is None


def test_answering_stops_the_clock_and_goes_on_the_timeline(client, gerard, requests_):
    ours = requests_["ours"]
    client.force_login(gerard)
    response = client.post(_answer(ours.pk), {"note": "Sac retrouvé, disponible au dépôt"})
    assert response.status_code == 302
    ours.refresh_from_db()
    assert ours.status == RequestStatus.ANSWERED and ours.answered_at is not None
    answer = ours.touchpoints.get()
    assert answer.agent is None and answer.direction == "outbound"
    assert answer.summary == (
        "Réponse de Objets Trouvés Métropole (Gérard Pécuchet) : Sac retrouvé, disponible au dépôt"
    )
    again = client.post(_answer(ours.pk), {"note": "Encore"})
    assert again.status_code == 400
    assert (
        escape("Cette demande a déjà reçu une réponse ou est clôturée.") in again.content.decode()
    )


def test_an_empty_answer_is_refused(client, gerard, requests_):
    client.force_login(gerard)
    response = client.post(_answer(requests_["ours"].pk), {"note": "  "})
    assert response.status_code == 400
    assert escape("Rédigez la réponse apportée.") in response.content.decode()


def test_the_service_checks_the_partner_too(gerard, requests_):
    member = PartnerMember.objects.get(user=gerard)
    with pytest.raises(DomainError) as error:
        partner_request_answer(request=requests_["theirs"], member=member, note="Pas à nous")
    assert error.value.code == "forbidden"


def test_must_not_get_in(client, agent, manager_lyon, requests_, objets_trouves):
    assert client.get(LIST).status_code == 302  # anonymous: to the login page
    for person in (agent.user, manager_lyon.user):
        client.force_login(person)
        assert client.get(LIST).status_code == 403
        assert client.get(_detail(requests_["ours"].pk)).status_code == 403
    # an account linked to the partner but without the partner role
    from django.contrib.auth import get_user_model

    stray = get_user_model().objects.create_user(username="stagiaire")
    PartnerMember.objects.create(partner=objets_trouves, full_name="Stagiaire", user=stray)
    client.force_login(stray)
    assert client.get(LIST).status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        reverse("touchpoints:queue"),
        reverse("customers:search"),
        reverse("touchpoints:alerts"),
        reverse("cycle:board"),
        # the academy sends them to the sessions they are invited to (test_partner_trainings)
        reverse("agences:skill_finder"),
        reverse("agences:partner_list"),
    ],
)
def test_partner_staff_get_nowhere_else(client, gerard, url):
    client.force_login(gerard)
    assert client.get(url).status_code == 403


def test_partner_staff_cannot_open_the_agency_request_page(client, gerard, requests_):
    client.force_login(gerard)
    assert client.get(requests_["ours"].get_absolute_url()).status_code == 403


@pytest.mark.parametrize("path", ["/api/v1/customers/", "/api/v1/requests/"])
def test_partner_staff_cannot_use_the_core_api_with_their_session(client, gerard, requests_, path):
    client.force_login(gerard)
    assert client.get(path).status_code == 403
