"""The deadline's clock stands still while a request waits for the customer (issue 14):
no breach and no warning meanwhile, the remaining working time shown frozen, and the
deadline pushed by the working time it waited when the customer answers (or staff take
the request back), as Zendesk's "pausable update" SLA target."""

import pytest
from django.urls import reverse
from django.utils import timezone

from relation_client.touchpoints.models import Alert, AlertKind, RequestStatus
from relation_client.touchpoints.services import (
    request_attach_touchpoint,
    request_resume,
    request_wait_customer,
    requests_mark_breaches,
    requests_warn_deadline_soon,
)
from socle.errors import DomainError
from tests.support.time import paris

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seniors_in_the_channels_time")]

# Monday 16 November 2026, 10:00: an e-mail, two working days → Wednesday 18, 10:00
OPENED = paris(2026, 11, 16, 10, 0)
PAUSED = paris(2026, 11, 17, 10, 0)  # Tuesday: 7 h 30 left on Tuesday + 1 h on Wednesday
ANSWERED = paris(2026, 11, 19, 11, 0)  # Thursday: Tue 7.5 + Wed 8.5 + Thu 2 = 18 h waited


@pytest.fixture
def clock(monkeypatch):
    """clock(moment): timezone.now() answers that moment from then on."""

    def set_to(moment):
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return set_to


@pytest.fixture
def weekdays_agency(agency_lyon):
    agency_lyon.opening_hours = {str(day): [["09:00", "17:30"]] for day in range(1, 6)}
    agency_lyon.save()
    return agency_lyon


@pytest.fixture
def waiting(log, helene, weekdays_agency, agent, clock):
    """Hélène's e-mail about a double debit, waiting since Tuesday for her bank statement."""
    clock(OPENED)
    request = log(
        helene,
        channel="email",
        reason="complaint",
        summary="Prélèvement en double sur l'abonnement de novembre",
        occurred_at=OPENED,
    ).request
    assert request.deadline == paris(2026, 11, 18, 10, 0)
    clock(PAUSED)
    request_wait_customer(request=request, by=agent)
    request.refresh_from_db()
    return request


def test_waiting_pauses_the_clock_with_the_remaining_working_time(waiting):
    assert waiting.status == RequestStatus.WAITING_CUSTOMER
    assert waiting.paused_at == PAUSED
    assert waiting.remaining_at_pause == 8 * 60 + 30


def test_a_paused_request_neither_breaches_nor_warns(waiting, supervisor_lyon):
    # Thursday noon: a day past the deadline, still waiting for Hélène
    assert requests_mark_breaches(now=paris(2026, 11, 19, 12, 0)) == 0
    assert requests_warn_deadline_soon(now=paris(2026, 11, 18, 9, 30)) == 0
    waiting.refresh_from_db()
    assert waiting.breached_at is None
    assert not Alert.objects.filter(kind__in=[AlertKind.BREACH, AlertKind.DEADLINE_SOON]).exists()


def test_the_customer_answering_pushes_the_deadline_by_the_working_time_waited(
    waiting, log, helene, clock
):
    clock(ANSWERED)
    log(
        helene,
        channel="email",
        reason="complaint",
        summary="Voici mon relevé bancaire",
        occurred_at=ANSWERED,
        request=waiting,
    )
    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.OPEN
    # Wednesday 10:00 + 18 working hours: Wed 7.5, Thu 8.5, Fri 9:00–11:00;
    # the same as the 8 h 30 left at the pause counted from Thursday 11:00
    assert waiting.deadline == paris(2026, 11, 20, 11, 0)
    assert waiting.paused_at is None and waiting.remaining_at_pause is None
    assert requests_mark_breaches(now=paris(2026, 11, 19, 12, 0)) == 0
    # the clock runs again: past the new deadline it breaches
    assert requests_mark_breaches(now=paris(2026, 11, 20, 11, 1)) == 1


def test_staff_taking_the_request_back_resume_the_clock(waiting, agent, clock):
    clock(paris(2026, 11, 17, 15, 0))  # the same Tuesday: 5 working hours waited
    request_resume(request=waiting, by=agent)
    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.OPEN
    # Wednesday 10:00 + 5 h → 15:00
    assert waiting.deadline == paris(2026, 11, 18, 15, 0)


def test_a_weekend_waited_costs_nothing(waiting, agent, clock):
    # paused Tuesday 10:00, taken back the same day at 10:00 a week later: 5 working days
    clock(paris(2026, 11, 24, 10, 0))
    request_resume(request=waiting, by=agent)
    waiting.refresh_from_db()
    # 5 working days of 8 h 30 after Wednesday 18, 10:00 (the weekend skipped)
    assert waiting.deadline == paris(2026, 11, 25, 10, 0)


def test_attaching_the_customers_reply_resumes_from_when_she_wrote(
    waiting, log, helene, agent, clock
):
    reply_at = paris(2026, 11, 17, 16, 0)  # Tuesday afternoon, attached on Friday
    clock(reply_at)
    reply = log(helene, reason="compliment", summary="Relevé envoyé", occurred_at=reply_at)
    clock(paris(2026, 11, 20, 9, 30))
    request_attach_touchpoint(request=waiting, touchpoint=reply, by=agent)
    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.OPEN
    # 6 working hours waited (Tuesday 10:00–16:00): Wednesday 10:00 → 16:00
    assert waiting.deadline == paris(2026, 11, 18, 16, 0)


def test_the_lunch_break_is_not_counted_as_time_waited(waiting, weekdays_agency, agent, clock):
    weekdays_agency.opening_hours = {
        str(day): [["09:00", "12:00"], ["13:30", "17:30"]] for day in range(1, 6)
    }
    weekdays_agency.save()
    clock(paris(2026, 11, 17, 14, 30))  # 10–12 and 13:30–14:30: 3 working hours
    request_resume(request=waiting, by=agent)
    waiting.refresh_from_db()
    # Wednesday 10:00 + 3 h: 10–12 (2) and 13:30–14:30 (3)
    assert waiting.deadline == paris(2026, 11, 18, 14, 30)


def test_a_waiting_request_that_is_not_paused_cannot_be_taken_back(waiting, agent, clock):
    clock(paris(2026, 11, 17, 15, 0))
    request_resume(request=waiting, by=agent)
    with pytest.raises(DomainError) as error:
        request_resume(request=waiting, by=agent)
    assert error.value.code == "not_waiting"


def test_the_page_and_the_queue_show_the_clock_paused_and_the_time_left(
    waiting, login, agent, monkeypatch
):
    monkeypatch.undo()  # today: weeks past the deadline it had when paused
    agent_client = login(agent)
    page = agent_client.get(
        reverse("touchpoints:request_detail", args=[waiting.pk])
    ).content.decode()
    assert "En pause — en attente du client" in page
    assert "reste 8 h 30 de temps ouvré (gelé)" in page
    assert reverse("touchpoints:request_resume", args=[waiting.pk]) in page
    queue = agent_client.get(reverse("touchpoints:queue")).content.decode()
    assert "En pause — en attente du client" in queue
    assert "reste 8 h 30 de temps ouvré (gelé)" in queue
    # past its old deadline, but paused: no "En retard" badge on it (the filter "En retard
    # seulement" above the list aside)
    assert ">En retard</span>" not in queue


def test_the_resume_button_takes_the_request_back(waiting, login, agent, monkeypatch):
    monkeypatch.undo()
    agent_client = login(agent)
    response = agent_client.post(reverse("touchpoints:request_resume", args=[waiting.pk]))
    assert response.status_code == 302
    waiting.refresh_from_db()
    assert waiting.status == RequestStatus.OPEN
