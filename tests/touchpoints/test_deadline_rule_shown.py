"""Every deadline shown says the rule it was counted by (issue 14): "1 jour ouvré",
"2 jours ouvrés", "8 heures ouvrées · pause déjeuner exclue"."""

import pytest
from django.urls import reverse

from relation_client.touchpoints.models import ChannelCommitment

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("seniors_in_the_channels_time")]


def test_the_request_page_shows_the_rule_next_to_the_deadline(agent_client, log, helene):
    request = log(helene, channel="email", summary="Remboursement du pass Navigo").request
    page = agent_client.get(reverse("touchpoints:request_detail", args=[request.pk]))
    assert "Engagement : 2 jours ouvrés" in page.content.decode()


def test_the_queue_shows_each_rule(agent_client, log, helene):
    log(helene, channel="phone", summary="Carte bloquée à la borne")
    log(helene, channel="letter", summary="Courrier : réclamation sur l'amende")
    page = agent_client.get(reverse("touchpoints:queue")).content.decode()
    assert "1 jour ouvré" in page
    assert "5 jours ouvrés" in page


def test_hours_at_an_agency_closing_for_lunch_say_the_break_is_excluded(
    agent_client, log, helene, agency_lyon
):
    agency_lyon.opening_hours = {
        str(day): [["09:00", "12:00"], ["13:30", "17:30"]] for day in range(1, 6)
    }
    agency_lyon.save()
    ChannelCommitment.objects.filter(channel="phone").update(amount=8, unit="working_hours")
    request = log(helene, channel="phone", summary="Abonnement « Tout Lyon » résilié ?").request
    page = agent_client.get(reverse("touchpoints:request_detail", args=[request.pk]))
    assert "8 heures ouvrées · pause déjeuner exclue" in page.content.decode()
    queue = agent_client.get(reverse("touchpoints:queue")).content.decode()
    assert "8 heures ouvrées · pause déjeuner exclue" in queue


def test_the_customer_page_shows_the_rule_of_an_open_request(agent_client, log, helene):
    log(helene, channel="email", summary="Remboursement du pass Navigo")
    page = agent_client.get(helene.get_absolute_url()).content.decode()
    assert "(2 jours ouvrés)" in page
