"""The board (cycle:board): segments by priority, five stage columns, each card in its
stage with the key control versus its target; a bounded number of queries."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from relation_client.customers.models import Segment
from relation_client.cycle import services
from relation_client.cycle.models import STAGE_ORDER, Stage

pytestmark = pytest.mark.django_db

URL = reverse("cycle:board")


def _text(response) -> str:
    """The page with runs of whitespace collapsed, as a reader meets it."""
    return " ".join(response.content.decode().split())


def _login(client, agent):
    client.force_login(agent.user)
    return client


def test_rows_by_priority_and_each_card_in_its_stage_column(client, steerer, bring_to):
    pmr = Segment.objects.get(name="Personnes à mobilité réduite")  # priority 1
    seniors = Segment.objects.get(name="Seniors")  # priority 3
    pmr_round = bring_to(pmr, Stage.EVOLVE)
    bring_to(seniors, Stage.ADAPT)
    response = _login(client, steerer).get(URL)
    assert response.status_code == 200
    board = response.context["board"]
    names = [row.segment.name for row in board.rows]
    assert names == list(
        Segment.objects.order_by("priority", "name").values_list("name", flat=True)
    )
    rows = {row.segment.name: row for row in board.rows}
    assert [bool(c) for c in rows["Personnes à mobilité réduite"].cells] == [
        False,
        False,
        False,
        False,
        True,
    ]
    assert [bool(c) for c in rows["Seniors"].cells] == [False, True, False, False, False]
    assert rows["Visiteurs"].card is None
    card = rows["Personnes à mobilité réduite"].card
    assert card.key_control.label == "Clients servis en moins de 5 minutes (%)"
    assert (card.controls, card.measured) == (1, 1)
    html = _text(response)
    # the key control against its target, the result in words (not colour alone)
    assert escape("Clients servis en moins de 5 minutes (%)") in html
    assert "85 · cible ≥ 80" in html
    assert "✓ Cible atteinte" in html
    assert pmr_round.get_absolute_url() in html
    for _code, label in Stage.choices:
        assert f'<th scope="col">{STAGE_ORDER.index(_code) + 1}. {escape(label)}</th>' in html


def test_a_card_without_measure_says_so(client, steerer, bring_to):
    round = bring_to(Segment.objects.get(name="Seniors"), Stage.CONTROL)
    services.control_add(
        round=round, by=steerer, indicator="requests_on_time", target=90, is_key=True
    )
    html = _text(_login(client, steerer).get(URL))
    assert "non mesuré · cible ≥ 90 %" in html
    assert "À mesurer" in html


def test_managers_can_start_a_segment_supervisors_only_read(client, steerer, supervisor_lyon):
    html = _login(client, steerer).get(URL).content.decode()
    assert reverse("cycle:segment_start", args=[Segment.objects.get(name="Seniors").pk]) in html
    client.logout()
    response = _login(client, supervisor_lyon).get(URL)
    assert response.status_code == 200
    assert "/demarrer/" not in response.content.decode()


def test_starting_a_segment_from_the_board(client, steerer):
    seniors = Segment.objects.get(name="Seniors")
    response = _login(client, steerer).post(reverse("cycle:segment_start", args=[seniors.pk]))
    round = seniors.cycle_rounds.get()
    assert response.status_code == 302 and response.url == round.get_absolute_url()
    again = client.post(reverse("cycle:segment_start", args=[seniors.pk]), follow=True)
    assert "Un tour du cycle est déjà en cours pour ce segment." in again.content.decode()


@pytest.mark.parametrize("segments", [2, 7])
def test_board_queries_do_not_grow_with_segments(
    client, steerer, bring_to, segments, django_assert_num_queries
):
    kept = list(Segment.objects.order_by("priority", "name")[:segments])
    Segment.objects.exclude(pk__in=[s.pk for s in kept]).delete()
    for index, segment in enumerate(kept):
        round = bring_to(segment, STAGE_ORDER[index % 5 if index % 5 < 3 else 3])
        if round.stage == Stage.CONTROL:
            services.control_add(
                round=round,
                by=steerer,
                indicator="manual",
                label="Attente",
                target=5,
                measured_value=4,
                is_key=True,
            )
    _login(client, steerer)
    # 1 session (the user, agent profile and permissions come from Redis), 2 segments,
    # 3 their open rounds with the time of their last move, 4 those rounds' controls,
    # 5 the navigation bar's alerts
    with django_assert_num_queries(5):
        response = client.get(URL)
    assert len(response.context["board"].rows) == segments


def test_must_not_get_in(client, agent, partner_user):
    response = client.get(URL)
    assert response.status_code == 302 and reverse("login") in response.url
    assert _login(client, agent).get(URL).status_code == 403  # a counter agent
    client.logout()
    client.force_login(partner_user)  # partner staff: no agent profile
    assert client.get(URL).status_code == 403


def test_supervisors_cannot_start_a_round(client, supervisor_lyon):
    seniors = Segment.objects.get(name="Seniors")
    response = _login(client, supervisor_lyon).post(
        reverse("cycle:segment_start", args=[seniors.pk])
    )
    assert response.status_code == 403
    assert not seniors.cycle_rounds.exists()
