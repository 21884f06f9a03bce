"""POST /api/v1/survey-answers/: the survey partner's answers in bulk — idempotent, the
whole batch checked first, errors reported per row, one transaction."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from relation_client.touchpoints.models import Alert, Request
from satisfaction.models import SurveyAnswer, SurveyInvitation
from satisfaction.services import survey_answer_submit

pytestmark = pytest.mark.django_db
URL = reverse("satisfaction_api:survey-answers")


@pytest.fixture
def api(agent):
    client = APIClient()
    client.force_login(agent.user)
    return client


@pytest.fixture
def links(helene, make_customer, make_invitation, agent):
    """Three invitations: Hélène's CSAT, Jérôme's NPS, Zoé's effort."""
    jerome = make_customer("Jérôme", "Gaël-Noël", usual_contact=agent)
    zoe = make_customer("Zoé", "Lemaître")
    return [
        make_invitation(helene, kind="csat")[1],
        make_invitation(jerome, kind="nps", channel="phone")[1],
        make_invitation(zoe, kind="ces", channel="email")[1],
    ]


def batch(links):
    return {
        "answers": [
            {"token": links[0], "partner_answer_id": "ENQ-001", "score": 5, "service_rating": 5},
            {
                "token": links[1],
                "partner_answer_id": "ENQ-002",
                "score": 2,
                "comment": "Bus C3 passé sans s'arrêter à Gratte-Ciel",
            },
            {"token": links[2], "score": 6, "comment": "Démarche simple en ligne."},
        ]
    }


def test_creates_every_answer(api, links):
    response = api.post(URL, batch(links), format="json")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["created"], body["updated"], body["unchanged"]) == (3, 0, 0)
    assert [row["row"] for row in body["results"]] == [0, 1, 2]
    assert SurveyAnswer.objects.filter(source="partner").count() == 3
    assert SurveyInvitation.objects.filter(answered_at__isnull=False).count() == 3
    # Jérôme is a detractor (NPS 2): one call-back request, one alert
    request = Request.objects.get()
    assert body["results"][1]["closed_loop_request"] == request.pk
    assert body["results"][0]["closed_loop_request"] is None
    assert Alert.objects.filter(kind="detractor").count() == 1


def test_sent_twice_creates_nothing_twice(api, links):
    api.post(URL, batch(links), format="json")
    again = api.post(URL, batch(links), format="json").json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 3)
    assert SurveyAnswer.objects.count() == 3
    assert Request.objects.count() == 1 and Alert.objects.count() == 1


def test_a_corrected_row_updates_its_answer(api, links):
    api.post(URL, batch(links), format="json")
    corrected = batch(links)
    corrected["answers"][0]["score"] = 1  # now a detractor too
    body = api.post(URL, corrected, format="json").json()
    assert (body["created"], body["updated"], body["unchanged"]) == (0, 1, 2)
    assert SurveyAnswer.objects.get(partner_answer_id="ENQ-001").score == 1
    assert Request.objects.count() == 2  # Hélène's call-back, opened once


def test_one_bad_row_refuses_the_whole_batch(api, links):
    bad = batch(links)
    bad["answers"][1]["score"] = 11  # NPS goes up to 10
    bad["answers"][2]["token"] = "jeton-inconnu"
    response = api.post(URL, bad, format="json")
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["field"], body["error_count"]) == ("invalid_batch", "answers", 2)
    assert body["detail"] == "Lot refusé : 2 erreur(s), rien n'a été enregistré."
    assert body["errors"] == [
        {
            "row": 1,
            "code": "out_of_scale",
            "field": "score",
            "detail": "La note 11 est hors de l'échelle : elle doit être comprise entre 0 et 10.",
        },
        {
            "row": 2,
            "code": "unknown_token",
            "field": "token",
            "detail": "Aucune invitation ne correspond à ce jeton.",
        },
    ]
    assert not SurveyAnswer.objects.exists()
    assert not Request.objects.exists()


def test_malformed_rows_are_reported_per_row(api, links):
    bad = batch(links)
    bad["answers"][0]["score"] = "cinq"
    bad["answers"][2]["humeur"] = "bonne"
    body = api.post(URL, bad, format="json").json()
    assert [(e["row"], e["code"], e["field"]) for e in body["errors"]] == [
        (0, "invalid", "score"),
        (2, "unknown_field", "humeur"),
    ]
    assert not SurveyAnswer.objects.exists()


def test_duplicates_within_a_batch(api, links):
    twice = {"answers": [{"token": links[0], "score": 4}, {"token": links[0], "score": 5}]}
    body = api.post(URL, twice, format="json").json()
    assert body["errors"] == [
        {
            "row": 1,
            "code": "duplicate_in_batch",
            "field": "token",
            "detail": "Même jeton qu'à la ligne 0.",
        }
    ]


def test_an_answer_given_on_the_page_is_not_replaced(api, links):
    survey_answer_submit(token=links[0], score=4)
    body = api.post(URL, {"answers": [{"token": links[0], "score": 1}]}, format="json").json()
    assert body["errors"][0]["code"] == "already_answered"
    assert SurveyAnswer.objects.get().score == 4


def test_an_answer_after_expiry_is_refused(api, links):
    SurveyInvitation.objects.update(expires_at=timezone.now() - datetime.timedelta(days=1))
    body = api.post(URL, {"answers": [{"token": links[0], "score": 4}]}, format="json").json()
    assert body["errors"][0]["code"] == "expired"


def test_an_empty_batch(api, db):
    response = api.post(URL, {"answers": []}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "answers"


def test_anonymous_callers_do_not_get_in(db, links):
    response = APIClient().post(URL, batch(links), format="json")
    # 401 once token authentication announces itself (WWW-Authenticate), 403 before
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"
    assert not SurveyAnswer.objects.exists()


def test_a_partner_token_needs_the_surveys_scope(agent, links):
    from relation_client.api.services import api_token_create

    _token, raw = api_token_create(name="Institut d'études", agent=agent, scopes=["customers:read"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = client.post(URL, batch(links), format="json")
    assert (response.status_code, response.json()["code"]) == (403, "insufficient_scope")
    _token, raw = api_token_create(
        name="Institut d'études 2", agent=agent, scopes=["surveys:write"]
    )
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.post(URL, batch(links), format="json").status_code == 200


def test_documented_in_the_schema(tmp_path):
    import yaml
    from django.core.management import call_command

    path = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    operation = yaml.safe_load(path.read_text())["paths"]["/api/v1/survey-answers/"]["post"]
    assert {"200", "400", "403"} <= set(operation["responses"])
    assert operation["operationId"] == "survey_answers_upsert"
