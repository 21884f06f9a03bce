"""survey_answer_submit: a link works once and until it expires; a score out of the
survey's scale is refused with a clear message; nothing is recorded on refusal."""

import datetime

import pytest
from django.utils import timezone

from satisfaction.models import SurveyAnswer, SurveyInvitation
from satisfaction.services import survey_answer_submit
from socle.errors import DomainError

pytestmark = pytest.mark.django_db


def test_records_the_answer_once(helene, make_invitation):
    invitation, token = make_invitation(helene)
    answer = survey_answer_submit(
        token=token, score=4, comment="  Accueil très aimable, merci !  ", service_rating=5
    )
    assert (answer.score, answer.comment, answer.service_rating) == (
        4,
        "Accueil très aimable, merci !",
        5,
    )
    assert (answer.source, answer.complaint, answer.loop_request) == ("web", False, None)
    invitation.refresh_from_db()
    assert invitation.answered_at == answer.answered_at


def test_a_reused_link_records_nothing(helene, make_invitation):
    _invitation, token = make_invitation(helene)
    survey_answer_submit(token=token, score=5)
    with pytest.raises(DomainError) as refused:
        survey_answer_submit(token=token, score=1, comment="Finalement non")
    assert refused.value.code == "already_answered"
    assert SurveyAnswer.objects.get().score == 5


def test_an_expired_link_records_nothing(helene, make_invitation):
    invitation, token = make_invitation(helene)
    SurveyInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    with pytest.raises(DomainError) as refused:
        survey_answer_submit(token=token, score=4)
    assert (refused.value.code, refused.value.field) == ("expired", "token")
    assert "expiré" in str(refused.value.message)
    assert not SurveyAnswer.objects.exists()
    invitation.refresh_from_db()
    assert invitation.answered_at is None


def test_an_unknown_link_records_nothing(db):
    with pytest.raises(DomainError) as refused:
        survey_answer_submit(token="pas-un-vrai-jeton", score=4)
    assert refused.value.code == "unknown_link"


@pytest.mark.parametrize(
    ("kind", "score", "scale"),
    [("csat", 0, "1 et 5"), ("csat", 6, "1 et 5"), ("nps", 11, "0 et 10"), ("ces", 8, "1 et 7")],
)
def test_a_score_out_of_the_scale_is_refused(helene, make_invitation, kind, score, scale):
    _invitation, token = make_invitation(helene, kind=kind)
    with pytest.raises(DomainError) as refused:
        survey_answer_submit(token=token, score=score)
    error = refused.value
    assert (error.code, error.field) == ("out_of_scale", "score")
    assert str(error.message) == (
        f"La note {score} est hors de l'échelle : elle doit être comprise entre {scale}."
    )
    assert not SurveyAnswer.objects.exists()


def test_the_service_rating_has_its_own_scale(helene, make_invitation):
    _invitation, token = make_invitation(helene)
    with pytest.raises(DomainError) as refused:
        survey_answer_submit(token=token, score=4, service_rating=6)
    assert (refused.value.code, refused.value.field) == ("out_of_scale", "service_rating")
