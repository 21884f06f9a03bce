"""The live toast of a new alert is written in the language of the page that receives it:
the event travels as a code and parameters, and each page's stream (under uvicorn, as in
`make run`) writes the text in that page's language."""

import pytest
from django.utils import translation

from relation_client.touchpoints.models import AlertKind
from relation_client.touchpoints.services import alert_raise
from tests.live.test_stream import EventStream, _signed_in_cookie

# serialized like the browser tests: the flush then leaves the role groups as they were
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _ready(stream: EventStream) -> None:
    assert stream.response.status == 200
    assert stream.next_block() == ["retry: 3000"]
    assert stream.next_event() == ("live.ready", {})


def test_each_page_reads_the_new_alert_in_its_language(
    reference_data, asgi_live_server, agent, helene
):
    _client, cookie = _signed_in_cookie(agent.user)
    english = EventStream(asgi_live_server, cookie, language="en")
    french = EventStream(asgi_live_server, cookie, language="fr")
    try:
        _ready(english)
        _ready(french)
        with translation.override("fr"):  # the writer's language changes nothing
            alert_raise(
                kind=AlertKind.REPEAT_CONTACT,
                recipient=agent,
                customer=helene,
                cause="test:direct:langue",
                params={
                    "customer": {"civility": "mme", "name": "Hélène Dupont-Lefèvre"},
                    "count": 3,
                },
            )
        event, data = english.next_event()
        assert event == "alert"
        assert data["message"] == "Ms Hélène Dupont-Lefèvre has been in touch 3 times in 7 days."
        assert data["count"] == 1 and data["url"] == f"/clients/{helene.pk}/"
        event, data = french.next_event()
        assert event == "alert"
        assert data["message"] == "Mme Hélène Dupont-Lefèvre a pris contact 3 fois en 7 jours."
    finally:
        english.close()
        french.close()
