"""The records of each stage: added from their stage on, checked, and kept consistent."""

import datetime

import pytest
from django.utils import timezone

from agences.models import Partner, PartnerCommitment
from relation_client.cycle import services
from relation_client.cycle.models import STAGE_ORDER, Control, Stage
from socle.errors import DomainError

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 2)

ADDERS = {
    Stage.IDENTIFY: lambda round, by: services.finding_add(
        round=round, by=by, finding="Horaires en gros caractères", source="workshop"
    ),
    Stage.ADAPT: lambda round, by: services.adapted_service_add(
        round=round,
        by=by,
        what="Fiches horaires en gros caractères",
        for_whom="Malvoyants",
        starts_on=TODAY,
    ),
    Stage.PRIVILEGE: lambda round, by: services.privilege_action_add(
        round=round, by=by, kind="offer", description="Premier mois offert", starts_on=TODAY
    ),
    Stage.CONTROL: lambda round, by: services.control_add(
        round=round, by=by, indicator="manual", label="Fiches distribuées", target=500
    ),
}


@pytest.mark.parametrize("record_stage", list(ADDERS))
@pytest.mark.parametrize("round_stage", STAGE_ORDER)
def test_records_are_added_from_their_stage_on(
    segment, steerer, bring_to, record_stage, round_stage
):
    round = bring_to(segment, round_stage)
    if STAGE_ORDER.index(round_stage) >= STAGE_ORDER.index(record_stage):
        assert ADDERS[record_stage](round, steerer).round == round
    else:
        with pytest.raises(DomainError) as error:
            ADDERS[record_stage](round, steerer)
        assert error.value.code == "stage_not_reached"


def test_a_finding_names_its_source_and_contributing_partners(segment, steerer, bring_to):
    round = bring_to(segment, Stage.IDENTIFY)
    taxi = Partner.objects.create(name="Taxis PMR Rhône", domain="Transport adapté")
    finding = services.finding_add(
        round=round,
        by=steerer,
        finding="Besoin de correspondances garanties avec le TPMR",
        source="touchpoints",
        partners=[taxi],
    )
    assert list(finding.partners.all()) == [taxi]
    with pytest.raises(DomainError) as error:
        services.finding_add(round=round, by=steerer, finding="X", source="rumeur")
    assert error.value.field == "source"
    with pytest.raises(DomainError) as error:
        services.finding_add(round=round, by=steerer, finding="  ", source="survey")
    assert error.value.field == "finding"


def test_dates_must_be_in_order(segment, steerer, bring_to):
    round = bring_to(segment, Stage.ADAPT)
    with pytest.raises(DomainError) as error:
        services.adapted_service_add(
            round=round,
            by=steerer,
            what="Navette",
            for_whom="Tous",
            starts_on=TODAY,
            ends_on=TODAY - datetime.timedelta(days=1),
        )
    assert error.value.field == "ends_on"


def test_a_written_commitment_links_a_partner_convention(segment, steerer, bring_to):
    round = bring_to(segment, Stage.PRIVILEGE)
    partner = Partner.objects.create(name="Taxis PMR Rhône", domain="Transport adapté")
    other = Partner.objects.create(name="Objets Trouvés Métropole", domain="Objets perdus")
    promise = PartnerCommitment.objects.create(
        partner=partner,
        party="partner",
        title="Répondre sous 48 h",
        measure="answer_delay",
        max_hours=48,
        target_percent=90,
        starts_on=TODAY,
    )
    written = services.written_commitment_add(
        round=round,
        by=steerer,
        title="Correspondance garantie",
        starts_on=TODAY,
        partner_commitment=promise,
    )
    assert written.partner == partner  # taken from the convention
    with pytest.raises(DomainError) as error:
        services.written_commitment_add(
            round=round,
            by=steerer,
            title="Autre",
            starts_on=TODAY,
            partner=other,
            partner_commitment=promise,
        )
    assert error.value.code == "partner_mismatch"


def test_one_key_control_per_round_the_latest_wins(segment, steerer, bring_to):
    round = bring_to(segment, Stage.CONTROL)
    first = services.control_add(
        round=round, by=steerer, indicator="requests_on_time", target=90, is_key=True
    )
    second = services.control_add(
        round=round, by=steerer, indicator="requests_median_delay", target=24, is_key=True
    )
    first.refresh_from_db()
    assert (first.is_key, second.is_key) == (False, True)
    # label, unit and direction copied from the registry
    assert (second.unit, second.higher_is_better) == ("h", False)
    assert "Délai médian" in second.label


def test_manual_and_computed_controls(segment, steerer, bring_to):
    round = bring_to(segment, Stage.CONTROL)
    with pytest.raises(DomainError) as error:
        services.control_add(round=round, by=steerer, indicator="manual", target=5)
    assert error.value.field == "label"
    with pytest.raises(DomainError) as error:
        services.control_add(
            round=round, by=steerer, indicator="requests_on_time", target=90, measured_value=80
        )
    assert error.value.code == "computed_indicator"
    with pytest.raises(DomainError) as error:
        services.control_add(round=round, by=steerer, indicator="nps_magique", target=1)
    assert error.value.code == "unknown_indicator"
    typed = services.control_add(
        round=round,
        by=steerer,
        indicator="manual",
        label="Réclamations écrites",
        target=10,
        higher_is_better=False,
    )
    assert typed.higher_is_better is False
    with pytest.raises(DomainError) as error:
        services.control_measure(control=typed, by=steerer)
    assert error.value.field == "value"
    services.control_measure(control=typed, by=steerer, value=12)
    typed.refresh_from_db()
    assert (typed.measured_value, typed.measured_by, typed.met) == (12, steerer, False)


def test_a_control_evaluates_an_action_of_its_own_round(segment, steerer, bring_to):
    from relation_client.customers.models import Segment

    round = bring_to(segment, Stage.CONTROL)
    elsewhere = bring_to(Segment.objects.get(name="Seniors"), Stage.CONTROL)
    foreign = elsewhere.privilege_actions.get()
    with pytest.raises(DomainError) as error:
        services.control_add(
            round=round, by=steerer, indicator="manual", label="X", target=1, action=foreign
        )
    assert error.value.code == "action_mismatch"


def test_a_decision_draws_on_measured_controls_of_its_round(segment, steerer, bring_to):
    round = bring_to(segment, Stage.EVOLVE)
    measured = round.controls.get()
    unmeasured = services.control_add(
        round=round, by=steerer, indicator="manual", label="Attente au guichet (min)", target=5
    )
    args = {"round": round, "by": steerer, "decision": "Renforcer", "rationale": "Attente longue"}
    with pytest.raises(DomainError) as error:
        services.decision_add(**args, controls=[])
    assert error.value.code == "no_control"
    with pytest.raises(DomainError) as error:
        services.decision_add(**args, controls=[measured, unmeasured])
    assert error.value.code == "control_not_usable"
    decision = services.decision_add(**args, controls=[measured])
    assert list(decision.controls.all()) == [measured]
    assert list(measured.decisions.all()) == [decision]


def test_decisions_wait_for_evoluer(segment, steerer, bring_to):
    round = bring_to(segment, Stage.CONTROL)
    services.control_add(
        round=round, by=steerer, indicator="manual", label="X", target=1, measured_value=1
    )
    with pytest.raises(DomainError) as error:
        services.decision_add(
            round=round,
            by=steerer,
            decision="Trop tôt",
            rationale="…",
            controls=list(round.controls.all()),
        )
    assert error.value.code == "stage_not_reached"


def test_measuring_waits_for_controler(segment, steerer, bring_to):
    """A control carried into a new round is measured once that round reaches Contrôler."""
    round = bring_to(segment, Stage.EVOLVE)
    services.control_add(round=round, by=steerer, indicator="manual", label="Carry", target=1)
    services.decision_add(
        round=round,
        by=steerer,
        decision="Continuer",
        rationale="OK",
        controls=list(round.controls.filter(measured_value__isnull=False)),
    )
    following = services.round_close(round=round, by=steerer)
    carried = Control.objects.get(round=following)
    with pytest.raises(DomainError) as error:
        services.control_measure(control=carried, by=steerer, value=3)
    assert error.value.code == "stage_not_reached"


def test_ending_an_item(segment, steerer, bring_to):
    round = bring_to(segment, Stage.PRIVILEGE)
    action = services.privilege_action_add(
        round=round, by=steerer, kind="offer", description="Offre", starts_on=TODAY
    )
    ended = services.item_end(item=action, by=steerer, on=TODAY + datetime.timedelta(days=3))
    assert ended.ends_on == TODAY + datetime.timedelta(days=3)
    with pytest.raises(DomainError) as error:
        services.item_end(item=action, by=steerer, on=TODAY + datetime.timedelta(days=5))
    assert error.value.code == "already_ended"
    later = services.privilege_action_add(
        round=round,
        by=steerer,
        kind="offer",
        description="Offre d'été",
        starts_on=timezone.localdate() + datetime.timedelta(days=90),
    )
    with pytest.raises(DomainError) as error:
        services.item_end(item=later, by=steerer)
    assert error.value.code == "ends_before_start"
