"""Call events: each recorded once, the call's state follows, a missed call for a usual
contact becomes a request to call back in their queue."""

import pytest
from django.urls import reverse

from relation_client.telephony.models import Call, CallEvent
from relation_client.telephony.services import call_event_record, call_route, call_routed
from relation_client.touchpoints.models import Request
from tests.factories import CustomerFactory
from tests.support.time import paris

RINGING = paris(2026, 12, 1, 10, 0)  # a Tuesday, in the past


@pytest.fixture
def camille(agent):
    agent.phone_extension = "2104"
    agent.save()
    return agent


@pytest.fixture
def helene(camille):
    return CustomerFactory(
        first_name="Hélène",
        last_name="Maréchal",
        phones=["06 12 34 56 78"],
        home_agency=camille.agency,
        usual_contact=camille,
    )


def _event(kind, minutes=0, extension="2104", call_id="1733.42"):
    return call_event_record(
        call_id=call_id,
        kind=kind,
        caller="0612345678",
        extension=extension,
        at=RINGING.replace(minute=minutes),
    )


def test_a_call_rings_is_answered_and_ends(db, helene, camille):
    call, _new = _event("ringing")
    assert call.customer == helene and call.agent == camille and call.state == "ringing"
    _event("answered", 1)
    call, _new = _event("hung_up", 7)
    assert call.state == "ended" and call.duration_seconds == 6 * 60
    assert call.callback is None


def test_the_same_event_twice_is_recorded_once(db, helene):
    _event("ringing")
    _call, new = _event("ringing")
    assert new is False
    assert CallEvent.objects.count() == 1


def test_a_transfer_moves_the_call_to_the_colleague(db, helene, colleague_lyon):
    colleague_lyon.phone_extension = "2107"
    colleague_lyon.save()
    _event("ringing")
    call, _new = _event("transferred", 2, extension="2107")
    assert call.agent == colleague_lyon and call.state == "transferred"


def test_a_missed_call_for_the_usual_contact_becomes_a_callback_in_their_queue(db, helene, camille):
    route = call_route(caller="0612345678", at=RINGING)
    call_routed(call_id="1733.42", caller="0612345678", route=route, at=RINGING)
    _event("ringing")
    call, _new = _event("missed", 1)

    request = call.callback
    assert request is not None
    assert request.customer == helene and request.assignee == camille
    assert request.channel == "phone" and request.status == "open"
    assert "rappeler" in request.subject
    # the same "missed" again opens nothing more
    _event("missed", 1)
    assert Request.objects.count() == 1


def test_hung_up_before_anyone_answered_is_missed(db, helene):
    _event("ringing")
    call, _new = _event("hung_up", 1)
    assert call.state == "missed" and call.callback is not None


def test_a_late_event_after_the_end_changes_nothing(db, helene):
    _event("ringing")
    _event("answered", 1)
    _event("hung_up", 5)
    call, new = _event("ringing", 6)
    assert new is True and call.state == "ended"


def test_the_api_records_events_and_refuses_bad_ones(db, helene, make_token):
    _token, _raw, client = make_token("telephony", name="Autocommutateur")
    url = reverse("api:telephony-events")
    body = {"call_id": "1733.42", "event": "ringing", "caller": "0612345678", "extension": "2104"}
    first = client.post(url, body, format="json")
    assert first.status_code == 201, first.content
    assert first.json()["customer"] == helene.pk
    moment = "2026-12-01T10:00:00+01:00"
    assert client.post(url, {**body, "at": moment}, format="json").status_code == 201
    again = client.post(url, {**body, "at": moment}, format="json")
    assert again.status_code == 200 and again.json()["duplicate"] is True
    bad = client.post(url, {**body, "event": "sonnerie"}, format="json")
    assert bad.status_code == 400 and bad.json()["field"] == "event"
    assert Call.objects.count() == 1
