"""A privacy alert is never lost: with no data-protection officer, it climbs the
hierarchy like every other alert (the network direction, then an administrator)."""

import pytest

from relation_client.touchpoints.models import Alert
from tests.privacy.test_read_audit import read_every_page

pytestmark = pytest.mark.django_db


@pytest.fixture
def twelve(make_customer):
    return [make_customer("Hélène", f"Martin-{index:02d}") for index in range(12)]


def test_with_no_dpo_the_bulk_read_alert_goes_to_the_direction(
    twelve, make_token, director, supervisor_lyon, agent, settings
):
    settings.READ_VOLUME_ALERT = 10
    _token, _raw, client = make_token("customers:read", name="Export CRM")
    read_every_page(client)
    [alert] = Alert.objects.filter(kind="bulk_read")
    assert alert.recipient_id == director.pk
    assert "jeton Export CRM" in alert.text


def test_a_disabled_dpo_does_not_swallow_the_alert(twelve, make_token, dpo, director, settings):
    settings.READ_VOLUME_ALERT = 10
    dpo.user.is_active = False
    dpo.user.save(update_fields=["is_active"])
    _token, _raw, client = make_token("customers:read", name="Billettique")
    read_every_page(client)
    [alert] = Alert.objects.filter(kind="bulk_read")
    assert alert.recipient_id == director.pk
