import pytest
from django.db import DatabaseError, transaction
from django.urls import reverse

from relation_client.privacy.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_viewing_a_customer_page_is_traced(agent_client, helene):
    agent_client.get(helene.get_absolute_url())
    event = AuditEvent.objects.get()
    assert (event.action, event.customer_id, event.channel) == ("view", helene.pk, "page")
    assert event.actor_label == "Camille Rousseau (camille)"


def test_caller_identification_is_traced_for_every_match(agent_client, make_customer):
    jean = make_customer("Jean", "de La Fontaine", phones=["04 78 12 34 56"])
    marie = make_customer("Marie", "de La Fontaine", phones=["04 78 12 34 56"])
    agent_client.get(reverse("customers:incoming_call"), {"phone": "0478123456"})
    assert set(AuditEvent.objects.values_list("customer_id", flat=True)) == {jean.pk, marie.pk}


def test_api_reads_and_changes_are_traced_with_the_token(helene, social_desk_token):
    _token, client = social_desk_token
    client.get(f"/api/v1/customers/{helene.pk}/")
    client.patch(
        f"/api/v1/customers/{helene.pk}/", {"needs": "Préfère être appelée le matin"}, format="json"
    )
    actions = list(
        AuditEvent.objects.order_by("id").values_list("action", "actor_label", "channel")
    )
    assert actions == [
        ("view", "jeton Bureau réseaux sociaux", "api"),
        ("change", "jeton Bureau réseaux sociaux", "api"),
    ]


def test_the_trail_is_append_only(agent_client, helene):
    agent_client.get(helene.get_absolute_url())
    event = AuditEvent.objects.get()
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(actor_label="quelqu'un d'autre")
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.get().actor_label == "Camille Rousseau (camille)"


def test_dpo_searches_the_trail(dpo_client, agent_client, helene, make_customer):
    other = make_customer("Chloé", "Béranger")
    agent_client.get(helene.get_absolute_url())
    agent_client.get(other.get_absolute_url())
    page = dpo_client.get(reverse("privacy:index"), {"fiche": helene.pk}).content.decode()
    assert page.count("<td>Consultation</td>") == 1
    assert f"<td>{helene.pk}</td>" in page


def test_an_agent_must_not_get_in(agent_client, helene):
    assert agent_client.get(reverse("privacy:index")).status_code == 403
    assert agent_client.get(reverse("privacy:customer", args=[helene.pk])).status_code == 403
    assert (
        agent_client.post(
            reverse("privacy:erase", args=[helene.pk]), {"confirmation": helene.pk, "reason": "x"}
        ).status_code
        == 403
    )
