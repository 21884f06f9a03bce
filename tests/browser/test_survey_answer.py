"""A customer answers the survey from the link of the invitation e-mail, in a real browser:
the answer goes through Django's CSRF check (which a no-referrer policy made fail with
`Origin: null`) and the single-use link never leaves the site in a Referer."""

from urllib.parse import urlsplit

import pytest
from django.core import mail
from playwright.sync_api import expect

from relation_client.customers.consents import consent_record
from relation_client.messaging import outbox
from relation_client.messaging.models import OutboundMessage
from satisfaction.models import ChannelSampling, SurveyAnswer
from satisfaction.services import invitation_after_touchpoint
from tests.browser.conftest import ARTIFACTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def invitation_link(make_customer, agent, monkeypatch):
    """The path of the survey link e-mailed to a customer speaking `language`, after a
    phone exchange with Camille."""
    ChannelSampling.objects.update(rate=1)
    # the sending is done here, by hand, rather than by the task the commit queues
    monkeypatch.setattr(
        "relation_client.messaging.tasks.outbound_send.delay", lambda message_id, dispatch: None
    )

    def link(language: str, first_name: str) -> str:
        customer = make_customer(
            first_name,
            "Martin",
            civility="mme",
            emails=[f"{first_name.lower()}.martin@exemple.fr"],
            preferred_language=language,
            touchpoints=1,
            agent=agent,
        )
        consent_record(
            customer=customer, channel="email", purpose="surveys", given=True, source="web"
        )
        invitation = invitation_after_touchpoint(touchpoint_id=customer.touchpoints.get().pk)
        message = OutboundMessage.objects.get(origin=f"satisfaction.invitation:{invitation.pk}")
        assert outbox.outbound_send(message_id=message.pk, dispatch=message.dispatch) == "sent"
        url = next(word for word in mail.outbox[-1].body.split() if "/enquete/" in word)
        parts = urlsplit(url)
        return f"{parts.path}?{parts.query}"

    return link


@pytest.mark.parametrize(
    ("language", "first_name", "question", "send", "thanks"),
    [
        ("fr", "Claire", "êtes-vous satisfait·e", "Envoyer mon avis", "Merci"),
        ("en", "Emily", "how satisfied are you", "Send my opinion", "Thank you"),
    ],
)
def test_a_customer_answers_from_the_invitation_link(
    page, invitation_link, language, first_name, question, send, thanks
):
    path = invitation_link(language, first_name)
    posts = []
    page.on("request", lambda request: posts.append(request) if request.method == "POST" else None)
    response = page.goto(path)
    assert response.headers["referrer-policy"] == "same-origin"
    # a meta tag would override the header: it must say the same
    assert page.evaluate("document.querySelector('meta[name=referrer]').content") == "same-origin"
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("main")).to_contain_text(question)
    page.locator("label[for='id_score_4']").click()
    page.get_by_role("button", name=send).click()
    expect(page.locator("h1")).to_contain_text(thanks)
    page.screenshot(path=ARTIFACTS / f"enquete-merci-{language}.png", full_page=True)
    [post] = posts
    headers = post.all_headers()
    # same origin: the browser names the site, so CSRF passes; never "null"
    assert headers["origin"] == page.url.split("/satisfaction")[0]
    [answer] = SurveyAnswer.objects.filter(invitation__customer__first_name=first_name)
    assert answer.score == 5
