"""Survey invitations go through the outbox: the link is minted when the mail is written,
with the invitation, once, in the customer's language; the outbox sends it to a real SMTP
server, retries a server that refuses, and a mail it gives up leaves the invitation
unsent, its link dropped."""

import datetime
import re

import pytest
from django.utils import timezone

from relation_client.messaging import outbox
from relation_client.messaging.models import OutboundMessage, OutboundStatus
from satisfaction.models import ChannelSampling, SurveyInvitation
from satisfaction.selectors import invitation_for_token
from satisfaction.services import invitation_after_touchpoint, invitation_send
from satisfaction.services.invitations import REDISPATCH_AFTER, invitations_sweep

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def sampled_all(db):
    ChannelSampling.objects.update(rate=1)


@pytest.fixture
def invite(make_touchpoint):
    def invite(customer) -> SurveyInvitation:
        return invitation_after_touchpoint(touchpoint_id=make_touchpoint(customer).pk)

    return invite


def mail_of(invitation) -> OutboundMessage:
    return OutboundMessage.objects.get(origin=f"satisfaction.invitation:{invitation.pk}")


def send(message: OutboundMessage) -> str:
    """What the worker does with the task queued at commit."""
    message.refresh_from_db()
    return outbox.outbound_send(message_id=message.pk, dispatch=message.dispatch)


def link_token(body: str) -> str:
    return re.search(r"/satisfaction/enquete/([\w-]+)/\?langue=(\w+)", body).group(1)


def test_the_invitation_reaches_the_mail_server_with_a_single_use_link(helene, invite, smtp_server):
    invitation = invite(helene)
    message = mail_of(invitation)
    assert (message.channel, message.purpose, message.customer) == ("email", "invitation", helene)

    assert send(message) == OutboundStatus.SENT

    [received] = smtp_server.received
    assert received.rcpt_tos == ["helene.dupont@exemple.fr"]
    assert "Camille" in received["Subject"]  # customers know staff by their first name
    assert received.text.splitlines()[0] == "Bonjour Madame Dupont-Lefèvre,"
    assert "?langue=fr" in received.text
    token = link_token(received.text)
    assert invitation_for_token(token=token) == invitation
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    assert token not in invitation.token_hash  # only the hash is kept
    # a way out of the surveys, the mail client's own button included
    assert received["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    leave = re.search(r"<(https?://[^>]+/desinscription/[^>]+/)>", received["List-Unsubscribe"])
    assert leave and leave.group(1) in received.text


def test_in_english_for_an_english_speaker_greeted_by_name(make_customer, invite, smtp_server):
    customer = make_customer("Emily", "Clarke", civility="mme", preferred_language="en")
    assert send(mail_of(invite(customer))) == OutboundStatus.SENT
    [received] = smtp_server.received
    assert received["Subject"] == "Your exchange with Camille: your opinion in one minute"
    assert received.text.splitlines()[0] == "Hello Ms Clarke,"
    assert "?langue=en" in received.text and "This personal link works once" in received.text
    assert "To stop receiving our satisfaction surveys:" in received.text


def test_one_link_one_mail(helene, invite, smtp_server):
    invitation = invite(helene)
    message = mail_of(invitation)
    assert send(message) == OutboundStatus.SENT
    assert send(message) == "skipped"  # the same task delivered twice
    assert invitation_send(invitation_id=invitation.pk) is False
    later = timezone.now() + REDISPATCH_AFTER * 2
    assert invitations_sweep(now=later) == 0
    assert len(smtp_server.received) == 1
    assert OutboundMessage.objects.count() == 1


def test_a_refusing_server_is_retried_then_the_invitation_is_unsent(
    helene, invite, smtp_server, settings
):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    smtp_server.refuse = True
    invitation = invite(helene)
    message = mail_of(invitation)

    assert send(message) == OutboundStatus.PENDING  # retried after the backoff
    invitation.refresh_from_db()
    assert invitation.sent_at is not None

    assert send(message) == OutboundStatus.FAILED
    invitation.refresh_from_db()
    # the link reached nobody: out of the response rate, and it opens nothing
    assert (invitation.sent_at, invitation.token_hash) == (None, None)
    # given up is given up: the sweep does not send it again
    assert invitations_sweep(now=timezone.now() + REDISPATCH_AFTER * 2) == 0
    assert smtp_server.received == []


def test_an_invitation_left_without_its_mail_is_handed_over_by_the_sweep(
    helene, invite, smtp_server
):
    """Decided before invitations went through the outbox, its send task lost."""
    invitation = invite(helene)
    OutboundMessage.objects.all().delete()
    SurveyInvitation.objects.update(sent_at=None, token_hash=None)
    assert invitations_sweep() == 0  # not before a while: its task may still run
    assert invitations_sweep(now=timezone.now() + REDISPATCH_AFTER) == 1
    assert send(mail_of(invitation)) == OutboundStatus.SENT
    invitation.refresh_from_db()
    assert invitation_for_token(token=link_token(smtp_server.received[0].text)) == invitation
    # an expired one is left alone
    SurveyInvitation.objects.update(
        sent_at=None, expires_at=timezone.now() - datetime.timedelta(days=1)
    )
    OutboundMessage.objects.all().delete()
    assert invitations_sweep(now=timezone.now() + REDISPATCH_AFTER) == 0


def first_line(customer, invite) -> str:
    return mail_of(invite(customer)).body_text.splitlines()[0]


@pytest.mark.parametrize(
    ("fields", "greeting"),
    [
        ({"civility": "mme"}, "Bonjour Madame Dupont-Lefèvre,"),  # written out, no first name
        ({"civility": "m", "last_name": "O'Neil"}, "Bonjour Monsieur O'Neil,"),
        ({"civility": "", "last_name": "Dupont"}, "Bonjour Hélène Dupont,"),
        ({"preferred_name": "Lénou"}, "Bonjour Lénou,"),  # the name the customer chose
        ({"civility": "mme", "preferred_language": "en"}, "Hello Ms Dupont-Lefèvre,"),
        ({"civility": "m", "last_name": "Clarke", "preferred_language": "en"}, "Hello Mr Clarke,"),
        ({"preferred_name": "Em", "preferred_language": "en"}, "Hello Em,"),
        # a language the survey page does not speak: the French mail, greeting included
        (
            {"civility": "m", "last_name": "García", "preferred_language": "es"},
            "Bonjour Monsieur García,",
        ),
    ],
)
def test_greets_the_customer_as_they_like_in_their_language(
    make_customer, invite, fields, greeting
):
    fields = {"first_name": "Hélène", "last_name": "Dupont-Lefèvre", **fields}
    customer = make_customer(fields.pop("first_name"), fields.pop("last_name"), **fields)
    assert first_line(customer, invite) == greeting


def test_the_greeting_follows_the_customer_not_the_senders_language(make_customer, invite):
    from django.utils import translation

    customer = make_customer("Emily", "Clarke", civility="mme", preferred_language="en")
    with translation.override("fr"):  # a French-speaking agent's session
        assert first_line(customer, invite) == "Hello Ms Clarke,"
