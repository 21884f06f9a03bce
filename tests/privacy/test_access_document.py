"""The right-of-access document: French sections, the models' labels, choices by their
label, times in Paris time written the French way, the raw JSON beside it; every key of
every export under a declared label (no drift between the export and the document)."""

import datetime
import html
import json
from decimal import Decimal

import pytest
from django.urls import reverse

from relation_client.customers.consents import consent_record
from relation_client.privacy.document import access_document
from relation_client.privacy.models import AuditEvent
from relation_client.privacy.services import customer_export
from relation_client.touchpoints.models import Reason
from relation_client.touchpoints.services import gesture_grant, touchpoint_log
from tests.support.time import paris

pytestmark = pytest.mark.django_db

SECTIONS = [
    "Identité",
    "Coordonnées",
    "Consentements",
    "Échanges",
    "Demandes",
    "Gestes commerciaux",
    "Abonnements",
    "Fréquentation",
    "Reconquête",
    "Enquêtes de satisfaction",
    "Signalements d'incivilité",
]


@pytest.fixture
def history(helene, agent):
    consent_record(
        customer=helene,
        channel="sms",
        purpose="marketing",
        given=True,
        source="counter",
        at=paris(2026, 3, 14, 10, 30),  # winter time: 09:30 UTC
    )
    touchpoint_log(
        agent=agent,
        customer=helene,
        channel="phone",
        reason=Reason.objects.get(code="fare"),
        summary="Tarif solidaire pour Hélène : justificatifs demandés",
        occurred_at=paris(2026, 7, 1, 10, 0),  # summer time: 08:00 UTC
    )
    gesture_grant(
        customer=helene,
        agent=agent,
        kind="free_trips",
        value=Decimal("4.50"),
        reason="Retard répété de la ligne C3",
        channel="phone",
    )
    return helene


def page_of(dpo_client, customer) -> str:
    response = dpo_client.get(reverse("privacy:customer", args=[customer.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_the_document_is_in_french_sections_with_the_models_labels(dpo_client, history):
    page = page_of(dpo_client, history)
    positions = [page.find(f">{html.escape(title)}</h2>") for title in SECTIONS]
    assert -1 not in positions, [t for t, at in zip(SECTIONS, positions, strict=True) if at < 0]
    assert positions == sorted(positions[:6]) + positions[6:]  # the core's order
    for label in ("Prénom", "Date de naissance", "Interlocuteur habituel", "Finalité", "Motif"):
        assert label in page
    for raw in ("first_name", "birth_date", "usual_contact", "occurred_at", "contact_points"):
        assert raw not in page


def test_times_are_in_paris_time_and_choices_by_their_label(dpo_client, history):
    page = page_of(dpo_client, history)
    assert "14 mars 2026 à 10:30" in page  # recorded 09:30 UTC
    assert "1er juillet 2026 à 10:00" in page  # logged 08:00 UTC; the first of the month "1er"
    assert "12 avril 1968" in page
    assert "06 12 34 56 78" in page  # read aloud; the JSON keeps +33612345678
    assert "Offres et reconquête" in page and "Au guichet" in page  # the consent's choices
    assert "Voyages offerts" in page and "4,50" in page  # the gesture
    assert "Téléphone" in page and ">phone<" not in page
    assert "Tarif solidaire pour Hélène : justificatifs demandés" in page


def test_the_json_stays_beside_it_and_each_export_is_audited(dpo_client, history):
    page = page_of(dpo_client, history)
    assert 'href="?format=json"' in page and "data-print" in page
    response = dpo_client.get(reverse("privacy:customer", args=[history.pk]), {"format": "json"})
    data = json.loads(response.content)
    assert data["consents"][0]["recorded_at"] == "2026-03-14T09:30:00+00:00"
    assert data["touchpoints"][0]["channel"] == "phone"
    assert AuditEvent.objects.filter(action="export", customer_id=history.pk).count() == 2


def test_every_key_of_the_core_export_has_a_declared_label(history, dpo):
    data = customer_export(customer=history, user=dpo.user)
    undeclared = [
        (section.title, col.key)
        for section in access_document(data)
        for block in section.blocks
        for col in block.columns
        if not col.declared
    ]
    assert undeclared == []


def test_an_undeclared_key_is_still_shown_under_its_name(history, dpo):
    data = customer_export(customer=history, user=dpo.user)
    data["touchpoints"][0]["nouvelle_colonne"] = "valeur"
    [exchanges] = [s for s in access_document(data) if s.title == "Échanges"]
    [block] = exchanges.blocks
    assert block.columns[-1].key == "nouvelle_colonne" and not block.columns[-1].declared
    assert block.rows[0][-1] == "valeur"


def test_the_document_of_an_empty_record_says_so(dpo_client, make_customer):
    nobody = make_customer("Zoé", "Besançon")
    page = page_of(dpo_client, nobody)
    assert "Aucune donnée." in page


def test_a_month_is_shown_as_a_month():
    from reconquete.models import RidershipMonth
    from relation_client.privacy.document import display
    from relation_client.privacy.registry import MONTH, column

    col = column(RidershipMonth, "month", kind=MONTH)
    assert display(col, datetime.date(2026, 3, 1).isoformat()) == "mars 2026"
