import pytest
from django.urls import reverse

from agences import roles
from agences.models import AgentAbsence
from relation_client.touchpoints.models import Touchpoint

pytestmark = pytest.mark.django_db


def test_page_greets_the_customer_and_shows_everything(agent_client, helene):
    page = agent_client.get(helene.get_absolute_url()).content.decode()
    assert '<h1 class="h2 mb-1">Mme Hélène Dupont-Lefèvre</h1>' in page
    assert "Camille Rousseau" in page  # usual contact
    assert "+33612345678" in page and "helene.dupont@exemple.fr" in page
    # the card number is there, folded away, never first
    assert page.index("TCL00421968") > page.index("Coordonnées")
    assert "Noter un échange avec Mme Hélène Dupont-Lefèvre" in page


def test_usual_contact_absent_today_is_said(agent_client, helene, agent):
    from django.utils import timezone

    today = timezone.localdate()
    AgentAbsence.objects.create(agent=agent, start=today, end=today, reason="Formation")
    assert "absent(e) aujourd'hui" in agent_client.get(helene.get_absolute_url()).content.decode()


@pytest.mark.parametrize("history", [1, 300])
def test_query_count_does_not_grow_with_history(
    agent_client, make_customer, agent, history, django_assert_num_queries
):
    customer = make_customer(
        phones=["06 12 34 56 78"], touchpoints=history, agent=agent, usual_contact=agent
    )
    # session (user, agent: Redis), customer+relations, contact points, identifiers, absences,
    # open requests, timeline page, reasons (form), alert count (navigation), audit row,
    # open reconquest case, subscriptions and ridership (reconquest's second panel),
    # consents (current state and latest decisions, one query), the agencies a compliment
    # may thank (form), the network's panel (lines ridden, disruption caught in), the lines
    # the touchpoint form's « Ligne citée » offers (form)
    with django_assert_num_queries(16):
        response = agent_client.get(customer.get_absolute_url())
    assert response.status_code == 200


def test_timeline_is_paginated_with_load_more(agent_client, make_customer, agent):
    customer = make_customer(touchpoints=45, agent=agent)
    page = agent_client.get(customer.get_absolute_url()).content.decode()
    assert page.count('class="list-group-item"') == 20
    assert "Question n° 0 sur" in page and "Question n° 20 sur" not in page
    start = page.index("?avant=") + len("?avant=")
    cursor = page[start : page.index('"', start)]
    more = agent_client.get(
        reverse("customers:timeline", args=[customer.pk]),
        {"avant": cursor},
        headers={"HX-Request": "true"},
    ).content.decode()
    assert "Question n° 20 sur" in more and "Question n° 19 sur" not in more
    seen = set()
    cursor = None
    while True:
        params = {"avant": cursor} if cursor else {}
        chunk = agent_client.get(
            reverse("customers:timeline", args=[customer.pk]), params
        ).content.decode()
        for i in range(45):
            if f"Question n° {i} sur" in chunk:
                assert i not in seen
                seen.add(i)
        if "?avant=" not in chunk:
            break
        start = chunk.index("?avant=") + len("?avant=")
        cursor = chunk[start : chunk.index('"', start)]
    assert seen == set(range(45))


def test_anonymous_must_not_get_in(client, helene):
    response = client.get(helene.get_absolute_url())
    assert response.status_code == 302 and "/connexion/" in response["Location"]


def test_user_without_agent_profile_is_refused(client, helene, django_user_model):
    user = django_user_model.objects.create_user("externe", password="x-Très-long-42")
    client.force_login(user)
    assert client.get(helene.get_absolute_url()).status_code == 403


def test_handover_notifies_the_usual_contact(client, helene, agent, make_staff, agency_lyon):
    other = make_staff("karim", "Karim Benali", roles.AGENT, agency_lyon)
    client.force_login(other.user)
    response = client.post(
        reverse("customers:handover", args=[helene.pk]),
        {"note": "Souhaite parler de son abonnement"},
    )
    assert response.status_code == 302
    alert = agent.alerts.get()
    assert alert.kind == "handover"
    assert "Karim Benali vous confie Mme Hélène Dupont-Lefèvre" in alert.text
    assert Touchpoint.objects.filter(customer=helene, kind="handover").count() == 1


def test_the_page_opens_no_transaction_of_its_own(agent_client, helene, monkeypatch):
    """The audit row of the page is one INSERT in autocommit: no BEGIN and COMMIT round
    trips around it (bulk_create's transaction, for a single row)."""
    from django.db.transaction import Atomic

    from relation_client.privacy.models import AuditEvent

    agent_client.get(helene.get_absolute_url())  # the user, agent and roles cached
    entered = []
    enter = Atomic.__enter__

    def spy(self):
        entered.append(self)
        return enter(self)

    monkeypatch.setattr(Atomic, "__enter__", spy)
    before = AuditEvent.objects.filter(customer_id=helene.pk).count()
    assert agent_client.get(helene.get_absolute_url()).status_code == 200
    assert entered == []
    assert AuditEvent.objects.filter(customer_id=helene.pk).count() == before + 1
