"""Bad input on the workspace pages: a French message, never a 500, nothing saved; and
text typed with HTML in it is kept as typed but shown escaped, on full pages and in the
htmx fragments alike."""

import html

import pytest
from django.conf import settings
from django.urls import reverse

from relation_client.customers.models import Customer, Identifier
from relation_client.touchpoints.models import Request, Touchpoint

pytestmark = pytest.mark.django_db

SCRIPT = '<script>alert("Hélène")</script>'
BOLD_NAME = "<b>Zoé</b>"
HTMX = {"HX-Request": "true"}
NUL_REFUSED = "Le caractère nul n’est pas autorisé."


def page(response) -> str:
    return response.content.decode()


def escaped(text: str) -> str:
    """What Django's autoescape makes of `text`."""
    return html.escape(text, quote=True)


# --- the customer form ----------------------------------------------------------------------

NEW_CUSTOMER = {
    "civility": "mme",
    "first_name": "Hélène",
    "last_name": "Dupont-Lefèvre",
    "preferred_language": "fr",
}
CUSTOMER_MISTAKES = [
    ({"first_name": "Hé\x00lène"}, NUL_REFUSED),
    ({"needs": "Malvoyante\x00"}, NUL_REFUSED),
    ({"phones": "06 12\x00 34 56 78"}, NUL_REFUSED),
    ({"last_name": "D" * 101}, "au plus 100 caractères (actuellement 101)"),
    ({"preferred_name": "M" * 101}, "au plus 100 caractères (actuellement 101)"),
    ({"tags": "gros caractères, " + "t" * 41}, "40 caractères au plus"),
    ({"cards": "TCL 0042, " + "9" * 41}, "40 caractères au plus"),
    ({"contracts": "C" * 41}, "40 caractères au plus"),
    ({"civility": "mlle"}, "Sélectionnez un choix valide"),
    ({"preferred_language": "klingon"}, "Sélectionnez un choix valide"),
    ({"segment": "999999"}, "Sélectionnez un choix valide"),
    ({"home_agency": "Lyon"}, "Sélectionnez un choix valide"),
    ({"usual_contact": "-1"}, "Sélectionnez un choix valide"),
    ({"birth_date": "30/02/1968"}, "Saisissez une date valide."),
    ({"birth_date": "99999-01-01"}, "Saisissez une date valide."),
]


@pytest.mark.parametrize(("change", "message"), CUSTOMER_MISTAKES)
def test_a_bad_customer_form_is_refused_in_french(agent_client, change, message):
    response = agent_client.post(reverse("customers:create"), {**NEW_CUSTOMER, **change})

    assert response.status_code == 200
    assert message in html.unescape(page(response))
    assert not Customer.objects.exists()
    assert not Identifier.objects.exists()


def test_an_unknown_choice_is_echoed_escaped(agent_client):
    response = agent_client.post(reverse("customers:create"), {**NEW_CUSTOMER, "civility": SCRIPT})

    assert "Sélectionnez un choix valide" in html.unescape(page(response))
    assert SCRIPT not in page(response)
    assert not Customer.objects.exists()


def test_an_oversized_form_is_a_413_in_french(agent_client):
    needs = "Préfère les courriers en gros caractères. " * 70_000  # ~3 MB
    assert len(needs.encode()) > settings.DATA_UPLOAD_MAX_MEMORY_SIZE

    response = agent_client.post(reverse("customers:create"), {**NEW_CUSTOMER, "needs": needs})

    assert response.status_code == 413
    assert response["Content-Type"].startswith("text/html")
    body = page(response)
    assert "Formulaire trop volumineux" in body
    assert "rien n&#x27;a été enregistré" in body or "rien n'a été enregistré" in body
    assert not Customer.objects.exists()


def test_a_form_with_thousands_of_fields_is_a_400_in_french(agent_client):
    fields = {**NEW_CUSTOMER, **{f"champ{index}": "x" for index in range(1_200)}}

    response = agent_client.post(reverse("customers:create"), fields)

    assert response.status_code == 400
    assert "Requête invalide" in page(response)
    assert not Customer.objects.exists()


# --- logging a touchpoint -------------------------------------------------------------------

TOUCHPOINT = {
    "channel": "phone",
    "direction": "inbound",
    "reason": "subscription",
    "summary": "Demande le tarif solidaire pour sa fille",
    "outcome": "",
    "mood": "neutral",
}
TOUCHPOINT_MISTAKES = [
    ({"summary": "Tarif\x00 solidaire"}, NUL_REFUSED),
    ({"channel": "pigeon"}, "Sélectionnez un choix valide"),
    ({"reason": "x" * 5_000}, "Sélectionnez un choix valide"),
    ({"mood": "furieux"}, "Sélectionnez un choix valide"),
    ({"climate": "9"}, "Sélectionnez un choix valide"),
    ({"estimate": "1" * 40}, "inférieure ou égale à 10"),
    ({"estimate": "-3"}, "supérieure ou égale à 0"),
    ({"occurred_at": "2026-13-45 10:00"}, "Saisissez une date et une heure valides."),
    ({"occurred_at": "2999-01-01 10:00"}, "ne peut pas être dans le futur"),
    ({"occurred_at": "0001-01-01 00:00"}, "Date du contact invraisemblable."),
]


@pytest.mark.parametrize("htmx", [True, False], ids=["htmx", "page"])
@pytest.mark.parametrize(("change", "message"), TOUCHPOINT_MISTAKES)
def test_a_bad_touchpoint_form_is_refused_in_french(agent_client, helene, change, message, htmx):
    response = agent_client.post(
        reverse("customers:log_touchpoint", args=[helene.pk]),
        {**TOUCHPOINT, **change},
        headers=HTMX if htmx else {},
    )

    assert response.status_code == 422
    assert message in html.unescape(page(response))
    assert not Touchpoint.objects.exists()
    assert not Request.objects.exists()


def test_an_oversized_touchpoint_is_a_413(agent_client, helene):
    summary = "Le bus C3 est passé sans s'arrêter. " * 80_000

    response = agent_client.post(
        reverse("customers:log_touchpoint", args=[helene.pk]),
        {**TOUCHPOINT, "summary": summary},
        headers=HTMX,
    )

    assert response.status_code == 413
    assert "Formulaire trop volumineux" in page(response)
    assert not Touchpoint.objects.exists()


def test_a_bad_answer_note_is_refused_in_french(agent_client, helene):
    agent_client.post(reverse("customers:log_touchpoint", args=[helene.pk]), TOUCHPOINT)
    request = Request.objects.get()

    response = agent_client.post(
        reverse("touchpoints:request_answer", args=[request.pk]),
        {"reponse-note": "Tarif solidaire accordé\x00"},
    )

    assert response.status_code == 400
    assert NUL_REFUSED in html.unescape(page(response))
    request.refresh_from_db()
    assert request.status == "open"
    assert Touchpoint.objects.count() == 1


# --- HTML typed in text fields --------------------------------------------------------------


@pytest.fixture
def zoe(make_customer, agent):
    return make_customer(
        BOLD_NAME,
        "Besançon <i>&</i>",
        phones=["06 12 34 56 78"],
        needs=f"Ne pas appeler avant 10 h {SCRIPT}",
        usual_contact=agent,
    )


def assert_shown_escaped(body: str, *texts: str) -> None:
    for text in texts:
        assert escaped(text) in body, text
        assert text not in body, text


def test_html_in_a_touchpoint_is_stored_as_typed_and_shown_escaped(
    agent_client, zoe, django_assert_max_num_queries
):
    logged = agent_client.post(
        reverse("customers:log_touchpoint", args=[zoe.pk]),
        {**TOUCHPOINT, "summary": SCRIPT},
        headers=HTMX,
    )
    touchpoint = Touchpoint.objects.get()
    assert touchpoint.summary == SCRIPT  # kept exactly as typed
    Customer.objects.get(first_name=BOLD_NAME)  # the name too
    assert_shown_escaped(page(logged), SCRIPT)  # the htmx fragment topping the timeline

    # the page's usual queries (see test_customer_page.py) and the deadline rules of her
    # open request, whatever the text holds; 19 since the network's panel and the
    # touchpoint form's line picker (relation_client/network/panels.py)
    with django_assert_max_num_queries(19):
        customer_page = agent_client.get(reverse("customers:detail", args=[zoe.pk]))
    assert_shown_escaped(page(customer_page), SCRIPT, BOLD_NAME, "<i>&</i>")
    assert f"Ne pas appeler avant 10 h {escaped(SCRIPT)}" in page(customer_page)

    request_page = agent_client.get(
        reverse("touchpoints:request_detail", args=[touchpoint.request_id])
    )
    assert request_page.status_code == 200
    assert_shown_escaped(page(request_page), SCRIPT, BOLD_NAME)


def test_html_is_escaped_in_the_timeline_fragment(agent_client, make_customer, agent):
    customer = make_customer(BOLD_NAME, "Besançon", touchpoints=25, agent=agent)
    Touchpoint.objects.filter(customer=customer).update(summary=SCRIPT)
    first = agent_client.get(reverse("customers:detail", args=[customer.pk]))
    cursor = first.context["next_cursor"]
    assert cursor

    fragment = agent_client.get(
        reverse("customers:timeline", args=[customer.pk]), {"avant": cursor}, headers=HTMX
    )

    assert fragment.status_code == 200
    assert_shown_escaped(page(fragment), SCRIPT)


def test_html_is_escaped_in_search_and_the_caller_box(agent_client, zoe):
    found = agent_client.get(reverse("customers:search"), {"q": "Besançon"}, headers=HTMX)
    caller = agent_client.get(
        reverse("customers:incoming_call"), {"phone": "0612345678"}, headers=HTMX
    )
    echoed = agent_client.get(reverse("customers:search"), {"q": SCRIPT})

    assert_shown_escaped(page(found), BOLD_NAME)
    assert_shown_escaped(page(caller), BOLD_NAME)
    assert_shown_escaped(page(echoed), SCRIPT)
