"""A round's page (cycle:round_detail) and the actions on it: advance, close, add a
record, measure, end an item. Readers see the record; only managers steer."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from relation_client.customers.models import Segment
from relation_client.cycle import services
from relation_client.cycle.models import Control, Round, Stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def steer_client(client, steerer):
    client.force_login(steerer.user)
    return client


def _url(name, *args):
    return reverse(f"cycle:{name}", args=args)


def test_the_page_holds_the_full_record_and_past_rounds(steer_client, segment, steerer, bring_to):
    first = bring_to(segment, Stage.EVOLVE)
    services.decision_add(
        round=first,
        by=steerer,
        decision="Généraliser le guichet prioritaire",
        rationale="85 % servis en moins de 5 minutes",
        controls=list(first.controls.all()),
    )
    second = services.round_close(round=first, by=steerer)
    services.finding_add(
        round=second,
        by=steerer,
        finding="Les annonces sonores sont inaudibles en station",
        source="survey",
    )
    response = steer_client.get(second.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert escape("Les annonces sonores sont inaudibles en station") in html
    assert "reporté du tour précédent" in html  # the privilege action goes on
    assert first.get_absolute_url() in html  # history of past rounds
    assert 'aria-current="step"' in html
    old = steer_client.get(first.get_absolute_url()).content.decode()
    assert escape("Généraliser le guichet prioritaire") in old
    assert "Clore le tour" not in old  # a closed round is read-only
    assert "Passer à" not in old


def test_a_refused_move_shows_why(steer_client, segment, bring_to):
    round = bring_to(segment, Stage.CONTROL)
    response = steer_client.post(_url("round_advance", round.pk), {"to_stage": Stage.EVOLVE})
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html
    assert (
        escape("Impossible de passer à Évoluer : aucun contrôle n'a encore de valeur mesurée.")
        in html
    )
    round.refresh_from_db()
    assert round.stage == Stage.CONTROL


def test_a_skip_posted_by_hand_is_refused(steer_client, segment, bring_to):
    round = bring_to(segment, Stage.IDENTIFY)
    response = steer_client.post(_url("round_advance", round.pk), {"to_stage": Stage.CONTROL})
    assert response.status_code == 400
    assert "Pas de saut d" in response.content.decode()


def test_move_then_record_then_measure_then_move(steer_client, segment, bring_to):
    round = bring_to(segment, Stage.PRIVILEGE)
    response = steer_client.post(
        _url("record_add", round.pk, "action"),
        {
            "action-kind": "dedicated_contact",
            "action-description": "Un interlocuteur dédié pour chaque client PMR",
            "action-starts_on": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    assert (
        steer_client.post(_url("round_advance", round.pk), {"to_stage": Stage.CONTROL}).status_code
        == 302
    )
    response = steer_client.post(
        _url("record_add", round.pk, "controle"),
        {
            "controle-indicator": "manual",
            "controle-label": "Clients rappelés sous 24 h (%)",
            "controle-target": "90",
            "controle-is_key": "on",
        },
    )
    assert response.status_code == 302
    control = Control.objects.get(round=round)
    response = steer_client.post(
        _url("control_measure", control.pk), {f"mesure-{control.pk}-value": "92,5"}
    )
    assert response.status_code == 302
    control.refresh_from_db()
    assert str(control.measured_value) == "92.50"
    assert (
        steer_client.post(_url("round_advance", round.pk), {"to_stage": Stage.EVOLVE}).status_code
        == 302
    )
    response = steer_client.post(
        _url("record_add", round.pk, "decision"),
        {
            "decision-decision": "Étendre le rappel sous 24 h aux seniors",
            "decision-rationale": "Cible dépassée chez les PMR",
            "decision-controls": [control.pk],
        },
    )
    assert response.status_code == 302
    response = steer_client.post(_url("round_close", round.pk))
    following = Round.objects.get(segment=segment, closed_at__isnull=True)
    assert response.status_code == 302 and response.url == following.get_absolute_url()
    assert following.number == 2


def test_an_invalid_record_comes_back_with_its_errors(steer_client, segment, bring_to):
    round = bring_to(segment, Stage.CONTROL)
    response = steer_client.post(
        _url("record_add", round.pk, "controle"),
        {"controle-indicator": "manual", "controle-target": "90"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert escape("Dites ce que mesure cet indicateur.") in html
    assert "<details open>" in html


def test_a_record_of_a_later_stage_is_refused(steer_client, segment, bring_to):
    round = bring_to(segment, Stage.ADAPT)
    response = steer_client.post(
        _url("record_add", round.pk, "decision"),
        {"decision-decision": "Trop tôt", "decision-rationale": "…"},
    )
    assert response.status_code == 400
    assert not round.decisions.exists()
    assert steer_client.post(_url("record_add", round.pk, "inconnu"), {}).status_code == 404


def test_ending_an_item_from_the_page(steer_client, segment, steerer, bring_to):
    round = bring_to(segment, Stage.ADAPT)
    service = services.adapted_service_add(
        round=round,
        by=steerer,
        what="Plan du réseau en braille",
        for_whom="Clients aveugles",
        starts_on=timezone.localdate(),
    )
    response = steer_client.post(_url("item_end", round.pk, "service", service.pk))
    assert response.status_code == 302
    service.refresh_from_db()
    assert service.ends_on == timezone.localdate()
    assert steer_client.post(_url("item_end", round.pk, "autre", service.pk)).status_code == 404


def test_readers_see_no_forms_and_cannot_post(client, supervisor_lyon, segment, bring_to):
    round = bring_to(segment, Stage.CONTROL)
    client.force_login(supervisor_lyon.user)
    html = client.get(round.get_absolute_url()).content.decode()
    assert "Passer à" not in html and "Ajouter un contrôle" not in html
    for url, data in [
        (_url("round_advance", round.pk), {"to_stage": Stage.EVOLVE}),
        (_url("round_close", round.pk), {}),
        (_url("record_add", round.pk, "controle"), {}),
    ]:
        assert client.post(url, data).status_code == 403


def test_must_not_get_in(client, agent, partner_user, segment, bring_to):
    round = bring_to(segment, Stage.IDENTIFY)
    assert client.get(round.get_absolute_url()).status_code == 302
    client.force_login(agent.user)
    assert client.get(round.get_absolute_url()).status_code == 403
    client.force_login(partner_user)
    assert client.get(round.get_absolute_url()).status_code == 403
    client.force_login(agent.user)
    assert (
        client.post(_url("round_advance", round.pk), {"to_stage": Stage.ADAPT}).status_code == 403
    )


def test_an_unknown_round_is_a_404(steer_client):
    assert steer_client.get(_url("round_detail", 999999)).status_code == 404


@pytest.mark.parametrize("records", [1, 6])
def test_round_page_queries_do_not_grow_with_its_record(
    steer_client, segment, steerer, bring_to, records, django_assert_num_queries
):
    from agences.models import Partner

    round = bring_to(segment, Stage.EVOLVE)
    partner = Partner.objects.create(name="Taxis PMR Rhône", domain="Transport adapté")
    for index in range(records):
        services.finding_add(
            round=round,
            by=steerer,
            finding=f"Attente n° {index}",
            source="survey",
            partners=[partner],
        )
        services.adapted_service_add(
            round=round,
            by=steerer,
            what=f"Service n° {index}",
            for_whom="Tous",
            starts_on=timezone.localdate(),
        )
        services.control_add(
            round=round,
            by=steerer,
            indicator="manual",
            label=f"Mesure n° {index}",
            target=1,
            measured_value=2,
        )
        services.decision_add(
            round=round,
            by=steerer,
            decision=f"Décision n° {index}",
            rationale="…",
            controls=list(round.controls.all()),
        )
    # 1 session, 2 user, 3 agent, 4-5 permissions; 6 the round, 7 findings, 8 their
    # partners, 9 services, 10 actions, 11 commitments, 12 controls, 13 decisions, 14 their
    # controls, 15 moves, 16 the segment's other rounds; 17 the navigation bar's alerts;
    # the forms' choices: 18 partners (finding), 19 partners and 20 conventions
    # (commitment), 21 the round's actions (control), 22 measured controls (decision)
    with django_assert_num_queries(18):
        response = steer_client.get(round.get_absolute_url())
    assert response.status_code == 200


def test_a_measure_without_data_says_why(steer_client, steerer, bring_to):
    round = bring_to(Segment.objects.get(name="Visiteurs"), Stage.CONTROL)
    control = services.control_add(round=round, by=steerer, indicator="requests_on_time", target=90)
    response = steer_client.post(_url("control_measure", control.pk))
    assert response.status_code == 400
    assert escape("Pas encore de données pour mesurer") in response.content.decode()
    control.refresh_from_db()
    assert control.measured_value is None
