"""STOP answered to an SMS, as the provider forwards it to /canaux/sms/entrant/: the SMS
marketing consent of every customer with that number is withdrawn and the commercial SMS
waiting for it are cancelled; an unknown number or another text changes nothing and gets
the same 200; without the shared token, a 401."""

import json

import pytest
from django.urls import reverse

from relation_client.customers.consents import consent_current, consent_record
from relation_client.customers.models import Consent, ConsentSource
from relation_client.messaging import outbox
from relation_client.messaging.models import OutboundMessage, OutboundPurpose, OutboundStatus
from tests.support.time import paris

pytestmark = pytest.mark.django_db

INBOUND_TOKEN = "jeton-operateur-sms-4b1d"
TUESDAY_10 = paris(2026, 3, 3, 10, 0)


@pytest.fixture(autouse=True)
def inbound_token(settings):
    settings.SMS_INBOUND_TOKEN = INBOUND_TOKEN
    settings.SMS_STOP_NUMBER = "36111"


def _post(client, data, *, token=INBOUND_TOKEN, raw=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token is not None else {}
    body = raw if raw is not None else json.dumps(data)
    return client.post(reverse("sms_inbound"), body, content_type="application/json", **headers)


def _customer(make_customer, first, last, phone, email=None):
    customer = make_customer(first, last, phones=[phone], emails=[email] if email else [])
    for channel in ("sms", "email"):
        consent_record(
            customer=customer,
            channel=channel,
            purpose="marketing",
            given=True,
            source="counter",
            at=paris(2026, 1, 5, 9, 0),
        )
    return customer


@pytest.fixture
def helene(make_customer):
    return _customer(
        make_customer, "Hélène", "Dupont-Lefèvre", "06 12 34 56 78", "helene.dupont@exemple.fr"
    )


@pytest.fixture
def jerome(make_customer):
    return _customer(make_customer, "Jérôme", "Gaël-Noël", "07 98 76 54 32")


def _queue(customer, *, channel="sms", purpose=OutboundPurpose.CAMPAIGN, to="+33612345678"):
    return outbox.message_queue(
        channel=channel,
        purpose=purpose,
        to_address=to,
        subject="Votre abonnement Técély",
        body_text="Hélène, -20 % sur votre abonnement Técély jusqu'au 31 mars.",
        customer=customer,
        now=TUESDAY_10,
    )


def _sms_marketing(customer) -> Consent:
    return consent_current(customer=customer)[("sms", "marketing")]


def _statuses() -> dict[int, str]:
    return dict(OutboundMessage.objects.values_list("pk", "status"))


@pytest.mark.parametrize(
    "text", ["STOP", "  stop \n", "Stop SMS", "ARRÊT", "arret", "Stop !", "STOP."]
)
def test_stop_withdraws_the_sms_marketing_consent(client, helene, text):
    response = _post(client, {"from": "+33612345678", "text": text})

    assert response.status_code == 200
    decision = _sms_marketing(helene)
    assert (decision.given, decision.source) == (False, ConsentSource.SMS_STOP)
    assert decision.recorded_by is None
    # no more SMS at all from us: the survey invitations by SMS stop too; e-mail is not
    # the STOP's business
    current = consent_current(customer=helene)
    assert current[("sms", "surveys")].given is False
    assert current[("email", "marketing")].given is True


def test_stop_withdraws_the_sms_disruption_warnings_too(client, helene):
    # a STOP answered to a warning of a disruption (its own consent) stops the next one
    consent_record(
        customer=helene, channel="sms", purpose="travel_info", given=True, source="counter"
    )
    warning = _queue(helene, purpose=OutboundPurpose.PROACTIVE)

    _post(client, {"from": "+33612345678", "text": "STOP"})

    decision = consent_current(customer=helene)[("sms", "travel_info")]
    assert (decision.given, decision.source) == (False, ConsentSource.SMS_STOP)
    warning.refresh_from_db()
    assert warning.status == OutboundStatus.CANCELLED


def test_stop_cancels_the_commercial_sms_waiting_for_that_number(client, helene, jerome):
    campaign = _queue(helene)
    answer = _queue(helene, purpose=OutboundPurpose.ANSWER)
    mail = _queue(helene, channel="email", to="helene.dupont@exemple.fr")
    other = _queue(jerome, to="+33798765432")

    # the provider may drop the "+": 33612345678
    assert _post(client, {"from": "33612345678", "text": "STOP"}).status_code == 200

    campaign.refresh_from_db()
    assert campaign.status == OutboundStatus.CANCELLED
    assert campaign.last_error == "Annulé : le destinataire a répondu STOP."
    assert _statuses() == {
        campaign.pk: OutboundStatus.CANCELLED,
        answer.pk: OutboundStatus.PENDING,  # an answer is not an offer
        mail.pk: OutboundStatus.PENDING,
        other.pk: OutboundStatus.PENDING,
    }
    assert _sms_marketing(jerome).given is True


def test_every_customer_sharing_the_number_withdraws(client, make_customer, helene):
    # her husband gave the same mobile at the counter
    bernard = _customer(make_customer, "Bernard", "Dupont-Lefèvre", "06 12 34 56 78")

    _post(client, {"from": "+33 6 12 34 56 78", "text": "STOP"})

    assert _sms_marketing(helene).given is False
    assert _sms_marketing(bernard).given is False


def test_a_stop_during_a_failed_attempt_stays_cancelled(client, helene, sms_gateway):
    sms_gateway.status = 503
    campaign = _queue(helene)
    claimed = outbox.message_claim(message_id=campaign.pk, dispatch=campaign.dispatch)

    _post(client, {"from": "+33612345678", "text": "STOP"})  # while the worker holds it
    outbox.message_record(message=claimed, error="HTTP 503")

    campaign.refresh_from_db()
    assert campaign.status == OutboundStatus.CANCELLED


def test_an_unknown_number_gets_the_same_answer_and_changes_nothing(client, helene):
    campaign = _queue(helene)
    consents = Consent.objects.count()
    known = _post(client, {"from": "+33612345678", "text": "Merci !"})

    for number in ("+33611111111", "n'importe quoi", ""):
        response = _post(client, {"from": number, "text": "STOP"})
        assert (response.status_code, response.json()) == (200, known.json())

    assert Consent.objects.count() == consents
    assert _statuses() == {campaign.pk: OutboundStatus.PENDING}


def test_another_text_is_ignored(client, helene):
    campaign = _queue(helene)
    consents = Consent.objects.count()

    response = _post(client, {"from": "+33612345678", "text": "Stop aux retards du C3 !"})

    assert response.status_code == 200
    assert Consent.objects.count() == consents
    assert _statuses() == {campaign.pk: OutboundStatus.PENDING}


@pytest.mark.parametrize("token", ["mauvais-jeton", "", None])
def test_without_the_shared_token_the_call_is_refused(client, helene, token):
    campaign = _queue(helene)

    response = _post(client, {"from": "+33612345678", "text": "STOP"}, token=token)

    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert _sms_marketing(helene).given is True
    assert _statuses() == {campaign.pk: OutboundStatus.PENDING}


def test_no_token_configured_refuses_everything(client, helene, settings):
    settings.SMS_INBOUND_TOKEN = ""

    response = _post(client, {"from": "+33612345678", "text": "STOP"}, token="")

    assert response.status_code == 401
    assert _sms_marketing(helene).given is True


def test_a_malformed_body_is_a_400(client):
    assert _post(client, None, raw="{pas du json").status_code == 400
    assert _post(client, {"from": "+33612345678"}).status_code == 400
    assert _post(client, ["STOP"]).status_code == 400


def test_only_post_is_accepted(client):
    response = client.get(reverse("sms_inbound"), HTTP_AUTHORIZATION=f"Bearer {INBOUND_TOKEN}")
    assert response.status_code == 405
