"""Issue #20: the convention binds both parties. The operator's commitments are measured
beside the partner's (a complete hand-over; the partner's return followed up within N
working hours), shown side by side, and partner staff get the minimum to call back —
with the read on the audit trail."""

import datetime

import pytest
from django.urls import reverse

from agences.models import PartnerCommitment, PartnerComplianceMonth
from relation_client.partners import services as partner_services
from relation_client.partners.services import partner_compliance_compute, partner_request_answer
from relation_client.privacy.models import AuditEvent
from relation_client.touchpoints.models import Touchpoint
from tests.factories import PartnerCommitmentFactory
from tests.support.time import paris

pytestmark = pytest.mark.django_db

MARCH = datetime.date(2026, 3, 1)


@pytest.fixture
def convention(objets_trouves):
    return {
        "partner": PartnerCommitmentFactory(partner=objets_trouves),  # 80 % under 48 h
        "handover": PartnerCommitment.objects.create(
            partner=objets_trouves,
            party="operator",
            title="Transmettre un dossier complet",
            measure="handover_full",
            target_percent=90,
            starts_on=datetime.date(2026, 1, 1),
        ),
        "reply": PartnerCommitment.objects.create(
            partner=objets_trouves,
            party="operator",
            title="Donner suite au retour du partenaire sous 4 h ouvrées",
            measure="operator_reply",
            max_hours=4,
            target_percent=80,
            starts_on=datetime.date(2026, 1, 1),
        ),
    }


@pytest.fixture
def march(objets_trouves, escalate, agent, agency_lyon):
    """Three checked hand-overs (two complete), one from before the check; two returns of
    the partner, one followed up in time (an agent's call), one late (closed after due)."""
    complete = [True, True, False, None]
    made = []
    for day, flag in zip([2, 3, 4, 5], complete, strict=True):
        req = escalate(objets_trouves, paris(2026, 3, day, 9), subject="Écharpe oubliée, tram T1")
        req.handover_complete = flag
        req.save(update_fields=["handover_complete"])
        made.append(req)
    # returned Monday 2 at 16:00: 4 working hours run to Tuesday 10:30 (the agency opens 8:30)
    on_time = made[0]
    on_time.status, on_time.answered_at = "answered", paris(2026, 3, 2, 16)
    on_time.partner_return_due_at = paris(2026, 3, 3, 10, 30)
    on_time.save()
    Touchpoint.objects.create(
        kind="interaction",
        channel="phone",
        direction="outbound",
        reason=on_time.reason,
        summary="Rappel de la cliente : écharpe retrouvée au dépôt de Gerland",
        agent=agent,
        agency=agency_lyon,
        occurred_at=paris(2026, 3, 3, 10),
        request=on_time,
    )
    # returned Thursday 5 at 10:00, due at 14:00, closed at 16:00: late
    late = made[1]
    late.status, late.answered_at = "closed", paris(2026, 3, 5, 10)
    late.closed_at = paris(2026, 3, 5, 16)
    late.partner_return_due_at = paris(2026, 3, 5, 14)
    late.save()
    return made


def test_both_sides_measured_by_hand(convention, march):
    written = partner_compliance_compute(month=MARCH, now=paris(2026, 4, 10, 12))
    assert written == 3
    handover = PartnerComplianceMonth.objects.get(commitment=convention["handover"])
    # 3 checked hand-overs, 2 complete; the one from before the check is left out
    assert (handover.escalated, handover.on_time, handover.late) == (3, 2, 1)
    assert handover.rate == 67 and handover.met is False  # against 90 %
    reply = PartnerComplianceMonth.objects.get(commitment=convention["reply"])
    assert (reply.escalated, reply.on_time, reply.late, reply.pending) == (2, 1, 1, 0)
    assert reply.rate == 50 and (reply.max_hours, reply.target_percent) == (4, 80)
    # the partner's own measure is still there, beside
    assert PartnerComplianceMonth.objects.filter(commitment=convention["partner"]).exists()


def test_a_return_not_yet_due_is_pending(convention, march):
    # on Monday 2 at 17:00 the first return is not due yet and nobody called
    Touchpoint.objects.filter(request=march[0]).delete()
    partner_compliance_compute(month=MARCH, now=paris(2026, 3, 2, 17))
    reply = PartnerComplianceMonth.objects.get(commitment=convention["reply"])
    assert (reply.on_time, reply.pending) == (0, 1)


def test_the_partner_answer_stamps_the_operator_due_time_in_working_hours(
    convention, objets_trouves, escalate, gerard, monkeypatch
):
    req = escalate(objets_trouves, paris(2026, 3, 2, 9))
    # Saturday 7 at 11:00: 1 h 30 left that morning, then Monday 8:30 + 2 h 30
    monkeypatch.setattr(partner_services.timezone, "now", lambda: paris(2026, 3, 7, 11))
    partner_request_answer(request=req, member=gerard.partner_member, note="Trouvé au dépôt")
    req.refresh_from_db()
    assert req.partner_return_due_at == paris(2026, 3, 9, 11)


def test_the_staff_page_shows_both_sides_side_by_side(client, manager_lyon, convention, march):
    partner_compliance_compute(month=MARCH, now=paris(2026, 4, 10, 12))
    client.force_login(manager_lyon.user)
    url = reverse("agences:partner_compliance", args=[convention["partner"].partner_id, 2026, 3])
    html = client.get(url).content.decode()
    partner_at = html.index("Engagements du partenaire")
    operator_at = html.index("Engagements de l&#x27;exploitant")
    assert partner_at < html.index("Répondre sous 48 h") < operator_at
    assert operator_at < html.index("Transmettre un dossier complet")
    assert "67 %" in html and "50 %" in html
    assert "90 % des transmissions complètes" in html
    assert "80 % des retours suivis sous 4 h ouvrées" in html
    assert "Période : mars 2026" in html


def test_the_partner_space_shows_both_sides(client, gerard, convention):
    client.force_login(gerard)
    html = client.get(reverse("agences:partner_requests")).content.decode()
    assert "Engagements du partenaire" in html
    assert "Engagements de l&#x27;exploitant" in html
    assert "Donner suite au retour du partenaire sous 4 h ouvrées" in html


@pytest.fixture
def handed_over(objets_trouves, escalate, helene):
    helene.preferred_name = "Madame Hélène"
    helene.save(update_fields=["preferred_name"])
    req = escalate(
        objets_trouves, paris(2026, 3, 2, 9), subject="Carte Técély bloquée après le rechargement"
    )
    req.customer = helene
    req.save(update_fields=["customer"])
    return req


def test_partner_staff_see_the_callback_details_and_the_read_is_audited(
    client, gerard, handed_over, helene
):
    client.force_login(gerard)
    before = AuditEvent.objects.filter(customer_id=helene.pk).count()
    response = client.get(reverse("agences:partner_request_detail", args=[handed_over.pk]))
    html = response.content.decode()
    assert "Madame Hélène" in html
    assert "06 12 34 56 78" in html and "tel:+33612345678" in html  # one phone, first
    assert "Carte Técély bloquée après le rechargement" in html  # the request's subject
    event = AuditEvent.objects.filter(customer_id=helene.pk).order_by("-id").first()
    assert AuditEvent.objects.filter(customer_id=helene.pk).count() == before + 1
    assert event.action == "view" and event.channel == "espace partenaire"
    assert event.actor_id == gerard.pk
    assert f"demande n° {handed_over.pk}" in event.detail_text


def test_partner_staff_do_not_see_the_other_details(client, gerard, handed_over, helene):
    client.force_login(gerard)
    html = client.get(reverse("agences:partner_request_detail", args=[handed_over.pk])).content
    html = html.decode().lower()
    assert "helene.dupont@exemple.fr" not in html  # one contact point only
    assert "tcl 0042 1968" not in html  # no card
    assert "1968" not in html  # no birth date
    assert "malvoyante" not in html  # no needs
    assert "dupont-lef" not in html  # addressed as she likes, not by her full name


def test_a_measure_belongs_to_its_side(objets_trouves):
    from django.core.exceptions import ValidationError

    wrong = PartnerCommitment(
        partner=objets_trouves,
        party="partner",
        title="Transmettre un dossier complet",
        measure="handover_full",
        target_percent=90,
        starts_on=datetime.date(2026, 1, 1),
    )
    with pytest.raises(ValidationError) as error:
        wrong.full_clean()
    assert "party" in error.value.message_dict


def test_the_partner_list_says_who_took_each_commitment(client, manager_lyon, convention, march):
    partner_compliance_compute(month=MARCH, now=paris(2026, 4, 10, 12))
    client.force_login(manager_lyon.user)
    html = client.get(reverse("agences:partner_list") + "?mois=2026-03").content.decode()
    assert "Transmettre un dossier complet" in html
    assert "pris par : Le réseau" in html and "pris par : Le partenaire" in html
