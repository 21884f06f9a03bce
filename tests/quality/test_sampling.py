"""Control by sampling (issue #20): the weekly draw, the grid, the indicator per segment
fed to the cycle's Contrôler step, a finding's item for Évoluer, and who may do what."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from relation_client.cycle import services as cycle
from relation_client.cycle.models import Decision, Stage
from relation_client.quality import services
from relation_client.quality.indicators import INDICATOR, sample_conformity
from relation_client.quality.models import Quality, Sample, SampledRequest
from relation_client.quality.tasks import quality_draw_samples
from socle.errors import DomainError
from tests.cycle.conftest import bring_round_to
from tests.quality.conftest import closed_request, last_week_noon

pytestmark = pytest.mark.django_db

GOOD = {
    "quality": Quality.GOOD,
    "deadline_kept": True,
    "deadline_reason": "",
    "customer_named": True,
    "follow_up_done": True,
    "comment": "",
}


def _review(item, by, **changes):
    return services.review_save(item=item, by=by, **{**GOOD, **changes})


def test_the_draw_is_reproducible_and_never_twice_the_same_week(agency_lyon, supervisor_lyon):
    week = [closed_request(agency=agency_lyon, closed_at=last_week_noon(i % 7)) for i in range(15)]
    # neither this week's nor the week before's: outside the sample
    closed_request(agency=agency_lyon, closed_at=last_week_noon(7))
    closed_request(agency=agency_lyon, closed_at=last_week_noon(-1))

    sample, drawn_now = services.sample_draw(agency=agency_lyon, by=supervisor_lyon, size=10)
    assert drawn_now
    drawn = list(sample.items.order_by("position").values_list("request_id", flat=True))
    assert len(drawn) == 10 and set(drawn) <= {r.pk for r in week}
    assert sample.closed_count == 15
    year, number, _day = sample.week.isocalendar()
    assert sample.seed == f"agence-{agency_lyon.pk}-{year}-W{number:02d}"

    # the button again, then the Monday job: the same sample, nothing drawn
    again, drawn_now = services.sample_draw(agency=agency_lyon, by=supervisor_lyon, size=10)
    assert (again.pk, drawn_now) == (sample.pk, False)
    assert quality_draw_samples() == {"drawn": 0}
    assert Sample.objects.count() == 1 and SampledRequest.objects.count() == 10
    with pytest.raises(IntegrityError), transaction.atomic():
        Sample.objects.create(
            agency=agency_lyon,
            week=sample.week,
            seed="x",
            size=1,
            closed_count=0,
            drawn_at=timezone.now(),
        )

    # drawn anew from the same requests, the seed picks the same ones in the same order
    sample.delete()
    redrawn, _ = services.sample_draw(agency=agency_lyon, size=10)
    assert list(redrawn.items.order_by("position").values_list("request_id", flat=True)) == drawn


def test_fewer_closed_requests_than_the_size_are_all_drawn(agency_lyon, agency_villeurbanne):
    requests = {closed_request(agency=agency_lyon).pk for _ in range(3)}
    closed_request(agency=agency_villeurbanne)
    assert quality_draw_samples() == {"drawn": 2}
    sample = Sample.objects.get(agency=agency_lyon)
    assert set(sample.items.values_list("request_id", flat=True)) == requests
    assert sample.size == 10  # the default, QUALITY_SAMPLE_SIZE


def test_the_deadline_is_prefilled_from_the_data(agency_lyon, supervisor_lyon):
    closed_request(agency=agency_lyon, on_time=False)
    sample, _ = services.sample_draw(agency=agency_lyon)
    item = sample.items.get()
    assert item.deadline_kept_data is False


def test_the_grid_is_saved_and_a_corrected_deadline_needs_a_reason(
    agency_lyon, supervisor_lyon, login, customers
):
    closed_request(agency=agency_lyon, customer=customers["seniors"][0], on_time=False)
    sample, _ = services.sample_draw(agency=agency_lyon)
    item = sample.items.get()
    client = login(supervisor_lyon)
    url = reverse("quality:review", args=[item.pk])
    form = {
        "quality": "a_ameliorer",
        "deadline_kept": "oui",  # the data say it was missed
        "customer_named": "non",
        "follow_up_done": "oui",
        "comment": "Réponse juste mais sèche ; pas de formule de politesse.",
    }
    refused = client.post(url, form)
    assert refused.status_code == 422
    assert "dites pourquoi" in refused.content.decode()
    item.refresh_from_db()
    assert not item.is_reviewed

    form["deadline_reason"] = "Client injoignable le jour de l'échéance, rappel accepté par écrit."
    response = client.post(url, form)
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.is_reviewed and item.reviewed_by == supervisor_lyon
    assert (item.quality, item.deadline_kept, item.customer_named, item.follow_up_done) == (
        Quality.IMPROVE,
        True,
        False,
        True,
    )
    assert item.deadline_reason.startswith("Client injoignable")
    assert item.comment == form["comment"]
    assert item.conforming is False


def test_the_indicator_per_segment_by_hand(
    agency_lyon, supervisor_lyon, manager_lyon, customers, seniors
):
    """Three of the four seniors' sampled requests conform: 75 %. The other segment's
    request and an unreviewed one do not count."""
    for customer in customers["seniors"]:
        closed_request(agency=agency_lyon, customer=customer)
    closed_request(agency=agency_lyon, customer=customers["pmr"])
    closed_request(agency=agency_lyon, customer=customers["seniors"][0])  # left unreviewed
    sample, _ = services.sample_draw(agency=agency_lyon)
    items = {item.request.customer_id: [] for item in sample.items.select_related("request")}
    for item in sample.items.select_related("request"):
        items[item.request.customer_id].append(item)
    seniors_items = [items[c.pk][0] for c in customers["seniors"]]
    for item in seniors_items[:3]:
        _review(item, supervisor_lyon)
    _review(seniors_items[3], supervisor_lyon, customer_named=False)
    _review(items[customers["pmr"].pk][0], supervisor_lyon, quality=Quality.INSUFFICIENT)

    now = timezone.now() + datetime.timedelta(minutes=1)
    assert sample_conformity(segment=seniors, now=now) == Decimal("75.0")

    # through the cycle's Contrôler step: a control on the indicator, measured
    round = bring_round_to(seniors, Stage.CONTROL, by=manager_lyon)
    control = cycle.control_add(round=round, by=manager_lyon, indicator=INDICATOR, target=80)
    assert control.label.startswith("Contrôle par échantillon")
    control = cycle.control_measure(control=control, by=manager_lyon, now=now)
    assert control.measured_value == Decimal("75.0") and control.met is False


def test_a_finding_opens_an_item_for_evoluer(
    agency_lyon, supervisor_lyon, manager_lyon, login, customers, seniors
):
    closed_request(agency=agency_lyon, customer=customers["seniors"][0])
    sample, _ = services.sample_draw(agency=agency_lyon)
    item = _review(
        sample.items.get(),
        supervisor_lyon,
        quality=Quality.INSUFFICIENT,
        comment="La réponse ne traite pas la demande de remboursement.",
    )
    round = bring_round_to(seniors, Stage.CONTROL, by=manager_lyon)
    control = cycle.control_add(round=round, by=manager_lyon, indicator=INDICATOR, target=80)
    cycle.control_measure(
        control=control, by=manager_lyon, now=timezone.now() + datetime.timedelta(minutes=1)
    )
    round = cycle.round_advance(round=round, to_stage=Stage.EVOLVE, by=manager_lyon)

    client = login(manager_lyon)
    page = client.get(reverse("quality:review", args=[item.pk]))
    assert "Ouvrir une piste d'amélioration (Évoluer)" in page.content.decode()
    response = client.post(reverse("quality:improve", args=[item.pk]))
    assert response.status_code == 302 and response.url == round.get_absolute_url()
    decision = Decision.objects.get(round=round)
    assert list(decision.controls.all()) == [control]
    assert "insuffisante" in decision.rationale or "insuffisant" in decision.rationale
    assert "remboursement" in decision.rationale
    item.refresh_from_db()
    assert item.improvement == decision

    # one click opens one item
    client.post(reverse("quality:improve", args=[item.pk]))
    assert Decision.objects.filter(round=round).count() == 1


def test_a_good_review_is_not_a_finding(agency_lyon, supervisor_lyon, customers):
    closed_request(agency=agency_lyon, customer=customers["seniors"][0])
    sample, _ = services.sample_draw(agency=agency_lyon)
    item = _review(sample.items.get(), supervisor_lyon)
    with pytest.raises(DomainError) as refused:
        services.improvement_open(item=item, by=supervisor_lyon)
    assert refused.value.code == "not_a_finding"


def test_an_agent_cannot_review(agency_lyon, agent, login, customers):
    closed_request(agency=agency_lyon, customer=customers["seniors"][0])
    sample, _ = services.sample_draw(agency=agency_lyon)
    item = sample.items.get()
    client = login(agent)
    form = {
        "quality": "bon",
        "deadline_kept": "oui",
        "customer_named": "oui",
        "follow_up_done": "oui",
    }
    assert client.get(reverse("quality:review", args=[item.pk])).status_code == 403
    assert client.post(reverse("quality:review", args=[item.pk]), form).status_code == 403
    assert client.post(reverse("quality:draw")).status_code == 403
    assert client.get(reverse("quality:results")).status_code == 403
    item.refresh_from_db()
    assert not item.is_reviewed


def test_another_agencys_sample_is_not_theirs(agency_villeurbanne, supervisor_lyon, login):
    closed_request(agency=agency_villeurbanne)
    sample, _ = services.sample_draw(agency=agency_villeurbanne)
    client = login(supervisor_lyon)
    assert client.get(reverse("quality:sample", args=[sample.pk])).status_code == 404
    assert client.get(reverse("quality:review", args=[sample.items.get().pk])).status_code == 404


def test_results_never_show_the_agent_who_handled_a_request(
    agency_lyon, supervisor_lyon, agent, login, customers, django_assert_max_num_queries
):
    for customer in customers["seniors"]:
        closed_request(agency=agency_lyon, customer=customer, assignee=agent)
    sample, _ = services.sample_draw(agency=agency_lyon)
    for item in sample.items.all():
        _review(item, supervisor_lyon, quality=Quality.IMPROVE)
    client = login(supervisor_lyon)
    pages = [
        reverse("quality:results"),
        reverse("quality:index"),
        reverse("quality:sample", args=[sample.pk]),
        reverse("quality:review", args=[sample.items.first().pk]),
    ]
    for url in pages:
        with django_assert_max_num_queries(12):
            html = client.get(url).content.decode()
        assert agent.display_name not in html, url
        assert "Rousseau" not in html, url
    results = client.get(reverse("quality:results")).content.decode()
    assert agency_lyon.name in results
    assert "Seniors" in results
