"""The screen pop's card and exchange of a call: the call's agent's only, audited like the
incoming-call page, the exchange saved once through touchpoint_log and linked to the
call."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from relation_client.privacy.models import AuditEvent
from relation_client.telephony.models import Call
from relation_client.telephony.services import call_event_record
from relation_client.telephony.views import duration_words
from relation_client.touchpoints.models import Touchpoint
from relation_client.touchpoints.services import touchpoint_log

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def camille(agent):
    agent.phone_extension = "2104"
    agent.save()
    return agent


def _call(kinds, *, caller="06 12 34 56 78", call_id="1733.42") -> Call:
    start = timezone.now() - datetime.timedelta(minutes=10)
    moments = {"ringing": 0, "answered": 5, "hung_up": 5 + 252, "missed": 30}
    call = None
    for kind in kinds:
        call, _new = call_event_record(
            call_id=call_id,
            kind=kind,
            caller=caller,
            extension="2104",
            at=start + datetime.timedelta(seconds=moments[kind]),
        )
    return call


def test_the_card_of_a_ringing_call_names_the_caller_and_is_audited(login, camille, helene):
    call = _call(["ringing"])
    response = login(camille).get(reverse("telephony:call_card", args=[call.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Appel de Mme Hélène Dupont-Lefèvre" in html
    assert "Interlocuteur habituel" in html and "Camille Rousseau" in html
    assert "Noter l&#x27;appel" not in html  # the form comes once the call ended
    assert AuditEvent.objects.filter(
        customer_id=helene.pk, action="view", code="audit.incoming_call"
    ).exists()


def test_another_agents_call_is_a_404(login, camille, helene, colleague_lyon, supervisor_lyon):
    call = _call(["ringing"])
    for other in (colleague_lyon, supervisor_lyon):
        client = login(other)
        assert client.get(reverse("telephony:call_card", args=[call.pk])).status_code == 404
        assert client.post(reverse("telephony:call_exchange", args=[call.pk])).status_code == 404


def test_an_ended_call_brings_the_form_filled_in(login, camille, helene):
    call = _call(["ringing", "answered", "hung_up"])
    response = login(camille).get(reverse("telephony:call_card", args=[call.pk]))
    form = response.context["form"]
    assert form.prefix == "appel"
    assert form["channel"].value() == "phone" and form["direction"].value() == "inbound"
    assert form["summary"].value() == "Appel de 4 minutes 12 secondes. "
    answered = timezone.localtime(call.answered_at)
    assert form["occurred_at"].value() == answered.strftime("%Y-%m-%dT%H:%M")
    assert "durée : 4 minutes 12 secondes" in response.content.decode()


def test_the_exchange_is_logged_once_and_linked_to_the_call(login, camille, helene, reasons):
    call = _call(["ringing", "answered", "hung_up"])
    client = login(camille)
    url = reverse("telephony:call_exchange", args=[call.pk])
    data = {
        "appel-channel": "phone",
        "appel-direction": "inbound",
        "appel-reason": "information",
        "appel-summary": "Appel de 4 minutes 12 secondes. Horaires de la ligne C3 à Noël.",
    }

    response = client.post(url, data, **HTMX)

    assert response.status_code == 200
    assert "Échange enregistré." in response.content.decode()
    call.refresh_from_db()
    touchpoint = call.touchpoint
    assert touchpoint.customer == helene and touchpoint.agent == camille
    assert touchpoint.summary.endswith("Horaires de la ligne C3 à Noël.")
    assert touchpoint.occurred_at == call.answered_at  # the form's moment left empty
    # Ctrl+Enter twice: still one exchange
    again = client.post(url, data, **HTMX)
    assert "Cet appel est déjà noté." in again.content.decode()
    assert Touchpoint.objects.filter(customer=helene).count() == 1


def test_an_empty_form_is_refused_and_nothing_is_logged(login, camille, helene):
    call = _call(["ringing", "answered", "hung_up"])
    response = login(camille).post(reverse("telephony:call_exchange", args=[call.pk]), {}, **HTMX)
    assert response.status_code == 422
    call.refresh_from_db()
    assert call.touchpoint is None


def test_an_unknown_number_offers_to_create_the_card_and_has_no_form(login, camille):
    call = _call(["ringing", "answered", "hung_up"], caller="06 98 76 54 32")
    client = login(camille)
    html = client.get(reverse("telephony:call_card", args=[call.pk])).content.decode()
    assert "Numéro inconnu : 06 98 76 54 32." in html
    assert "Créer la fiche" in html and "phones=%2B33698765432" in html
    closed = client.post(reverse("telephony:call_exchange", args=[call.pk]), {}, **HTMX)
    assert "aucune fiche" in closed.content.decode()


def test_a_missed_call_says_so_with_its_callback(login, camille, helene):
    call = _call(["ringing", "missed"])
    html = login(camille).get(reverse("telephony:call_card", args=[call.pk])).content.decode()
    assert "Appel manqué." in html
    call.refresh_from_db()
    # it rang on her usual contact's extension: a request to call back, linked from the card
    assert call.callback is not None
    assert call.callback.get_absolute_url() in html
    assert "Une demande « à rappeler » est ouverte dans votre file." in html


@pytest.mark.parametrize(
    "seconds, words",
    [
        (0, "moins d'une seconde"),
        (1, "1 seconde"),
        (45, "45 secondes"),
        (60, "1 minute"),
        (252, "4 minutes 12 secondes"),
        (3725, "1 heure 2 minutes"),
        (7200, "2 heures"),
    ],
)
def test_durations_in_words(seconds, words):
    assert duration_words(seconds) == words


def test_once_the_call_ended_the_form_comes_before_the_latest_exchanges(
    login, camille, helene, reasons
):
    """On a phone the card is one column: who it is, then the form, then the history."""
    touchpoint_log(
        agent=camille,
        customer=helene,
        channel="phone",
        reason=reasons["information"],
        summary="Horaires de la ligne C3 le dimanche",
        occurred_at=timezone.now() - datetime.timedelta(days=3),
    )
    ringing = login(camille).get(reverse("telephony:call_card", args=[_call(["ringing"]).pk]))
    html = ringing.content.decode()
    # ringing: the latest exchanges are in the caller's card
    assert (
        html.index("Interlocuteur habituel")
        < html.index("Derniers échanges")
        < html.index("</article>")
    )
    call = _call(["ringing", "answered", "hung_up"])
    html = login(camille).get(reverse("telephony:call_card", args=[call.pk])).content.decode()
    assert html.count("Derniers échanges") == 1
    assert (
        html.index("Interlocuteur habituel")
        < html.index("</article>")
        < html.index('id="appel-noter"')
        < html.index("</form>")
        < html.index("Derniers échanges")
        < html.index("Horaires de la ligne C3")
    )
