"""PATCH /api/v1/customers/{id}/: only what is sent changes, never half-saved."""

from django.urls import reverse

from relation_client.customers.models import ContactPoint, Customer
from relation_client.privacy.models import AuditAction, AuditEvent
from tests.api.conftest import error_of


def url(customer_id: int) -> str:
    return reverse("api:customer-detail", args=[customer_id])


def test_changes_only_the_fields_sent(api_client, helene, manager_lyon):
    response = api_client.patch(
        url(helene.pk),
        {"preferred_name": "Madame Hélène", "usual_contact": manager_lyon.pk, "segment": None},
    )

    assert response.status_code == 200
    body = response.json()
    assert body["salutation"] == "Madame Hélène"
    assert body["usual_contact"]["display_name"] == "François Lemaire"
    assert body["segment"] is None
    assert body["last_name"] == "Dupont-Lefèvre"
    assert body["emails"] == ["helene.dupont@exemple.fr"]


def test_phones_sent_replace_the_current_ones(api_client, helene):
    response = api_client.patch(url(helene.pk), {"phones": ["+33 4 78 00 00 01"]})

    assert response.status_code == 200
    assert [p["display"] for p in response.json()["phones"]] == ["04 78 00 00 01"]


def test_an_invalid_phone_changes_nothing(api_client, helene):
    response = api_client.patch(
        url(helene.pk), {"first_name": "Léna", "phones": ["06 12 34 56 78", "12345"]}
    )

    assert response.status_code == 400
    body = error_of(response)
    assert (body["code"], body["field"]) == ("invalid_phone", "phones")
    helene.refresh_from_db()
    assert helene.first_name == "Hélène"
    assert list(ContactPoint.objects.filter(kind="phone").values_list("value", flat=True)) == [
        "+33612345678"
    ]


def test_cards_are_not_changed_here(api_client, helene):
    response = api_client.patch(url(helene.pk), {"cards": ["TCL 9999"]})

    assert response.status_code == 400
    assert (error_of(response)["code"], error_of(response)["field"]) == ("unknown_field", "cards")


def test_unknown_customer_is_a_json_404(api_client):
    response = api_client.patch(url(987654), {"first_name": "Léna"})

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_anonymous_cannot_change(anonymous_client, helene):
    response = anonymous_client.patch(url(helene.pk), {"first_name": "Intrus"})

    assert response.status_code == 401
    assert Customer.objects.get().first_name == "Hélène"


def test_emptying_the_phones_keeps_them_in_the_audit_row(api_client, helene, agent):
    response = api_client.patch(url(helene.pk), {"phones": [], "first_name": "Léna"}, format="json")

    assert response.status_code == 200
    assert response.json()["phones"] == []
    event = AuditEvent.objects.get(customer_id=helene.pk, action=AuditAction.CHANGE)
    assert (event.actor, event.channel) == (agent.user, "api")
    assert event.changes == {
        "phones": {"old": ["+33612345678"], "new": []},
        "first_name": {"old": "Hélène", "new": "Léna"},
    }


def test_fields_sent_unchanged_are_not_in_the_audit_row(api_client, helene):
    api_client.patch(
        url(helene.pk), {"last_name": "Dupont-Lefèvre", "emails": ["helene.dupont@exemple.fr"]}
    )

    event = AuditEvent.objects.get(customer_id=helene.pk, action=AuditAction.CHANGE)
    assert event.changes == {}
