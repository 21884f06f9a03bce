"""request_answer, request_wait_customer, request_close, request_reopen,
request_attach_touchpoint: transitions, and the ones refused."""

import datetime

import pytest
from django.utils import timezone

from relation_client.touchpoints.models import (
    Direction,
    Outcome,
    RequestStatus,
    Touchpoint,
)
from relation_client.touchpoints.services import (
    request_answer,
    request_attach_touchpoint,
    request_close,
    request_reopen,
    request_wait_customer,
)
from socle.errors import DomainError

pytestmark = pytest.mark.django_db


def test_answer_sets_the_status_and_the_time(open_request, agent):
    request = request_answer(request=open_request, by=agent)
    open_request.refresh_from_db()
    assert open_request.status == RequestStatus.ANSWERED
    assert open_request.answered_at is not None
    assert request.status == RequestStatus.ANSWERED


def test_answer_with_a_note_puts_the_answer_on_the_timeline(open_request, agent, helene):
    request_answer(request=open_request, by=agent, note="Carte débloquée, rechargement refait.")
    answer = helene.touchpoints.get(direction=Direction.OUTBOUND)
    assert answer.request_id == open_request.pk
    assert answer.outcome == Outcome.ANSWERED
    assert answer.summary == "Carte débloquée, rechargement refait."
    open_request.refresh_from_db()
    assert open_request.status == RequestStatus.ANSWERED


def test_answer_twice_is_refused(open_request, agent):
    request_answer(request=open_request, by=agent)
    with pytest.raises(DomainError) as error:
        request_answer(request=open_request, by=agent)
    assert error.value.code == "already_answered"
    assert "déjà reçu une réponse" in str(error.value)


def test_a_closed_request_cannot_be_answered(open_request, agent):
    request_close(request=open_request, by=agent)
    with pytest.raises(DomainError) as error:
        request_answer(request=open_request, by=agent)
    assert error.value.code == "closed"
    assert "rouvrez-la" in str(error.value)


def test_wait_for_the_customer_then_their_call_reopens_it(open_request, agent, helene, log):
    request_wait_customer(request=open_request, by=agent)
    open_request.refresh_from_db()
    assert open_request.status == RequestStatus.WAITING_CUSTOMER
    log(helene, summary="Voici le numéro de ma carte", request=open_request)
    open_request.refresh_from_db()
    assert open_request.status == RequestStatus.OPEN


def test_waiting_twice_or_after_an_answer_is_refused(open_request, agent):
    request_wait_customer(request=open_request, by=agent)
    with pytest.raises(DomainError) as error:
        request_wait_customer(request=open_request, by=agent)
    assert error.value.code == "already_waiting"
    request_answer(request=open_request, by=agent)
    with pytest.raises(DomainError) as error:
        request_wait_customer(request=open_request, by=agent)
    assert error.value.code == "not_open"


def test_close_then_closing_again_is_refused(open_request, agent):
    request_close(request=open_request, by=agent)
    open_request.refresh_from_db()
    assert open_request.status == RequestStatus.CLOSED
    assert open_request.closed_at is not None
    with pytest.raises(DomainError) as error:
        request_close(request=open_request, by=agent)
    assert error.value.code == "already_closed"
    assert str(error.value) == "Cette demande est déjà clôturée."
    assert error.value.field == "status"


def test_reopen_gives_a_fresh_deadline_and_may_breach_again(open_request, agent):
    past = timezone.now() - datetime.timedelta(days=3)
    type(open_request).objects.filter(pk=open_request.pk).update(deadline=past, breached_at=past)
    request_close(request=open_request, by=agent)
    request_reopen(request=open_request, by=agent)
    open_request.refresh_from_db()
    assert open_request.status == RequestStatus.OPEN
    assert open_request.closed_at is None and open_request.answered_at is None
    assert open_request.breached_at is None
    assert open_request.deadline > timezone.now()


def test_an_open_request_cannot_be_reopened(open_request, agent):
    with pytest.raises(DomainError) as error:
        request_reopen(request=open_request, by=agent)
    assert error.value.code == "already_open"


def test_another_agency_cannot_act_on_the_request(open_request, agent_villeurbanne):
    with pytest.raises(DomainError) as error:
        request_close(request=open_request, by=agent_villeurbanne)
    assert error.value.code == "forbidden"
    open_request.refresh_from_db()
    assert open_request.status == RequestStatus.OPEN


def test_attach_an_earlier_touchpoint_of_the_same_customer(open_request, agent, helene, log):
    earlier = log(helene, summary="Simple remerciement", reason="compliment")
    assert earlier.request_id is None
    request_attach_touchpoint(request=open_request, touchpoint=earlier, by=agent)
    earlier.refresh_from_db()
    assert earlier.request_id == open_request.pk
    with pytest.raises(DomainError) as error:
        request_attach_touchpoint(request=open_request, touchpoint=earlier, by=agent)
    assert error.value.code == "already_attached"


def test_attach_refuses_another_customers_touchpoint(open_request, agent, make_customer, log):
    francois = make_customer("François", "Müller", civility="m")
    theirs = log(francois, reason="compliment", summary="Très bon accueil à l'agence")
    with pytest.raises(DomainError) as error:
        request_attach_touchpoint(request=open_request, touchpoint=theirs, by=agent)
    assert error.value.code == "request_mismatch"
    assert error.value.field == "touchpoint"
    theirs.refresh_from_db()
    assert theirs.request_id is None


def test_attach_refuses_a_touchpoint_of_another_request(open_request, agent, helene, log):
    other = log(helene, summary="Objet perdu dans le tram T1", reason="lost_property")
    assert other.request_id not in (None, open_request.pk)
    with pytest.raises(DomainError) as error:
        request_attach_touchpoint(request=open_request, touchpoint=other, by=agent)
    assert error.value.code == "attached_elsewhere"


def test_attaching_the_customers_reply_to_a_waiting_request_reopens_it(
    open_request, agent, helene, log
):
    request_wait_customer(request=open_request, by=agent)
    reply = log(helene, reason="compliment", summary="Merci, voici mon justificatif")
    request_attach_touchpoint(request=open_request, touchpoint=reply, by=agent)
    open_request.refresh_from_db()
    assert open_request.status == RequestStatus.OPEN
    assert Touchpoint.objects.filter(request=open_request).count() == 2


def test_two_agents_on_the_same_request_the_second_reads_the_locked_row(
    open_request, agent, colleague_lyon
):
    seen_by_colleague = type(open_request).objects.get(pk=open_request.pk)
    request_close(request=open_request, by=agent)
    # the colleague's copy still says "open": the service re-reads the row under lock
    assert seen_by_colleague.status == RequestStatus.OPEN
    with pytest.raises(DomainError) as error:
        request_answer(request=seen_by_colleague, by=colleague_lyon)
    assert error.value.code == "closed"


def test_only_the_customer_coming_back_reopens_a_waiting_request(helene, agent):
    from relation_client.touchpoints.models import Reason, Request, RequestStatus
    from relation_client.touchpoints.services import touchpoint_log

    reason = Reason.objects.get(code="fare")
    opened = touchpoint_log(
        agent=agent,
        customer=helene,
        channel="email",
        reason=reason,
        summary="Justificatifs pour le tarif solidaire ?",
        open_request=True,  # a fare question opens none by default: the agent decided
    )
    request = opened.request
    Request.objects.filter(pk=request.pk).update(status=RequestStatus.WAITING_CUSTOMER)
    touchpoint_log(
        agent=agent,
        customer=helene,
        channel="email",
        reason=reason,
        direction="outbound",
        summary="Relance : merci d'envoyer l'avis d'imposition",
        request=request,
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.WAITING_CUSTOMER
    touchpoint_log(
        agent=agent,
        customer=helene,
        channel="email",
        reason=reason,
        summary="Voici mon avis d'imposition",
        request=request,
    )
    request.refresh_from_db()
    assert request.status == RequestStatus.OPEN
