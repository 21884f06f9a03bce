"""The outbox's sending rules: consent read again at the moment of sending (a campaign or an
invitation whose customer withdrew is cancelled, nothing reaches the SMTP server or the
SMS provider; answers go regardless), and the quiet hours of commercial SMS (not before
8:00 nor from 20:00 Paris time, never on Sundays or public holidays, across the clock
changes) at queueing, at a retry and at the moment a worker picks the message up."""

import datetime

import pytest

from relation_client.customers.consents import consent_record
from relation_client.messaging import outbox
from relation_client.messaging.models import OutboundMessage, OutboundPurpose, OutboundStatus
from relation_client.messaging.rules import marketing_sms_moment
from tests.support.time import paris

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
TUESDAY_10 = paris(2026, 3, 3, 10, 0)


# --- quiet hours ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("moment", "allowed"),
    [
        # a weekday's day: at once, 8:00 included, 20:00 excluded
        (paris(2026, 3, 3, 10, 0), paris(2026, 3, 3, 10, 0)),
        (paris(2026, 3, 3, 8, 0), paris(2026, 3, 3, 8, 0)),
        (paris(2026, 3, 3, 19, 59, 59), paris(2026, 3, 3, 19, 59, 59)),
        (paris(2026, 3, 3, 20, 0), paris(2026, 3, 4, 8, 0)),
        # before 8:00: the same morning
        (paris(2026, 3, 3, 6, 30), paris(2026, 3, 3, 8, 0)),
        # Saturday is a working day until 20:00; Saturday evening waits for Monday
        (paris(2026, 3, 7, 15, 0), paris(2026, 3, 7, 15, 0)),
        (paris(2026, 3, 7, 21, 0), paris(2026, 3, 9, 8, 0)),
        (paris(2026, 3, 8, 11, 0), paris(2026, 3, 9, 8, 0)),  # a Sunday
        # Christmas (a Friday in 2026) is skipped: Thursday evening waits for Saturday
        (paris(2026, 12, 24, 21, 0), paris(2026, 12, 26, 8, 0)),
        (paris(2026, 12, 25, 10, 0), paris(2026, 12, 26, 8, 0)),
        # Easter Sunday then Easter Monday: Saturday evening waits for Tuesday
        (paris(2026, 4, 4, 21, 0), paris(2026, 4, 7, 8, 0)),
        # 14 July, a Tuesday
        (paris(2026, 7, 13, 20, 30), paris(2026, 7, 15, 8, 0)),
    ],
    ids=str,
)
def test_a_commercial_sms_waits_for_the_next_allowed_moment(moment, allowed):
    assert marketing_sms_moment(moment) == allowed


def test_the_spring_clock_change_night_lands_on_monday_8_paris_time():
    # Saturday 28 March 2026 21:00 (UTC+1); the clocks go forward on the Sunday night
    allowed = marketing_sms_moment(paris(2026, 3, 28, 21, 0))
    assert allowed == paris(2026, 3, 30, 8, 0)
    assert allowed.astimezone(UTC) == datetime.datetime(2026, 3, 30, 6, 0, tzinfo=UTC)


def test_the_autumn_clock_change_night_lands_on_monday_8_paris_time():
    # Saturday 24 October 2026 21:00 (UTC+2); the clocks go back on the Sunday night
    allowed = marketing_sms_moment(paris(2026, 10, 24, 21, 0))
    assert allowed == paris(2026, 10, 26, 8, 0)
    assert allowed.astimezone(UTC) == datetime.datetime(2026, 10, 26, 7, 0, tzinfo=UTC)


# --- consent and customers --------------------------------------------------------------


@pytest.fixture
def helene(make_customer):
    """Hélène: a mobile and an e-mail, offers accepted on both at the counter in January."""
    customer = make_customer(
        "Hélène",
        "Dupont-Lefèvre",
        phones=["06 12 34 56 78"],
        emails=["helene.dupont@exemple.fr"],
    )
    for channel in ("sms", "email"):
        _consent(customer, channel, "marketing", True, at=paris(2026, 1, 5, 9, 0))
    return customer


def _consent(customer, channel, purpose, given, **extra):
    return consent_record(
        customer=customer,
        channel=channel,
        purpose=purpose,
        given=given,
        source="phone" if not given else "counter",
        **extra,
    )


def _campaign_sms(customer, **extra) -> OutboundMessage:
    values = {
        "channel": "sms",
        "purpose": OutboundPurpose.CAMPAIGN,
        "to_address": "+33612345678",
        "body_text": "Hélène, votre abonnement Técély à -20 % jusqu'au 31 mars.",
        "customer": customer,
        "origin": f"reconquete.target:{customer.pk if customer else 0}",
    }
    return outbox.message_queue(**{**values, **extra})


def _mail(customer, purpose, **extra) -> OutboundMessage:
    values = {
        "channel": "email",
        "purpose": purpose,
        "to_address": "helene.dupont@exemple.fr",
        "subject": "Votre avis sur votre échange avec l'agence Part-Dieu",
        "body_text": "Bonjour Hélène,\n\nDites-nous ce que vous en avez pensé.",
        "customer": customer,
    }
    return outbox.message_queue(**{**values, **extra})


def _send(message: OutboundMessage, **extra) -> str:
    message.refresh_from_db()
    return outbox.outbound_send(message_id=message.pk, dispatch=message.dispatch, **extra)


def _fresh(message: OutboundMessage) -> OutboundMessage:
    return OutboundMessage.objects.get(pk=message.pk)


# --- quiet hours through the outbox --------------------------------------------------------


def test_a_campaign_sms_queued_saturday_evening_waits_for_monday(
    helene, sms_gateway, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        message = _campaign_sms(helene, now=paris(2026, 3, 28, 21, 0))

    assert message.next_attempt_at == paris(2026, 3, 30, 8, 0)  # across the clock change
    assert queued == []  # not handed to a worker now: the minute's sweep sends it then
    assert outbox.outbox_sweep(now=paris(2026, 3, 29, 12, 0)) == 0
    assert outbox.outbox_sweep(now=paris(2026, 3, 30, 8, 0)) == 1


def test_a_campaign_sms_queued_in_the_day_goes_at_once(
    helene, sms_gateway, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as queued:
        message = _campaign_sms(helene, now=TUESDAY_10)
    assert message.next_attempt_at == TUESDAY_10
    assert len(queued) == 1


def test_a_campaign_sms_asked_for_christmas_day_waits_for_the_next_day(helene, sms_gateway):
    message = _campaign_sms(helene, not_before=paris(2026, 12, 25, 9, 0), now=TUESDAY_10)
    assert message.next_attempt_at == paris(2026, 12, 26, 8, 0)


def test_an_answer_sms_is_not_held_at_night(sms_gateway, django_capture_on_commit_callbacks):
    night = paris(2026, 3, 8, 23, 0)  # a Sunday night
    with django_capture_on_commit_callbacks() as queued:
        message = outbox.message_queue(
            channel="sms",
            purpose=OutboundPurpose.ANSWER,
            to_address="+33612345678",
            body_text="Votre carte Técély est prête.",
            now=night,
        )
    assert message.next_attempt_at == night
    assert len(queued) == 1
    assert _send(message, now=night) == OutboundStatus.SENT


def test_a_retry_falling_after_20h_moves_to_the_next_allowed_morning(helene, sms_gateway):
    sms_gateway.status = 503
    friday = paris(2026, 3, 6, 19, 59, 50)
    message = _campaign_sms(helene, now=friday)

    assert _send(message, now=friday) == OutboundStatus.PENDING

    # 30 s later would be 20:00:20 on Friday: Saturday 8:00 instead
    assert _fresh(message).next_attempt_at == paris(2026, 3, 7, 8, 0)


def test_an_answer_retry_is_not_moved(sms_gateway):
    sms_gateway.status = 503
    friday = paris(2026, 3, 6, 19, 59, 50)
    message = outbox.message_queue(
        channel="sms",
        purpose=OutboundPurpose.ANSWER,
        to_address="+33612345678",
        body_text="Votre carte Técély est prête.",
        now=friday,
    )
    _send(message, now=friday)
    wait = _fresh(message).next_attempt_at - friday
    assert datetime.timedelta(seconds=23) <= wait <= datetime.timedelta(seconds=31)


def test_a_campaign_sms_picked_up_after_20h_is_held_without_losing_an_attempt(helene, sms_gateway):
    message = _campaign_sms(helene, now=paris(2026, 3, 6, 19, 59, 59))

    # the worker gets to it a few seconds late
    assert _send(message, now=paris(2026, 3, 6, 20, 0, 3)) == "held"

    row = _fresh(message)
    assert (row.status, row.attempts, row.dispatched_at) == (OutboundStatus.PENDING, 0, None)
    assert row.next_attempt_at == paris(2026, 3, 7, 8, 0)
    assert sms_gateway.received == []
    # Saturday morning the sweep hands it over and it leaves
    assert outbox.outbox_sweep(now=paris(2026, 3, 7, 8, 0)) == 1
    assert _send(row, now=paris(2026, 3, 7, 8, 0, 2)) == OutboundStatus.SENT
    assert len(sms_gateway.received) == 1


# --- consent at the moment of sending ------------------------------------------------------


def test_consent_withdrawn_after_queueing_cancels_the_campaign_mail(helene, smtp_server):
    message = _mail(helene, OutboundPurpose.CAMPAIGN, origin="reconquete.target:7")
    _consent(helene, "email", "marketing", False, at=paris(2026, 3, 3, 10, 15))

    assert _send(message) == OutboundStatus.CANCELLED

    row = _fresh(message)
    assert row.status == OutboundStatus.CANCELLED
    assert row.last_error == (
        "Annulé : consentement « Offres et reconquête » par E-mail retiré le 03/03/2026 à 10:15."
    )
    assert smtp_server.received == []
    # cancelled is final: a task delivered again does nothing
    assert outbox.outbound_send(message_id=message.pk, dispatch=row.dispatch) == "skipped"


def test_consent_withdrawn_after_queueing_cancels_the_campaign_sms(helene, sms_gateway):
    message = _campaign_sms(helene, now=TUESDAY_10)
    _consent(helene, "sms", "marketing", False)

    assert _send(message, now=TUESDAY_10) == OutboundStatus.CANCELLED

    assert sms_gateway.received == []
    assert "retiré le" in _fresh(message).last_error


def test_consent_given_again_lets_the_campaign_go(helene, sms_gateway):
    _consent(helene, "sms", "marketing", False, at=paris(2026, 3, 1, 9, 0))
    _consent(helene, "sms", "marketing", True, at=paris(2026, 3, 2, 9, 0))
    message = _campaign_sms(helene, now=TUESDAY_10)

    assert _send(message, now=TUESDAY_10) == OutboundStatus.SENT
    assert len(sms_gateway.received) == 1


def test_no_consent_recorded_cancels_the_campaign(make_customer, sms_gateway):
    stranger = make_customer("Jérôme", "Gaël-Noël", phones=["07 98 76 54 32"])
    message = _campaign_sms(stranger, to_address="+33798765432", now=TUESDAY_10)

    assert _send(message, now=TUESDAY_10) == OutboundStatus.CANCELLED

    assert _fresh(message).last_error == (
        "Annulé : aucun consentement « Offres et reconquête » par SMS enregistré."
    )
    assert sms_gateway.received == []


def test_consent_on_another_channel_does_not_count(make_customer, sms_gateway):
    customer = make_customer("Élodie", "Brûlé", phones=["06 11 22 33 44"])
    _consent(customer, "email", "marketing", True)
    message = _campaign_sms(customer, to_address="+33611223344", now=TUESDAY_10)

    assert _send(message, now=TUESDAY_10) == OutboundStatus.CANCELLED
    assert sms_gateway.received == []


def test_a_campaign_with_no_customer_is_cancelled(sms_gateway):
    message = _campaign_sms(None, now=TUESDAY_10)

    assert _send(message, now=TUESDAY_10) == OutboundStatus.CANCELLED
    assert "aucun client rattaché" in _fresh(message).last_error
    assert sms_gateway.received == []


def test_an_invitation_needs_the_surveys_consent(helene, smtp_server):
    # offers accepted, surveys never asked: the invitation does not leave
    refused = _mail(helene, OutboundPurpose.INVITATION, origin="satisfaction.invitation:1")
    assert _send(refused) == OutboundStatus.CANCELLED
    assert "Enquêtes de satisfaction" in _fresh(refused).last_error
    assert smtp_server.received == []

    _consent(helene, "email", "surveys", True)
    accepted = _mail(helene, OutboundPurpose.INVITATION, origin="satisfaction.invitation:2")
    assert _send(accepted) == OutboundStatus.SENT
    assert len(smtp_server.received) == 1


@pytest.mark.parametrize("purpose", [OutboundPurpose.ANSWER, OutboundPurpose.ACKNOWLEDGEMENT])
def test_answers_and_acknowledgements_go_regardless_of_consent(helene, smtp_server, purpose):
    for channel in ("sms", "email"):
        for consent_purpose in ("marketing", "surveys"):
            _consent(helene, channel, consent_purpose, False)
    message = _mail(helene, purpose, subject="Votre demande RC-000042")

    assert _send(message) == OutboundStatus.SENT
    assert smtp_server.to("helene.dupont@exemple.fr")
