"""demo_seed_satisfaction: on the demo network, a gap of about 14 points, 30+ at Lyon
Bellecour; idempotent."""

import pytest
from django.db import connection

from demo.seed.network import demo_seed
from demo.seed.satisfaction import demo_seed_satisfaction
from satisfaction.models import (
    GapSnapshot,
    IncivilityReport,
    PulseResponse,
    SurveyAnswer,
    TeamSnapshot,
)

pytestmark = pytest.mark.django_db


def pooled_gap(agency_name: str | None = None) -> float:
    """Staff's estimate minus the answer, on 0–100, over every estimated answer."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT avg(
                CASE s.kind WHEN 'csat' THEN (e.score - a.score) * 25.0
                            WHEN 'nps' THEN (e.score - a.score) * 10.0
                            ELSE (e.score - a.score) * 100.0 / 6 END)
            FROM satisfaction_surveyanswer a
            JOIN satisfaction_surveyinvitation i ON i.id = a.invitation_id
            JOIN satisfaction_survey s ON s.id = i.survey_id
            JOIN satisfaction_agentestimate e
              ON e.touchpoint_id = i.touchpoint_id AND e.kind = s.kind
            JOIN agences_agency g ON g.id = i.agency_id
            WHERE %s::text IS NULL OR g.name = %s
            """,
            [agency_name, agency_name],
        )
        return float(cursor.fetchone()[0])


def test_the_demo_shows_the_barometers_gap():
    demo_seed(customers=60)
    report = demo_seed_satisfaction()
    assert report.answers > 500 and report.incivilities > 0
    assert 11 <= pooled_gap() <= 17  # "about 14 points"
    assert pooled_gap("Lyon Bellecour") >= 30
    assert GapSnapshot.objects.filter(agency=None, channel="", gap__isnull=False).exists()
    # enough pulse answers somewhere to be shown, and some groups too small to be
    assert TeamSnapshot.objects.filter(pulse_n__gte=5).exists()
    assert PulseResponse.objects.values("agency", "period").distinct().count() > 0
    # the loop closed for recent unhappy customers, Hélène's complaint included
    assert SurveyAnswer.objects.filter(
        loop_request__isnull=False, invitation__customer__first_name="Hélène"
    ).exists()
    again = demo_seed_satisfaction()
    assert again.skipped
    assert IncivilityReport.objects.count() == report.incivilities
