"""invitation_after_touchpoint: sampled by channel, only with consent, never for an
unidentified person, at most once a month per customer, idempotent."""

import datetime

import pytest
from django.utils import timezone

from relation_client.customers.consents import consent_record
from relation_client.messaging.models import OutboundMessage
from satisfaction.models import ChannelSampling, SurveyInvitation
from satisfaction.services import invitation_after_touchpoint
from satisfaction.services.invitations import sampled

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def everyone_sampled(db):
    ChannelSampling.objects.update(rate=1)


@pytest.fixture
def sent(monkeypatch):
    """The outbox messages whose sending was queued after the commit (the outside world:
    the worker and the mail server)."""
    queued = []
    monkeypatch.setattr(
        "relation_client.messaging.tasks.outbound_send.delay",
        lambda message_id, dispatch: queued.append(message_id),
    )
    return queued


def test_invites_after_a_counter_visit(
    helene, make_touchpoint, agent, surveys, sent, django_capture_on_commit_callbacks
):
    touchpoint = make_touchpoint(helene, channel="counter")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_after_touchpoint(touchpoint_id=touchpoint.pk)
    assert invitation.survey == surveys["csat"]  # the counter's survey (migration 0004)
    assert (invitation.customer, invitation.agent, invitation.agency_id) == (
        helene,
        agent,
        agent.agency_id,
    )
    assert (invitation.channel, invitation.occurred_at) == ("counter", touchpoint.occurred_at)
    # the link minted and its mail written to the outbox with the invitation, in the
    # touchpoint's transaction; the outbox sends it after the commit
    assert invitation.sent_at is not None and invitation.token_hash
    days = (invitation.expires_at - timezone.now()).days
    assert 13 <= days <= 14
    [mail] = OutboundMessage.objects.filter(origin=f"satisfaction.invitation:{invitation.pk}")
    assert (mail.purpose, mail.customer, mail.to_address) == (
        "invitation",
        helene,
        "helene.dupont@exemple.fr",
    )
    assert sent == [mail.pk]


def test_called_twice_invites_once(helene, make_touchpoint, sent):
    touchpoint = make_touchpoint(helene)
    first = invitation_after_touchpoint(touchpoint_id=touchpoint.pk)
    second = invitation_after_touchpoint(touchpoint_id=touchpoint.pk)
    assert first == second
    assert SurveyInvitation.objects.count() == 1
    assert OutboundMessage.objects.count() == 1  # one link, one mail


def test_not_for_a_person_who_gave_no_name(make_touchpoint, sent):
    touchpoint = make_touchpoint(None)
    assert invitation_after_touchpoint(touchpoint_id=touchpoint.pk) is None
    assert not SurveyInvitation.objects.exists()


@pytest.mark.parametrize("consent", [False, None])
def test_not_without_consent_to_surveys(make_customer, make_touchpoint, consent, sent):
    """Refused, or never asked: no invitation."""
    customer = make_customer("Loïc", "Béranger", consent=consent)
    touchpoint = make_touchpoint(customer)
    assert invitation_after_touchpoint(touchpoint_id=touchpoint.pk) is None


def test_the_latest_consent_decision_counts(helene, make_touchpoint, sent):
    consent_record(customer=helene, channel="email", purpose="surveys", given=False, source="web")
    assert invitation_after_touchpoint(touchpoint_id=make_touchpoint(helene).pk) is None


def test_not_without_an_email_address(make_customer, make_touchpoint, sent):
    customer = make_customer("Noël", "Faure", emails=[], phones=["06 11 22 33 44"])
    assert invitation_after_touchpoint(touchpoint_id=make_touchpoint(customer).pk) is None


def test_a_channel_sampled_at_zero_never_invites(helene, make_touchpoint, sent):
    ChannelSampling.objects.filter(channel="phone").update(rate=0)
    assert (
        invitation_after_touchpoint(touchpoint_id=make_touchpoint(helene, channel="phone").pk)
        is None
    )


def test_once_a_month_at_most(helene, make_touchpoint, sent):
    assert invitation_after_touchpoint(touchpoint_id=make_touchpoint(helene).pk)
    assert invitation_after_touchpoint(touchpoint_id=make_touchpoint(helene).pk) is None
    # 31 days later, she may be asked again
    SurveyInvitation.objects.update(created_at=timezone.now() - datetime.timedelta(days=31))
    assert invitation_after_touchpoint(touchpoint_id=make_touchpoint(helene).pk)


def test_an_unknown_touchpoint_is_ignored(db):
    assert invitation_after_touchpoint(touchpoint_id=987654) is None


def test_sampling_is_stable_and_near_the_rate():
    draws = [sampled(touchpoint_id=pk, rate="0.25") for pk in range(1, 2001)]
    assert draws == [sampled(touchpoint_id=pk, rate="0.25") for pk in range(1, 2001)]
    assert 400 < sum(draws) < 600
    assert not any(sampled(touchpoint_id=pk, rate=0) for pk in range(1, 200))
