"""An audit row keeps its detail as a code and parameters, written in the reader's
language when the trail is read."""

import pytest
from django.urls import reverse
from django.utils import translation

from relation_client.privacy.models import AuditAction, AuditEvent
from relation_client.privacy.services import audit_record

pytestmark = pytest.mark.django_db

ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}
FRENCH = {"HTTP_ACCEPT_LANGUAGE": "fr"}


def test_an_incoming_call_traced_in_french_is_read_in_english(
    agent_client, dpo_client, make_customer
):
    jean = make_customer("Jean", "de La Fontaine", phones=["04 78 12 34 56"])
    agent_client.get(reverse("customers:incoming_call"), {"phone": "0478123456"}, **FRENCH)
    event = AuditEvent.objects.get(customer_id=jean.pk)
    assert (event.code, event.params, event.detail) == ("audit.incoming_call", {}, "")

    english = dpo_client.get(reverse("privacy:index"), {"fiche": jean.pk}, **ENGLISH)
    assert "incoming call" in english.content.decode()
    assert "appel entrant" not in english.content.decode()
    french = dpo_client.get(reverse("privacy:index"), {"fiche": jean.pk}, **FRENCH)
    assert "appel entrant" in french.content.decode()


def test_a_consent_change_says_its_choices_in_the_readers_language(helene, agent):
    with translation.override("fr"):
        audit_record(
            user=agent.user,
            action=AuditAction.CHANGE,
            customer_ids=[helene.pk],
            channel="page",
            code="audit.consent",
            params={
                "purpose": "marketing",
                "channel": "phone",
                "decision": False,
                "source": "counter",
            },
        )
    event = AuditEvent.objects.get()
    with translation.override("fr"):
        french = event.detail_text
    with translation.override("en"):
        english = event.detail_text
    assert french == "Offres et reconquête par téléphone : retiré (au guichet)"
    assert "withdrawn" in english and " by phone" in english
    assert "retiré" not in english and "guichet" not in english


def test_a_row_written_before_the_codes_keeps_its_words(dpo_client, helene):
    AuditEvent.objects.create(
        actor_label="Camille Rousseau (camille)",
        action=AuditAction.VIEW,
        customer_id=helene.pk,
        channel="page",
        code="legacy",
        detail="appel entrant (ancienne trace)",
    )
    page = dpo_client.get(reverse("privacy:index"), {"fiche": helene.pk}, **ENGLISH)
    assert "appel entrant (ancienne trace)" in page.content.decode()
