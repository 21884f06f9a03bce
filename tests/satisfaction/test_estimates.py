"""estimate_record, climate_record and barometer_record: on the survey's scale, refused
with a clear message outside it, replaced when given again."""

import datetime

import pytest

from satisfaction.models import AgentEstimate, ExchangeClimate, TeamBarometer
from satisfaction.selectors import estimate_kind_for_channel
from satisfaction.services import (
    barometer_record,
    climate_record,
    estimate_record,
    survey_answer_submit,
)
from socle.errors import DomainError

pytestmark = pytest.mark.django_db


def test_the_agents_estimate_on_the_csat_scale(helene, make_touchpoint, agent):
    touchpoint = make_touchpoint(helene)
    estimate = estimate_record(touchpoint=touchpoint, score=4)
    assert (estimate.kind, estimate.score, estimate.agent) == ("csat", 4, agent)


def test_given_again_it_replaces_the_first(helene, make_touchpoint):
    touchpoint = make_touchpoint(helene)
    estimate_record(touchpoint=touchpoint, score=4)
    estimate_record(touchpoint=touchpoint, score=2)
    assert AgentEstimate.objects.get().score == 2


@pytest.mark.parametrize(
    ("kind", "score", "scale"),
    [("csat", 0, "1 et 5"), ("csat", 6, "1 et 5"), ("nps", -1, "0 et 10"), ("ces", 8, "1 et 7")],
)
def test_out_of_the_scale_is_refused(helene, make_touchpoint, kind, score, scale):
    with pytest.raises(DomainError) as refused:
        estimate_record(touchpoint=make_touchpoint(helene), score=score, kind=kind)
    assert (refused.value.code, refused.value.field) == ("out_of_scale", "estimate")
    assert f"comprise entre {scale}" in str(refused.value.message)
    assert not AgentEstimate.objects.exists()


def test_an_unknown_scale_is_refused(helene, make_touchpoint):
    with pytest.raises(DomainError) as refused:
        estimate_record(touchpoint=make_touchpoint(helene), score=3, kind="étoiles")
    assert (refused.value.code, refused.value.field) == ("invalid_kind", "estimate_kind")


def test_not_a_number(helene, make_touchpoint):
    with pytest.raises(DomainError) as refused:
        estimate_record(touchpoint=make_touchpoint(helene), score="4")
    assert refused.value.code == "not_a_number"


def test_frozen_once_the_customer_answered(helene, make_invitation):
    invitation, token = make_invitation(helene)
    survey_answer_submit(token=token, score=2)
    with pytest.raises(DomainError) as refused:
        estimate_record(touchpoint=invitation.touchpoint, score=5)
    assert refused.value.code == "already_answered"


def test_the_scale_follows_the_channels_survey(db):
    assert estimate_kind_for_channel(channel="counter") == "csat"
    assert estimate_kind_for_channel(channel="social_media") == "nps"
    assert estimate_kind_for_channel(channel="email") == "ces"


def test_the_climate_of_an_exchange(helene, make_touchpoint, agent):
    touchpoint = make_touchpoint(helene, channel="phone")
    climate_record(touchpoint=touchpoint, rating=2)
    climate = climate_record(touchpoint=touchpoint, rating=1)
    assert (climate.rating, climate.agent, climate.agency, climate.channel) == (
        1,
        agent,
        agent.agency,
        "phone",
    )
    assert ExchangeClimate.objects.count() == 1
    with pytest.raises(DomainError) as refused:
        climate_record(touchpoint=touchpoint, rating=6)
    assert (refused.value.code, refused.value.field) == ("out_of_scale", "climate")


def test_the_team_barometer_once_a_month(agent):
    november = datetime.date(2025, 11, 1)
    barometer_record(agent=agent, satisfied_share=70, period=datetime.date(2025, 11, 17))
    barometer = barometer_record(agent=agent, satisfied_share=75, period=november)
    assert (barometer.period, barometer.satisfied_share, barometer.agency) == (
        november,
        75,
        agent.agency,
    )
    assert TeamBarometer.objects.count() == 1
    with pytest.raises(DomainError) as refused:
        barometer_record(agent=agent, satisfied_share=101)
    assert refused.value.field == "satisfied_share"
