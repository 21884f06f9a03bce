"""Complaints during a disruption: linked to it when logged for a rider of the line (or a
customer naming it), during the disruption or within the window after its end; shown on
the disruption's page (count and list, bounded queries) and on the request's; many on
social media alert the network direction once."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation

from relation_client.network.models import DisruptionComplaint
from relation_client.network.services import disruption_create
from relation_client.touchpoints.models import Alert
from relation_client.touchpoints.services.touchpoints import touchpoint_log
from tests.network.conftest import MORNING

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
MINUTE = datetime.timedelta(minutes=1)


def _complain(agent, reasons, customer, *, at, channel="phone", reason="complaint", **kw):
    return touchpoint_log(
        agent=agent,
        channel=channel,
        reason=reasons[reason],
        summary="Le C3 n'est jamais passé à Gerland, j'ai raté mon rendez-vous à l'hôpital.",
        customer=customer,
        occurred_at=at,
        **kw,
    )


def test_a_riders_complaint_during_the_disruption_is_linked_to_it(
    agent, reasons, riders, c3_disruption
):
    touchpoint = _complain(agent, reasons, riders["helene"], at=MORNING + HOUR)

    link = DisruptionComplaint.objects.get()
    assert link.disruption == c3_disruption and link.touchpoint == touchpoint
    assert link.request == touchpoint.request and touchpoint.request is not None


def test_a_complaint_the_agent_opens_no_request_for_is_linked_all_the_same(
    agent, reasons, riders, c3_disruption
):
    """Settled on the spot (« pas de demande »): still a complaint of the disruption."""
    touchpoint = _complain(agent, reasons, riders["helene"], at=MORNING + HOUR, open_request=False)

    link = DisruptionComplaint.objects.get()
    assert touchpoint.request is None
    assert (link.disruption, link.touchpoint, link.request) == (c3_disruption, touchpoint, None)


def test_only_complaints_of_the_lines_riders_in_the_window_are_linked(
    agent, reasons, riders, c3_disruption, network, settings
):
    # Bruno rides the T1 only; an information question is no complaint; an outbound call
    # is ours, not the customer's complaint
    _complain(agent, reasons, riders["bruno"], at=MORNING + HOUR)
    _complain(agent, reasons, riders["helene"], at=MORNING + HOUR, reason="information")
    _complain(agent, reasons, riders["noel"], at=MORNING - HOUR)  # before it started
    # ended at 9:00: 30 hours later is past the 24 hours' window
    _complain(agent, reasons, riders["jerome"], at=MORNING + 2 * HOUR + 30 * HOUR)
    assert not DisruptionComplaint.objects.exists()

    # within the window after its end, and a rider known only by a mention
    late = _complain(agent, reasons, riders["aicha"], at=MORNING + 2 * HOUR + 20 * HOUR)
    # Bruno names the C3 on the form: that line counts
    named = _complain(
        agent, reasons, riders["bruno"], at=MORNING + HOUR, extra={"network_line": network["C3"]}
    )
    assert set(DisruptionComplaint.objects.values_list("touchpoint_id", flat=True)) == {
        late.pk,
        named.pk,
    }

    settings.NETWORK_COMPLAINT_WINDOW_HOURS = 48
    later = _complain(agent, reasons, riders["jerome"], at=MORNING + 2 * HOUR + 30 * HOUR)
    assert DisruptionComplaint.objects.filter(touchpoint=later).exists()


def test_the_disruption_page_counts_and_lists_its_complaints(
    login, agent, reasons, riders, c3_disruption
):
    _complain(agent, reasons, riders["helene"], at=MORNING + HOUR)
    _complain(agent, reasons, riders["aicha"], at=MORNING + HOUR, channel="social_media")

    page = login(agent).get(c3_disruption.get_absolute_url()).content.decode()

    assert "2 réclamations liées à la perturbation" in page
    assert "dont 1 sur les réseaux sociaux." in page
    section = page.split('id="titre-reclamations"')[1].split("</section>")[0]
    assert "Hélène Dupont-Lefèvre" in section and "Aïcha Diallo" in section
    assert "Noël" not in section


def test_the_request_page_shows_the_disruption(login, agent, reasons, riders, c3_disruption):
    touchpoint = _complain(agent, reasons, riders["helene"], at=MORNING + HOUR)

    page = login(agent).get(reverse("touchpoints:request_detail", args=[touchpoint.request_id]))

    text = page.content.decode()
    assert "Réclamation faite pendant une perturbation" in text
    assert "panne d&#x27;aiguillage à Part-Dieu" in text
    assert c3_disruption.get_absolute_url() in text


@pytest.mark.parametrize("complaints", [1, 30])
def test_the_disruption_page_takes_the_same_queries_whatever_its_complaints(
    login, agent, reasons, riders, c3_disruption, complaints, django_assert_max_num_queries
):
    people = [riders["helene"], riders["jerome"], riders["aicha"], riders["noel"]]
    for i in range(complaints):
        _complain(agent, reasons, people[i % 4], at=MORNING + datetime.timedelta(minutes=i))
    client = login(agent)
    client.get(c3_disruption.get_absolute_url())  # the session's staff cache warmed

    # 15 with 1 complaint or 30 (measured): the page's 13 before the complaints (session,
    # staff, the disruption and its lines, the riders' page, the call list, the contact
    # counts…), then the complaints' counts and the latest 50 with customer and reason
    with django_assert_max_num_queries(15):
        page = client.get(c3_disruption.get_absolute_url())
    assert page.content.decode().count("data-complaint=") == complaints


def test_many_social_media_complaints_alert_the_network_direction_once(
    agent, reasons, riders, c3_disruption, director, make_customer, network, settings
):
    settings.NETWORK_SOCIAL_ALERT_COMPLAINTS = 5
    settings.NETWORK_SOCIAL_ALERT_WINDOW_MINUTES = 120
    voices = [
        make_customer("Amélie", f"Lefèbvre-{n}", emails=[f"amelie.{n}@exemple.fr"])
        for n in range(6)
    ]
    for customer in voices:
        # named the C3 on social media: they ride it occasionally
        touchpoint_log(
            agent=agent,
            channel="phone",
            reason=reasons["information"],
            summary="Horaires du C3 ?",
            customer=customer,
            occurred_at=MORNING - 24 * HOUR,
            extra={"network_line": network["C3"]},
        )

    def alerts():
        return Alert.objects.filter(recipient=director, code="social_media.disruption")

    # one at the start, then three 2 h 30 later, and a complaint by phone: not yet
    _complain(agent, reasons, voices[0], at=MORNING + MINUTE * 5, channel="social_media")
    for customer in voices[1:4]:
        _complain(agent, reasons, customer, at=MORNING + MINUTE * 150, channel="social_media")
    _complain(agent, reasons, riders["helene"], at=MORNING + MINUTE * 150)
    # the fifth social-media complaint, but the first is out of the two hours' window
    _complain(agent, reasons, voices[4], at=MORNING + MINUTE * 160, channel="social_media")
    assert DisruptionComplaint.objects.count() == 6
    assert not alerts().exists()

    disruption_without_voices = disruption_create(
        by=None,
        lines=[network["T1"]],
        stops=[],
        starts_at=MORNING,
        ends_at=None,
        cause="strike",
        effect="reduced_service",
        header="T1 : service réduit, mouvement social",
    )
    _complain(agent, reasons, voices[5], at=MORNING + MINUTE * 170, channel="social_media")
    alert = alerts().get()
    assert alert.kind == "social_media" and alert.cause == f"social:disruption:{c3_disruption.pk}"
    assert alert.text == (
        "5 réclamations sur les réseaux sociaux en 120 minutes pendant la perturbation "
        "« Ligne C3 : retards importants, panne d'aiguillage à Part-Dieu » (ligne(s) C3)."
    )
    with translation.override("en"):
        assert alert.text == (
            "5 complaints on social media within 120 minutes during the disruption "
            "“Ligne C3 : retards importants, panne d'aiguillage à Part-Dieu” (line(s) C3)."
        )

    # one more: the same disruption, no second alert
    _complain(agent, reasons, riders["aicha"], at=MORNING + MINUTE * 175, channel="social_media")
    assert alerts().count() == 1
    assert not Alert.objects.filter(cause=f"social:disruption:{disruption_without_voices.pk}")
