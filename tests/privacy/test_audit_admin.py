"""The Django admin: customers and consents are never deleted there (only erased through
customer_erase), and every change of personal data leaves an audit row with what the
changed fields held before."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from relation_client.customers.models import Consent, ContactPoint, Customer
from relation_client.privacy.models import AuditAction, AuditEvent

pytestmark = pytest.mark.django_db


@pytest.fixture
def consent(helene):
    return Consent.objects.create(
        customer=helene,
        channel="email",
        purpose="marketing",
        given=False,
        recorded_at=timezone.now() - datetime.timedelta(days=3),
        source="counter",
    )


def test_a_customer_cannot_be_deleted_in_the_admin(admin_client, helene):
    page = admin_client.get(reverse("admin:customers_customer_delete", args=[helene.pk]))
    assert page.status_code == 403
    response = admin_client.post(
        reverse("admin:customers_customer_delete", args=[helene.pk]), {"post": "yes"}
    )
    assert response.status_code == 403
    changelist = admin_client.get(reverse("admin:customers_customer_changelist"))
    assert "delete_selected" not in changelist.content.decode()
    admin_client.post(
        reverse("admin:customers_customer_changelist"),
        {"action": "delete_selected", "_selected_action": [helene.pk], "post": "yes"},
    )
    assert Customer.objects.filter(pk=helene.pk).exists()


def test_a_consent_decision_cannot_be_deleted_in_the_admin(admin_client, consent):
    url = reverse("admin:customers_consent_delete", args=[consent.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    admin_client.post(
        reverse("admin:customers_consent_changelist"),
        {"action": "delete_selected", "_selected_action": [consent.pk], "post": "yes"},
    )
    assert Consent.objects.filter(pk=consent.pk).exists()


def _change_form(customer, **overrides) -> dict:
    points = list(customer.contact_points.order_by("id"))
    identifiers = list(customer.identifiers.order_by("id"))
    data = {
        "civility": customer.civility,
        "first_name": customer.first_name,
        "last_name": customer.last_name,
        "preferred_name": customer.preferred_name,
        "preferred_language": customer.preferred_language,
        "birth_date": customer.birth_date.isoformat() if customer.birth_date else "",
        "postal_address": customer.postal_address,
        "needs": customer.needs,
        "tags": ",".join(customer.tags),
        "segment": customer.segment_id or "",
        "home_agency": customer.home_agency_id or "",
        "usual_contact": customer.usual_contact_id or "",
        "contact_points-TOTAL_FORMS": len(points),
        "contact_points-INITIAL_FORMS": len(points),
        "identifiers-TOTAL_FORMS": len(identifiers),
        "identifiers-INITIAL_FORMS": len(identifiers),
    }
    for i, point in enumerate(points):
        data |= {
            f"contact_points-{i}-id": point.pk,
            f"contact_points-{i}-customer": customer.pk,
            f"contact_points-{i}-kind": point.kind,
            f"contact_points-{i}-value": point.value,
            f"contact_points-{i}-label": point.label,
        }
    for i, identifier in enumerate(identifiers):
        data |= {
            f"identifiers-{i}-id": identifier.pk,
            f"identifiers-{i}-customer": customer.pk,
            f"identifiers-{i}-kind": identifier.kind,
            f"identifiers-{i}-number": identifier.number,
        }
    return data | overrides


def test_an_admin_change_is_audited_with_the_old_values(admin_client, admin_user, helene):
    phone = helene.contact_points.get(kind="phone")
    data = _change_form(helene, postal_address="3 place Bellecour, Lyon")
    index = list(helene.contact_points.order_by("id")).index(phone)
    data[f"contact_points-{index}-DELETE"] = "on"

    response = admin_client.post(reverse("admin:customers_customer_change", args=[helene.pk]), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    assert not ContactPoint.objects.filter(pk=phone.pk).exists()
    event = AuditEvent.objects.get(customer_id=helene.pk, action=AuditAction.CHANGE)
    assert (event.actor, event.channel) == (admin_user, "admin")
    assert event.changes["postal_address"] == {"old": "", "new": "3 place Bellecour, Lyon"}
    assert event.changes[f"contactpoint:{phone.pk}"] == {
        "old": {"kind": "phone", "value": "+33612345678", "label": ""},
        "new": None,
    }


def test_a_consent_added_in_the_admin_is_audited(admin_client, helene):
    response = admin_client.post(
        reverse("admin:customers_consent_add"),
        {
            "customer": helene.pk,
            "channel": "sms",
            "purpose": "surveys",
            "given": "",
            "recorded_at_0": "2026-03-02",
            "recorded_at_1": "10:00:00",
            "source": "counter",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    event = AuditEvent.objects.get(customer_id=helene.pk, action=AuditAction.CHANGE)
    assert event.changes["channel"] == {"old": None, "new": "sms"}
