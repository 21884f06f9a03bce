import datetime

import pytest
from django.utils import timezone

from relation_client.customers.consents import consent_current, consent_record, consent_split
from socle.errors import DomainError

pytestmark = pytest.mark.django_db


def test_latest_decision_wins_and_history_is_kept(helene, make_customer):
    chloe = make_customer("Chloé", "Béranger")
    silent = make_customer("Loïc", "Le Gall")
    earlier = timezone.now() - datetime.timedelta(days=30)
    consent_record(
        customer=helene,
        channel="sms",
        purpose="marketing",
        given=True,
        source="counter",
        at=earlier,
    )
    consent_record(
        customer=helene, channel="sms", purpose="marketing", given=False, source="customer_request"
    )
    consent_record(customer=chloe, channel="sms", purpose="marketing", given=True, source="web")
    allowed, refused = consent_split(
        customer_ids=[helene.pk, chloe.pk, silent.pk], channel="sms", purpose="marketing"
    )
    assert allowed == {chloe.pk}
    assert refused == {helene.pk, silent.pk}  # no decision is no consent
    assert consent_current(customer=helene)[("sms", "marketing")].given is False
    assert helene.consents.count() == 2


def test_unknown_channel_is_refused(helene):
    with pytest.raises(DomainError) as error:
        consent_record(
            customer=helene, channel="pigeon", purpose="marketing", given=True, source="counter"
        )
    assert error.value.field == "channel"
