"""The rows behind a dashboard figure (satisfaction:drilldown): exactly the rows the figure
counts, the dashboard's filters and access, pages of 50, CSV, no agent's name."""

import csv
import datetime
import html
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from satisfaction.models import IncivilityReport, SurveyAnswer, SurveyInvitation
from satisfaction.services import indicators_compute
from tests.support.time import paris

pytestmark = pytest.mark.django_db
NOVEMBER = {"periode": "month", "debut": "2025-11-01"}


def url(kind: str) -> str:
    return reverse("satisfaction:drilldown", args=[kind])


def text(response) -> str:
    return html.unescape(response.content.decode())


def rows_of(response) -> list:
    return list(response.context["page"].object_list)


def csv_rows(response) -> list[list[str]]:
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")
    return list(csv.reader(io.StringIO(content[1:]), delimiter=";"))


@pytest.fixture
def answer(bulk_answers):
    """One answer (and its touchpoint, invitation, estimate), with a comment."""

    def make(customer, agent, *, score, estimate=None, comment="", kind="csat", at=None, **extra):
        (invitation,) = bulk_answers(
            customer=customer,
            agent=agent,
            at=at or paris(2025, 11, 12, 10, 0),
            scores=[score],
            estimates=[estimate],
            kind=kind,
            **extra,
        )
        SurveyAnswer.objects.filter(invitation=invitation).update(comment=comment)
        return invitation

    return make


@pytest.fixture
def dataset(
    answer, make_customer, helene, agent, colleague_lyon, agent_villeurbanne, agency_villeurbanne
):
    """November 2025 in Lyon: Hélène's CSAT 4 estimated 5 at the counter, Jérôme's NPS 3
    unestimated on the phone, Zoé's invitation unanswered; Amélie's CSAT 2 estimated 4 in
    Villeurbanne; Hélène's October answer, outside the month. Incivilities: one against
    Camille, one complaint about Karim (Lyon), one against Théo (Villeurbanne)."""
    jerome = make_customer("Jérôme", "Gaël-Noël", civility="m")
    zoe = make_customer("Zoé", "Lefèvre")
    amelie = make_customer("Amélie", "Brûlé", home_agency=agency_villeurbanne)
    made = {
        "helene": answer(
            helene, agent, score=4, estimate=5, comment="Très bon accueil, merci à l'équipe !"
        ),
        "jerome": answer(
            jerome,
            agent,
            score=3,
            kind="nps",
            channel="phone",
            comment="Délai d'attente trop long à l'agence.",
            at=paris(2025, 11, 20, 16, 30),
        ),
        "zoe": answer(zoe, agent, score=5, at=paris(2025, 11, 3, 9, 0)),
        "amelie": answer(
            amelie,
            agent_villeurbanne,
            score=2,
            estimate=4,
            comment="Guichet fermé.",
            at=paris(2025, 11, 8, 14, 0),
        ),
        "october": answer(helene, agent, score=1, estimate=1, at=paris(2025, 10, 31, 23, 30)),
    }
    SurveyAnswer.objects.filter(invitation=made["zoe"]).delete()
    SurveyInvitation.objects.filter(pk=made["zoe"].pk).update(answered_at=None)

    def report(about, direction, customer=None, *, at=None, by=None):
        return IncivilityReport.objects.create(
            direction=direction,
            kind="insult" if direction == "against_staff" else "rudeness",
            severity=2,
            place="counter",
            description="Propos déplacés au guichet, échange très tendu.",
            occurred_at=at or paris(2025, 11, 14, 11, 0),
            agency_id=about.agency_id,
            agent=about,
            customer=customer,
            reported_by=by or about,
        )

    made["against_camille"] = report(agent, "against_staff", jerome)
    made["about_karim"] = report(colleague_lyon, "by_staff", helene, by=colleague_lyon)
    made["against_theo"] = report(agent_villeurbanne, "against_staff")
    made["old_report"] = report(agent, "against_staff", at=paris(2025, 10, 2, 10, 0))
    # Paris midnight: the 1st of November at 00:30 is November, not October
    made["midnight"] = report(agent, "against_staff", at=paris(2025, 11, 1, 0, 30))
    indicators_compute()
    return made


def names(rows, attribute="invitation") -> list[str]:
    return [getattr(row, attribute).customer.full_name for row in rows]


def test_answers_are_the_periods_answers_of_the_agency(login, manager_lyon, dataset):
    response = login(manager_lyon).get(url("reponses"), NOVEMBER)
    assert response.status_code == 200
    assert names(rows_of(response)) == ["Jérôme Gaël-Noël", "Hélène Dupont-Lefèvre"]
    page = text(response)
    assert "Très bon accueil, merci à l'équipe !" in page
    assert "Délai d'attente trop long à l'agence." in page
    assert "Amélie" not in page  # Villeurbanne
    assert f'href="{dataset["helene"].customer.get_absolute_url()}"' in page
    # a team tool: no agent's name
    assert "Camille" not in page and "Rousseau" not in page


def test_answers_match_the_dashboard_figure(login, director, dataset):
    client = login(director)
    board = client.get(reverse("satisfaction:dashboard"), NOVEMBER).context["board"]
    response = client.get(url("reponses"), NOVEMBER)
    assert response.context["page"].paginator.count == board.summary.answers_n == 3


def test_filters_channel_and_survey_kind(login, director, dataset, agency_lyon):
    client = login(director)
    phone = client.get(url("reponses"), {**NOVEMBER, "canal": "phone"})
    assert names(rows_of(phone)) == ["Jérôme Gaël-Noël"]
    csat = client.get(url("reponses"), {**NOVEMBER, "enquete": "csat"})
    assert names(rows_of(csat)) == ["Hélène Dupont-Lefèvre", "Amélie Brûlé"]
    lyon_csat = client.get(
        url("reponses"), {**NOVEMBER, "enquete": "csat", "agence": agency_lyon.pk}
    )
    assert names(rows_of(lyon_csat)) == ["Hélène Dupont-Lefèvre"]


def test_the_gap_lists_the_estimated_answers_with_the_estimate(login, director, dataset):
    response = login(director).get(url("ecart"), NOVEMBER)
    rows = rows_of(response)
    assert [(row.invitation.customer.first_name, row.score, row.estimate) for row in rows] == [
        ("Hélène", 4, 5),
        ("Amélie", 2, 4),
    ]
    board = login(director).get(reverse("satisfaction:dashboard"), NOVEMBER).context["board"]
    assert board.summary.paired_n == 2
    assert "Estimation du personnel" in text(response)


def test_invitations_are_the_sent_ones_answered_or_not(login, manager_lyon, dataset):
    client = login(manager_lyon)
    response = client.get(url("invitations"), NOVEMBER)
    rows = rows_of(response)
    assert [row.customer.full_name for row in rows] == [
        "Jérôme Gaël-Noël",
        "Hélène Dupont-Lefèvre",
        "Zoé Lefèvre",
    ]
    assert "sans réponse" in text(response)
    answered = client.get(url("invitations"), {**NOVEMBER, "reponse": "oui"})
    assert [row.customer.first_name for row in rows_of(answered)] == ["Jérôme", "Hélène"]
    board = client.get(reverse("satisfaction:dashboard"), NOVEMBER).context["board"]
    assert (board.responses.total.sent_n, board.responses.total.answered_n) == (3, 2)


def test_incivilities_follow_the_visibility_rule(login, agent, manager_lyon, director, dataset):
    def seen(who, **params):
        response = login(who).get(url("incivilites"), {**NOVEMBER, **params})
        assert response.status_code == 200
        return {row.pk for row in rows_of(response)}

    lyon = {dataset["against_camille"].pk, dataset["about_karim"].pk, dataset["midnight"].pk}
    assert seen(manager_lyon) == lyon
    assert seen(manager_lyon, sens="by_staff") == {dataset["about_karim"].pk}
    assert seen(director) == lyon | {dataset["against_theo"].pk}
    # Camille sees the reports about her, never the complaint about Karim
    assert seen(agent) == {dataset["against_camille"].pk, dataset["midnight"].pk}


def test_incivility_rows_show_no_agent(login, manager_lyon, dataset):
    page = text(login(manager_lyon).get(url("incivilites"), NOVEMBER))
    assert "Karim" not in page and "Camille" not in page
    assert "Jérôme Gaël-Noël" in page  # the customer, linked to their page


def test_the_csv_has_the_same_rows(login, director, dataset):
    response = login(director).get(url("ecart"), {**NOVEMBER, "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header, *rows = csv_rows(response)
    assert header == [
        "date du contact",
        "agence",
        "canal",
        "enquête",
        "note",
        "estimation du personnel",
        "commentaire",
        "client",
    ]
    assert [(row[1], row[4], row[5], row[6], row[7]) for row in rows] == [
        (
            "Lyon Part-Dieu",
            "4",
            "5",
            "Très bon accueil, merci à l'équipe !",
            "Hélène Dupont-Lefèvre",
        ),
        ("Villeurbanne Gratte-Ciel", "2", "4", "Guichet fermé.", "Amélie Brûlé"),
    ]
    incivilities = csv_rows(login(director).get(url("incivilites"), {**NOVEMBER, "format": "csv"}))
    assert len(incivilities) == 1 + 4
    assert not any("Karim" in cell or "Camille" in cell for row in incivilities for cell in row)


def test_pages_of_fifty(login, director, bulk_answers, helene, agent):
    bulk_answers(customer=helene, agent=agent, at=paris(2025, 11, 5, 10, 0), scores=[4] * 51)
    client = login(director)
    first = client.get(url("reponses"), NOVEMBER)
    assert len(rows_of(first)) == 50 and first.context["page"].paginator.num_pages == 2
    assert "?page=2&periode=month&debut=2025-11-01" in text(first)
    second = client.get(url("reponses"), {**NOVEMBER, "page": 2})
    assert len(rows_of(second)) == 1
    assert len(csv_rows(client.get(url("reponses"), {**NOVEMBER, "format": "csv"}))) == 1 + 51


def test_an_agent_cannot_pick_another_agency(agent_client, dataset, agency_villeurbanne):
    for kind in ("reponses", "ecart", "invitations", "incivilites"):
        response = agent_client.get(url(kind), {**NOVEMBER, "agence": agency_villeurbanne.pk})
        assert response.status_code == 403


def test_an_agent_without_agency_filter_sees_their_own(agent_client, dataset):
    response = agent_client.get(url("reponses"), NOVEMBER)
    assert {row.invitation.agency.name for row in rows_of(response)} == {"Lyon Part-Dieu"}


def test_another_agencys_manager_does_not_get_in(login, manager_villeurbanne, agency_lyon, dataset):
    client = login(manager_villeurbanne)
    for kind in ("reponses", "ecart", "invitations", "incivilites"):
        assert client.get(url(kind), {**NOVEMBER, "agence": agency_lyon.pk}).status_code == 403
        csv_params = {**NOVEMBER, "agence": agency_lyon.pk, "format": "csv"}
        assert client.get(url(kind), csv_params).status_code == 403
    # without the filter: Villeurbanne only
    rows = rows_of(client.get(url("reponses"), NOVEMBER))
    assert names(rows) == ["Amélie Brûlé"]


def test_must_be_signed_in_and_kind_must_exist(client, login, director, db):
    response = client.get(url("reponses"))
    assert response.status_code == 302 and "/connexion/" in response["Location"]
    assert login(director).get(url("classement")).status_code == 404


def test_the_dashboard_links_its_figures_to_the_drilldown(login, director, dataset, agency_lyon):
    page = login(director).get(reverse("satisfaction:dashboard"), NOVEMBER).content.decode()
    base = "periode=month&amp;debut=2025-11-01"
    assert f'href="{url("reponses")}?{base}"' in page
    assert f'href="{url("reponses")}?{base}&amp;agence={agency_lyon.pk}"' in page
    assert f'href="{url("ecart")}?{base}"' in page
    assert f'href="{url("invitations")}?{base}"' in page
    assert f'href="{url("incivilites")}?{base}&amp;sens=against_staff"' in page


def _queries(client, kind, params) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url(kind), params)
        if params.get("format") == "csv":
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(context.captured_queries)


# session (the user, agent and permissions come from Redis), the agency filter's options,
# COUNT, the menu's alerts, the page's rows; the CSV: no COUNT, no menu
QUERIES = {"reponses": 5, "ecart": 5, "invitations": 5, "incivilites": 5}
CSV_QUERIES = 3


@pytest.mark.parametrize("kind", sorted(QUERIES))
def test_queries_do_not_grow_with_the_rows(
    login, director, bulk_answers, helene, agent, colleague_lyon, kind
):
    client = login(director)
    at = paris(2025, 11, 5, 10, 0)

    def add(count):
        bulk_answers(customer=helene, agent=agent, at=at, scores=[4] * count, estimates=[5] * count)
        IncivilityReport.objects.bulk_create(
            IncivilityReport(
                direction="against_staff",
                kind="insult",
                severity=1,
                place="counter",
                description="Insultes au guichet.",
                occurred_at=at,
                agency_id=agent.agency_id,
                agent=agent,
                customer=helene,
                reported_by=colleague_lyon,
            )
            for _ in range(count)
        )

    add(2)
    few = _queries(client, kind, NOVEMBER)
    few_csv = _queries(client, kind, {**NOVEMBER, "format": "csv"})
    add(28)
    assert _queries(client, kind, NOVEMBER) == few == QUERIES[kind]
    assert _queries(client, kind, {**NOVEMBER, "format": "csv"}) == few_csv == CSV_QUERIES


def test_period_bounds_are_paris_months():
    from satisfaction.selectors.drilldown import period_bounds, period_start

    start, end = period_bounds("quarter", period_start("quarter", datetime.date(2025, 11, 20)))
    assert (start, end) == (paris(2025, 10, 1), paris(2026, 1, 1))
