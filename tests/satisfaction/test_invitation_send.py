"""invitation_send: the link is minted when it is e-mailed, once, in the customer's
language; a mail server failure leaves the invitation to be sent again."""

import re
import smtplib

import pytest
from django.core import mail

from satisfaction.models import ChannelSampling, SurveyInvitation
from satisfaction.selectors import invitation_for_token
from satisfaction.services import invitation_after_touchpoint, invitation_send

pytestmark = pytest.mark.django_db


@pytest.fixture
def invitation(helene, make_touchpoint, monkeypatch):
    ChannelSampling.objects.update(rate=1)
    monkeypatch.setattr("satisfaction.tasks.send_invitation.delay", lambda pk: None)
    return invitation_after_touchpoint(touchpoint_id=make_touchpoint(helene).pk)


def link_token(body: str) -> str:
    return re.search(r"/satisfaction/enquete/([\w-]+)/\?langue=(\w+)", body).group(1)


def test_emails_a_single_use_link(invitation):
    assert invitation_send(invitation_id=invitation.pk) is True
    [message] = mail.outbox
    assert message.to == ["helene.dupont@exemple.fr"]
    assert "Camille" in message.subject  # customers know staff by their first name
    assert "?langue=fr" in message.body
    token = link_token(message.body)
    assert invitation_for_token(token=token) == invitation
    invitation.refresh_from_db()
    assert invitation.sent_at is not None
    assert token not in invitation.token_hash  # only the hash is kept


def test_in_english_for_an_english_speaker(make_customer, make_touchpoint, monkeypatch):
    ChannelSampling.objects.update(rate=1)
    monkeypatch.setattr("satisfaction.tasks.send_invitation.delay", lambda pk: None)
    customer = make_customer("Emily", "Clarke", preferred_language="en")
    invitation = invitation_after_touchpoint(touchpoint_id=make_touchpoint(customer).pk)
    invitation_send(invitation_id=invitation.pk)
    [message] = mail.outbox
    assert message.subject == "Your exchange with Camille: your opinion in one minute"
    assert "?langue=en" in message.body and "This personal link works once" in message.body


def test_sent_once(invitation):
    invitation_send(invitation_id=invitation.pk)
    assert invitation_send(invitation_id=invitation.pk) is False
    assert len(mail.outbox) == 1


def test_a_mail_failure_can_be_retried(invitation, monkeypatch):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("serveur indisponible")

    monkeypatch.setattr("satisfaction.services.invitations.send_mail", refuse)
    with pytest.raises(smtplib.SMTPException):
        invitation_send(invitation_id=invitation.pk)
    invitation.refresh_from_db()
    assert (invitation.sent_at, invitation.token_hash) == (None, None)
    monkeypatch.undo()
    assert invitation_send(invitation_id=invitation.pk) is True
    assert SurveyInvitation.objects.get().sent_at is not None


def first_line(customer, make_touchpoint) -> str:
    invitation = invitation_after_touchpoint(touchpoint_id=make_touchpoint(customer).pk)
    invitation_send(invitation_id=invitation.pk)
    return mail.outbox[-1].body.splitlines()[0]


@pytest.fixture
def sampled_all(monkeypatch):
    ChannelSampling.objects.update(rate=1)
    monkeypatch.setattr("satisfaction.tasks.send_invitation.delay", lambda pk: None)


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
    make_customer, make_touchpoint, sampled_all, fields, greeting
):
    fields = {"first_name": "Hélène", "last_name": "Dupont-Lefèvre", **fields}
    customer = make_customer(fields.pop("first_name"), fields.pop("last_name"), **fields)
    assert first_line(customer, make_touchpoint) == greeting


def test_the_greeting_follows_the_customer_not_the_senders_language(
    make_customer, make_touchpoint, sampled_all
):
    from django.utils import translation

    customer = make_customer("Emily", "Clarke", civility="mme", preferred_language="en")
    with translation.override("fr"):  # a French-speaking worker or agent session
        assert first_line(customer, make_touchpoint) == "Hello Ms Clarke,"
