"""Categories with priority (issue 20): a segment shortens the response commitment of its
customers' requests (reduced mobility answered in half the time), the rule shown next to
the deadline says so and why, and the queue shows the priority in words with the
segment's name instead of a bare number."""

import re
from unittest import mock

import pytest
from django.urls import reverse

from relation_client.customers.models import Segment
from relation_client.touchpoints.deadlines import commitment_rule, segment_commitment
from relation_client.touchpoints.models import ChannelCommitment, Request
from relation_client.touchpoints.services import request_answer, request_reopen
from tests.support.time import paris

pytestmark = pytest.mark.django_db

DAYS = ChannelCommitment.Unit.WORKING_DAYS
HOURS = ChannelCommitment.Unit.WORKING_HOURS
MONDAY_10 = paris(2026, 11, 16, 10, 0)  # Lyon opens 8:30–18:00 on weekdays
PMR = "Personnes à mobilité réduite"


@pytest.fixture
def aicha(make_customer, segment_priority):
    return make_customer("Aïcha", "Diallo", segment=segment_priority(PMR))


@pytest.fixture
def zoe(make_customer, segment_priority):
    return make_customer("Zoé", "Lefèvre", segment=segment_priority("Visiteurs"))


@pytest.mark.parametrize(
    ("amount", "unit", "percent", "expected"),
    [
        (1, DAYS, 50, (4, HOURS)),  # a working day counts 8 hours
        (1, DAYS, 75, (6, HOURS)),
        (2, DAYS, 50, (1, DAYS)),  # whole days stay days
        (5, DAYS, 60, (3, DAYS)),
        (2, DAYS, 75, (12, HOURS)),
        (8, HOURS, 50, (4, HOURS)),
        (3, HOURS, 50, (2, HOURS)),  # rounded half up
        (1, HOURS, 50, (1, HOURS)),  # never less than an hour: unchanged
        (1, DAYS, 10, (1, HOURS)),
        (2, DAYS, 100, (2, DAYS)),
    ],
)
def test_the_shortened_commitment(amount, unit, percent, expected):
    assert segment_commitment(amount=amount, unit=unit, percent=percent) == expected


def test_the_reference_segments_answer_reduced_mobility_seniors_and_pupils_faster():
    percents = dict(Segment.objects.values_list("name", "commitment_percent"))
    assert percents[PMR] == 50
    assert percents["Seniors"] == 75
    assert percents["Scolaires"] == 75
    assert percents["Visiteurs"] == percents["Voyageurs occasionnels"] == 100
    assert percents["Abonnés annuels"] == 100


def test_a_reduced_mobility_customer_is_due_sooner_on_the_same_channel_at_the_same_moment(
    log, aicha, zoe
):
    pmr = log(aicha, channel="phone", occurred_at=MONDAY_10).request
    standard = log(zoe, channel="phone", occurred_at=MONDAY_10).request
    assert standard.deadline == paris(2026, 11, 17, 10, 0)  # 1 jour ouvré
    assert pmr.deadline == paris(2026, 11, 16, 14, 0)  # 4 heures ouvrées
    assert pmr.deadline < standard.deadline


def test_the_rule_says_what_the_commitment_was_shortened_to_and_why(agent_client, log, aicha):
    request = log(aicha, channel="phone", occurred_at=MONDAY_10).request
    page = agent_client.get(reverse("touchpoints:request_detail", args=[request.pk]))
    assert (
        "Engagement : 1 jour ouvré, réduit à 4 heures ouvrées : Personnes à mobilité réduite"
        in page.content.decode()
    )
    queue = agent_client.get(reverse("touchpoints:queue")).content.decode()
    assert "1 jour ouvré, réduit à 4 heures ouvrées : Personnes à mobilité réduite" in queue


def test_a_standard_customer_keeps_the_plain_rule(agent_client, log, zoe):
    log(zoe, channel="phone", occurred_at=MONDAY_10)
    queue = agent_client.get(reverse("touchpoints:queue")).content.decode()
    rules = re.findall(r"data-deadline-rule>([^<]*)<", queue)
    assert rules == ["1 jour ouvré"]


def test_the_rule_tells_the_lunch_break_of_the_shortened_hours(aicha):
    segment = aicha.segment
    assert commitment_rule(amount=1, unit=DAYS, lunch_break=True, segment=segment) == (
        "1 jour ouvré, réduit à 4 heures ouvrées : Personnes à mobilité réduite"
        " · pause déjeuner exclue"
    )


def _priorities(page: str) -> list[str]:
    return [cell.strip() for cell in re.findall(r"<td data-priority>([^<]*)</td>", page)]


def test_the_queue_shows_the_priority_in_words_with_the_segment(
    agent_client, log, aicha, zoe, helene
):
    log(aicha, occurred_at=MONDAY_10)
    log(helene, occurred_at=MONDAY_10)
    log(zoe, occurred_at=MONDAY_10)
    log(None, occurred_at=MONDAY_10)  # nobody named: no segment
    page = agent_client.get(reverse("touchpoints:queue")).content.decode()
    assert sorted(_priorities(page)) == sorted(
        [
            "Priorité maximale — Personnes à mobilité réduite",
            "Prioritaire — Seniors",
            "Standard — Visiteurs",
            "Standard",
        ]
    )
    assert not re.search(r"<td data-priority>\s*\d+\s*</td>", page)
    assert "Priorité 1" not in page and "Priorité 7" not in page


def test_the_queue_still_sorts_by_deadline_then_priority(agent_client, log, aicha, zoe):
    # the reduced-mobility request is due first (shorter commitment); at an equal deadline
    # the priority still breaks the tie
    standard = log(zoe, occurred_at=MONDAY_10).request
    pmr = log(aicha, occurred_at=MONDAY_10).request
    tie = log(zoe, summary="Horaires du tram T3", occurred_at=MONDAY_10).request
    Request.objects.filter(pk=tie.pk).update(deadline=pmr.deadline)
    page = agent_client.get(reverse("touchpoints:queue"))
    ids = [req.pk for req in page.context["page"].object_list]
    assert ids == [pmr.pk, tie.pk, standard.pk]


def test_the_request_page_shows_the_priority_in_words(agent_client, log, aicha):
    request = log(aicha, occurred_at=MONDAY_10).request
    page = agent_client.get(reverse("touchpoints:request_detail", args=[request.pk]))
    assert "Priorité maximale — Personnes à mobilité réduite" in page.content.decode()


def test_a_reopened_request_gets_the_shortened_commitment_again(log, aicha, agent):
    request = log(aicha, channel="phone").request
    request_answer(request=request, by=agent, note="Ascenseur réparé à Bellecour.")
    with mock.patch("django.utils.timezone.now", return_value=MONDAY_10):
        reopened = request_reopen(request=request, by=agent)
    assert reopened.deadline == paris(2026, 11, 16, 14, 0)


def test_managers_set_the_shortening_in_the_admin_with_its_help(client, admin_user):
    client.force_login(admin_user)
    changelist = client.get(reverse("admin:customers_segment_changelist")).content.decode()
    assert "délai réduit de moitié" in changelist
    assert "délai réduit à 75\u00a0%" in changelist
    pmr = Segment.objects.get(name=PMR)
    change = client.get(reverse("admin:customers_segment_change", args=[pmr.pk]))
    page = change.content.decode()
    assert 'name="commitment_percent"' in page
    assert "50 = délai réduit de moitié" in page


def test_the_cycle_board_says_the_priority_in_words(client, manager_lyon):
    client.force_login(manager_lyon.user)
    page = " ".join(client.get(reverse("cycle:board")).content.decode().split())
    assert "Priorité maximale · délai réduit de moitié" in page
    assert not re.search(r"Priorité \d", page)


def test_the_partner_space_shows_the_shortened_commitment_not_the_category(
    client, log, aicha, objets_trouves, gerard
):
    request = log(aicha, occurred_at=MONDAY_10).request
    Request.objects.filter(pk=request.pk).update(partner=objets_trouves, escalated_at=MONDAY_10)
    client.force_login(gerard)
    for url in (
        reverse("agences:partner_requests"),
        reverse("agences:partner_request_detail", args=[request.pk]),
    ):
        page = client.get(url).content.decode()
        assert "1 jour ouvré, réduit à 4 heures ouvrées" in page
        assert "mobilité réduite" not in page  # a health-related category stays ours
