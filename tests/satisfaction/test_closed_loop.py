"""The closed loop: a detractor or a complaint opens one request for the customer's usual
contact, with the channel's deadline, and one alert — never twice for the same answer."""

import pytest

from relation_client.touchpoints.deadlines import deadline_for
from relation_client.touchpoints.models import Alert, Request
from satisfaction.models import SurveyAnswer
from satisfaction.services import closed_loop_open, survey_answer_submit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "score", "complaint", "called_back"),
    [
        ("nps", 6, False, True),
        ("nps", 7, False, False),
        ("csat", 2, False, True),
        ("csat", 3, False, False),
        ("ces", 1, False, False),  # effort alone is no detractor
        ("ces", 6, True, True),  # but a complaint always is
    ],
)
def test_who_is_called_back(helene, make_invitation, kind, score, complaint, called_back):
    _invitation, token = make_invitation(helene, kind=kind)
    survey_answer_submit(token=token, score=score, complaint=complaint, comment="Remarque")
    assert Request.objects.exists() == called_back
    assert Alert.objects.filter(kind="detractor").exists() == called_back


def test_a_detractor_gets_a_request_for_the_usual_contact(helene, make_invitation, agent):
    invitation, token = make_invitation(helene, kind="nps", channel="phone")
    answer = survey_answer_submit(
        token=token, score=3, comment="Personne ne m'a rappelée pour mon prélèvement en double."
    )
    request = Request.objects.get()
    assert answer.loop_request_id == request.pk
    assert (request.customer, request.assignee, request.agency) == (helene, agent, agent.agency)
    assert (request.channel, request.status, request.reason.code) == ("phone", "open", "other")
    # the channel's commitment, shortened for her segment as for any request of hers (the
    # two differ on some days only: a Saturday afternoon, when the clock starts on Monday)
    assert request.deadline == deadline_for(
        agency=agent.agency, channel="phone", start=request.opened_at, segment=helene.segment
    )
    assert "note 3" in request.subject and "prélèvement en double" in request.subject
    alert = Alert.objects.get()
    assert (alert.kind, alert.recipient, alert.request, alert.customer) == (
        "detractor",
        agent,
        request,
        helene,
    )
    assert alert.cause == f"survey:answer:{answer.pk}"


def test_a_complaint_is_filed_as_one(helene, make_invitation):
    _invitation, token = make_invitation(helene, kind="ces")
    survey_answer_submit(token=token, score=5, comment="Contrôle injustifié", complaint=True)
    assert Request.objects.get().reason.code == "complaint"


def test_without_usual_contact_the_supervisor(make_customer, make_invitation, supervisor_lyon):
    customer = make_customer("Loïc", "Béranger")
    _invitation, token = make_invitation(customer, kind="csat")
    survey_answer_submit(token=token, score=1)
    assert Request.objects.get().assignee == supervisor_lyon
    assert Alert.objects.get().recipient == supervisor_lyon


def test_never_twice_for_the_same_answer(helene, make_invitation):
    _invitation, token = make_invitation(helene, kind="nps")
    answer = survey_answer_submit(token=token, score=0)
    fresh = SurveyAnswer.objects.select_related("invitation__survey", "invitation__customer").get(
        pk=answer.pk
    )
    assert closed_loop_open(answer=fresh) is None
    assert Request.objects.count() == 1 and Alert.objects.count() == 1
