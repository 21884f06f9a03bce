import datetime
import json

import pytest
from django.urls import reverse
from django.utils import timezone

from relation_client.customers.consents import consent_record
from relation_client.customers.models import ContactPoint, Customer, Identifier
from relation_client.customers.selectors import customer_search
from relation_client.privacy.models import AuditEvent, RetentionRun
from relation_client.privacy.retention import retention_run
from relation_client.privacy.services import customer_erase
from relation_client.touchpoints.models import Alert, Reason, Touchpoint
from relation_client.touchpoints.selectors import identification_rate
from relation_client.touchpoints.services import touchpoint_log
from socle.errors import DomainError

pytestmark = pytest.mark.django_db


@pytest.fixture
def history(helene, agent, make_customer):
    reason = Reason.objects.get(code="fare")
    consent_record(
        customer=helene, channel="sms", purpose="marketing", given=True, source="counter"
    )
    for summary in ("Tarif solidaire pour Hélène", "Relance : justificatifs reçus"):
        touchpoint_log(
            agent=agent, customer=helene, channel="phone", reason=reason, summary=summary
        )
    touchpoint_log(
        agent=agent, customer=None, channel="counter", reason=reason, summary="Passant anonyme"
    )
    return helene


def test_right_of_access_exports_everything_as_json_and_html(dpo_client, history):
    response = dpo_client.get(reverse("privacy:customer", args=[history.pk]), {"format": "json"})
    data = json.loads(response.content)
    assert data["customer"]["last_name"] == "Dupont-Lefèvre"
    assert {p["value"] for p in data["contact_points"]} == {
        "+33612345678",
        "helene.dupont@exemple.fr",
    }
    assert [t["summary"] for t in data["touchpoints"]] == [
        "Tarif solidaire pour Hélène",
        "Relance : justificatifs reçus",
    ]
    assert data["consents"][0]["channel"] == "sms"
    assert "attachment" in response["Content-Disposition"]
    page = dpo_client.get(reverse("privacy:customer", args=[history.pk])).content.decode()
    assert "Tarif solidaire pour Hélène" in page
    assert AuditEvent.objects.filter(action="export", customer_id=history.pk).count() == 2


def test_erasure_removes_the_person_and_keeps_every_count(dpo_client, history, agency_lyon):
    before = identification_rate(agency_id=agency_lyon.pk)
    touchpoints_before = Touchpoint.objects.count()
    response = dpo_client.post(
        reverse("privacy:erase", args=[history.pk]),
        {"confirmation": str(history.pk), "reason": "Courrier du 12/11"},
    )
    assert response.status_code == 302
    person = Customer.objects.get(pk=history.pk)
    assert (person.first_name, person.last_name, person.birth_date) == (
        "Anonyme",
        f"#{person.pk}",
        None,
    )
    assert person.anonymised_at is not None
    assert not ContactPoint.objects.filter(customer=person).exists()
    assert not Identifier.objects.filter(customer=person).exists()
    assert set(person.touchpoints.values_list("summary", flat=True)) == {"[effacé]"}
    assert not Alert.objects.filter(customer=person).exclude(message="[effacé]").exists()
    # the counts are the same: the rows stay, without the person
    assert Touchpoint.objects.count() == touchpoints_before
    assert identification_rate(agency_id=agency_lyon.pk) == before
    assert AuditEvent.objects.filter(action="erase", customer_id=person.pk).exists()


def test_erasure_needs_the_typed_confirmation(dpo_client, history):
    dpo_client.post(
        reverse("privacy:erase", args=[history.pk]), {"confirmation": "1", "reason": "x"}
    )
    assert Customer.objects.get(pk=history.pk).anonymised_at is None


def test_retention_anonymises_the_long_silent_and_tells_the_dpo(history, make_customer, dpo):
    silent = make_customer("Gaëtan", "Le Bihan")
    Customer.objects.filter(pk=silent.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=365 * 4)
    )
    Customer.objects.filter(pk=history.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=365 * 4)
    )  # but contacted today
    run = retention_run()
    assert run.anonymised == 1
    assert Customer.objects.get(pk=silent.pk).anonymised_at is not None
    assert Customer.objects.get(pk=history.pk).anonymised_at is None
    alert = Alert.objects.get(recipient=dpo, kind="retention")
    assert "1 fiche(s)" in alert.text
    assert retention_run().anonymised == 0  # idempotent
    assert RetentionRun.objects.count() == 2


def test_an_erased_customer_cannot_be_erased_twice(erased_customer, dpo):
    with pytest.raises(DomainError) as error:
        customer_erase(customer=erased_customer, user=dpo.user, reason="Relance de la demande")
    assert error.value.code == "already_erased"


def test_an_erased_customer_is_found_neither_by_name_nor_by_phone(erased_customer):
    assert erased_customer.anonymised_at is not None
    assert customer_search(query="Zoé Besançon") == []
    assert customer_search(query="04 78 00 11 22") == []
