"""The work queue and the agent's inbox in Chromium, with the keyboard: a supervisor
lands on the queue, keeps the overdue requests of one segment, ticks two and hands them
to a colleague; an agent lands on their inbox, the missed call to return first."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from relation_client.customers.models import Segment
from relation_client.telephony.services import call_event_record
from relation_client.touchpoints.models import Alert, AlertKind, Request
from tests.browser.conftest import ARTIFACTS, signed_in
from tests.factories import CustomerFactory, RequestFactory

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

PHONE = {"width": 390, "height": 844}


def test_a_supervisor_hands_two_overdue_requests_of_a_segment_to_a_colleague(
    page, live_server, agency_lyon, agent, supervisor_lyon, colleague_lyon
):
    now = timezone.now()
    pmr = Segment.objects.get(name="Personnes à mobilité réduite")
    aicha = CustomerFactory(first_name="Aïcha", last_name="Diallo", segment=pmr)
    josiane = CustomerFactory(
        first_name="Josiane", last_name="Béranger", segment=Segment.objects.get(name="Seniors")
    )

    def make(subject, customer, hours):
        return RequestFactory(
            agency=agency_lyon,
            customer=customer,
            assignee=agent,
            subject=subject,
            priority=customer.segment.priority,
            deadline=now + datetime.timedelta(hours=hours),
        )

    ascenseur = make("Ascenseur en panne à Bellecour", aicha, -3)
    rampe = make("Rampe d'accès du bus C3 bloquée", aicha, -2)
    make("Annonces sonores absentes sur le T4", aicha, -1)
    make("Rampe de la station Gorge de Loup", aicha, 5)  # not overdue
    make("Carte senior non reconnue", josiane, -4)  # overdue, another segment

    page.set_viewport_size({"width": 1280, "height": 900})
    signed_in(page, live_server, supervisor_lyon)
    # a supervisor lands on the agency's queue
    expect(page).to_have_url(re.compile(r"/demandes/$"))
    expect(page.locator("h1")).to_have_text("Demandes en cours · Lyon Part-Dieu")
    expect(page.locator("[data-live-count='overdue']")).to_contain_text("4 en retard")

    # the filters, with the keyboard: the segment typed in its list, the box ticked with
    # the space bar, Enter in the search field sends the form
    page.get_by_label("Segment du client").focus()
    page.keyboard.type("Personnes")
    expect(page.get_by_label("Segment du client")).to_have_value(str(pmr.pk))
    page.get_by_label("En retard seulement").focus()
    page.keyboard.press("Space")
    page.get_by_label("Rechercher").focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"segment={pmr.pk}.*retard=on|retard=on.*segment="))
    expect(page.locator("#queue-total")).to_contain_text("3 demandes correspondent aux filtres")
    rows = page.locator("main tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Ascenseur en panne à Bellecour")

    # two ticked with the space bar, the colleague typed in the list, Tab, Enter
    page.get_by_label(f"Cocher {ascenseur.reference} « Ascenseur en panne à Bellecour »").focus()
    page.keyboard.press("Space")
    page.get_by_label(f"Cocher {rampe.reference} « Rampe d'accès du bus C3 bloquée »").focus()
    page.keyboard.press("Space")
    expect(page.locator("[data-bulk-count]")).to_have_text("(2 cochées)")
    page.get_by_label("Réattribuer à").focus()
    page.keyboard.type("Karim")
    expect(page.get_by_label("Réattribuer à")).to_have_value(str(colleague_lyon.pk))
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Réattribuer", exact=True)).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("status").first).to_have_text(
        f"2 demandes réattribuées à Karim Benali : {ascenseur.reference}, {rampe.reference}."
    )
    # back on the same filtered queue
    expect(page).to_have_url(re.compile(r"retard=on"))
    expect(page.locator(f"#demande-{ascenseur.pk}")).to_contain_text("Karim Benali")
    expect(page.locator(f"#demande-{rampe.pk}")).to_contain_text("Karim Benali")
    page.screenshot(path=ARTIFACTS / "file-des-demandes.png", full_page=True)
    page.set_viewport_size(PHONE)
    page.screenshot(path=ARTIFACTS / "file-des-demandes-390.png", full_page=True)

    assert set(
        Request.objects.filter(pk__in=[ascenseur.pk, rampe.pk]).values_list(
            "assignee__display_name", flat=True
        )
    ) == {"Karim Benali"}
    assert Alert.objects.filter(recipient=colleague_lyon, kind=AlertKind.HANDOVER).count() == 2


def test_an_agent_lands_on_their_inbox_with_the_missed_call_first(
    page, live_server, agency_lyon, agent
):
    agent.phone_extension = "2104"
    agent.save()
    marechal = CustomerFactory(
        first_name="Hélène",
        last_name="Maréchal",
        civility="mme",
        phones=["06 12 34 56 78"],
        home_agency=agency_lyon,
        usual_contact=agent,
    )
    now = timezone.now()
    RequestFactory(
        agency=agency_lyon,
        assignee=agent,
        customer=marechal,
        subject="Remboursement du pass refusé",
        deadline=now - datetime.timedelta(hours=2),
    )
    RequestFactory(
        agency=agency_lyon,
        assignee=agent,
        subject="Plan du réseau en gros caractères",
        deadline=now + datetime.timedelta(hours=6),
    )
    at = now - datetime.timedelta(minutes=15)
    call_event_record(
        call_id="1733.42", kind="ringing", caller="0612345678", extension="2104", at=at
    )
    call, _new = call_event_record(
        call_id="1733.42",
        kind="missed",
        caller="0612345678",
        extension="2104",
        at=at + datetime.timedelta(seconds=25),
    )

    page.set_viewport_size({"width": 1280, "height": 900})
    signed_in(page, live_server, agent)
    expect(page).to_have_url(re.compile(r"/$"))
    expect(page.locator("h1")).to_have_text("Bonjour, Camille")
    # the first thing under the greeting: the calls to return, the missed call first
    expect(page.locator("main h2").first).to_contain_text("À rappeler")
    callback = page.locator("#a-rappeler li").first
    expect(callback).to_contain_text("Mme Hélène Maréchal")
    expect(callback).to_contain_text(call.callback.reference)
    expect(callback).to_contain_text("Appel manqué le")
    expect(callback.get_by_role("link", name=re.compile("06 12 34 56 78"))).to_have_attribute(
        "href", "tel:+33612345678"
    )
    # then their requests, the overdue one first
    mine = page.locator("#mes-demandes li")
    expect(mine.first).to_contain_text("Remboursement du pass refusé")
    expect(mine.first).to_contain_text("En retard")
    # from "Aller au contenu", the first stop of the keyboard is the call to return
    page.get_by_role("link", name="Aller au contenu").focus()
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Mme Hélène Maréchal")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/demandes/{call.callback_id}/$"))
    page.go_back()
    page.screenshot(path=ARTIFACTS / "boite-de-l-agent.png", full_page=True)
    page.set_viewport_size(PHONE)
    expect(page.locator("#a-rappeler")).to_be_visible()
    page.screenshot(path=ARTIFACTS / "boite-de-l-agent-390.png", full_page=True)
