"""A customer follows the unsubscribe link of a campaign mail in a real browser: the page
opens without changing anything, one press of the button withdraws the consent (through
Django's CSRF check, the same-origin Referer policy letting the POST name the site), and
the confirmation says so, in the customer's language."""

import datetime
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from relation_client.customers.consents import consent_current, consent_record
from relation_client.messaging.unsubscribe import unsubscribe_url
from tests.browser.conftest import ARTIFACTS

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.mark.parametrize(
    ("language", "first_name", "question", "button", "done"),
    [
        (
            "fr",
            "Hélène",
            "Ne plus recevoir nos offres par e-mail",
            "Me désinscrire",
            "C'est fait : vous êtes désinscrit·e",
        ),
        (
            "en",
            "Emily",
            "Stop receiving our offers by e-mail",
            "Unsubscribe me",
            "Done: you are unsubscribed",
        ),
    ],
)
def test_a_customer_unsubscribes_with_one_press(
    page, make_customer, language, first_name, question, button, done
):
    customer = make_customer(
        first_name, "Martin", emails=["client.martin@exemple.fr"], preferred_language=language
    )
    consent_record(
        customer=customer,
        channel="email",
        purpose="marketing",
        given=True,
        source="counter",
        at=timezone.now() - datetime.timedelta(days=30),
    )
    link = urlsplit(
        unsubscribe_url(customer_id=customer.pk, channel="email", purpose="marketing")
    ).path

    posts = []
    page.on("request", lambda request: posts.append(request) if request.method == "POST" else None)
    response = page.goto(link)
    assert response.status == 200 and response.headers["referrer-policy"] == "same-origin"
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("main")).to_contain_text(question)
    page.screenshot(path=ARTIFACTS / f"desinscription-{language}.png", full_page=True)
    # opening the page (as a mail scanner would) withdrew nothing
    assert consent_current(customer=customer)[("email", "marketing")].given is True

    page.get_by_role("button", name=button).click()
    expect(page.get_by_role("status")).to_contain_text(done)
    page.screenshot(path=ARTIFACTS / f"desinscription-fait-{language}.png", full_page=True)
    [post] = posts
    assert post.all_headers()["origin"] == page.url.split("/desinscription")[0]
    withdrawal = consent_current(customer=customer)[("email", "marketing")]
    assert (withdrawal.given, withdrawal.source) == (False, "unsubscribe_link")
