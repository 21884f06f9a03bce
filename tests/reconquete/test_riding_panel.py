"""The "Abonnements et fréquentation" panel (reconquete.selectors.subscriptions.riding_for,
through the core's customer_panels): what a rider rides and whether they drift away, on
the customer page and the caller card."""

import datetime
import html
import re

import pytest
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.html import strip_tags

from reconquete.models import RidershipMonth, Subscription
from reconquete.selectors import add_months, riding_for

pytestmark = pytest.mark.django_db


def _last_month() -> datetime.date:
    return add_months(timezone.localdate().replace(day=1), -1)


@pytest.fixture
def rider(helene, network_settings):
    """Hélène: a Pass Partout mensuel since 2024 ending in 20 days with nothing after it,
    22 trips a month in the reference period (January to March 2025), 6 last month."""
    today = timezone.localdate()
    Subscription.objects.create(
        customer=helene,
        contract_number="ABO-0042-3",
        product="Pass Partout mensuel",
        start_date=datetime.date(2024, 9, 1),
        end_date=today + datetime.timedelta(days=20),
        status="active",
        sales_channel="counter",
    )
    Subscription.objects.create(
        customer=helene,
        contract_number="ABO-0042-1",
        product="Ticket Senior annuel",
        start_date=datetime.date(2023, 1, 1),
        end_date=datetime.date(2023, 12, 31),
        status="ended",
        sales_channel="web",
    )
    months = [datetime.date(2025, m, 1) for m in (1, 2, 3)]
    rows = [
        RidershipMonth(customer=helene, month=m, trips=t)
        for m, t in zip(months, (20, 22, 24), strict=True)
    ]
    last = _last_month()
    rows += [
        RidershipMonth(customer=helene, month=add_months(last, -i), trips=trips)
        for i, trips in ((3, 21), (2, 19), (1, 12), (0, 6))
        if add_months(last, -i) > months[-1]
    ]
    RidershipMonth.objects.bulk_create(rows)
    return helene


def _text(response) -> str:
    return re.sub(r"\s+", " ", html.unescape(strip_tags(response.content.decode())))


def test_one_query_whatever_the_customers(rider, make_customer, django_assert_num_queries):
    nobody = make_customer("Zoé", "Lacroix")
    with django_assert_num_queries(1):
        panels = riding_for([rider.pk, nobody.pk])
    assert set(panels) == {rider.pk}  # no subscription, no ridership: no panel
    panel = panels[rider.pk]
    assert panel.baseline == 22 and panel.threshold == 11  # 50 % of 22 trips a month
    assert [bar.trips for bar in panel.months][-1] == 6 and len(panel.months) == 12
    assert panel.months[-1].below and not panel.months[-4].below
    assert panel.dropping


def test_customer_page_shows_the_pass_its_dates_and_the_drift(agent_client, rider):
    end = timezone.localdate() + datetime.timedelta(days=20)
    response = agent_client.get(reverse("customers:detail", args=[rider.pk]))
    text = _text(response)
    assert "Abonnements et fréquentation" in text
    assert "Pass Partout mensuel · depuis le 1er septembre 2024" in text
    end_words = formats.date_format(end, "j F Y")
    assert f"jusqu'au {end_words} · En cours" in text
    assert f"renouvellement à prévoir le {end_words}" in text
    # the old one ended long ago: nothing to plan
    assert "Ticket Senior annuel · depuis le 1er janvier 2023 · jusqu'au 31 décembre 2023" in text
    assert text.count("renouvellement à prévoir") == 1
    month = formats.date_format(_last_month(), "F")
    assert f"Fréquentation en baisse : 6 trajets en {month} contre 22 d'habitude." in text
    # the baseline and the lapse threshold are drawn, and said in words
    assert "habitude : 22 trajets par mois" in text and "seuil de perte : 11" in text
    page = response.content.decode()
    assert page.count("<line ") == 3 and "<svg" in page  # baseline, threshold, axis


def test_a_renewed_pass_is_no_renewal_to_plan(agent_client, rider):
    current = Subscription.objects.get(contract_number="ABO-0042-3")
    Subscription.objects.create(
        customer=rider,
        contract_number="ABO-0042-4",
        product="Pass Partout mensuel",
        start_date=current.end_date + datetime.timedelta(days=1),
        status="active",
        sales_channel="app",
    )
    text = _text(agent_client.get(reverse("customers:detail", args=[rider.pk])))
    assert "Pass Partout mensuel · depuis le 1er septembre 2024" in text  # still shown
    assert "renouvellement à prévoir" not in text


def test_caller_card_shows_the_panel(agent_client, rider):
    response = agent_client.get(
        reverse("customers:incoming_call"),
        {"phone": "06 12 34 56 78"},
        headers={"HX-Request": "true"},
    )
    text = _text(response)
    assert "Abonnements et fréquentation" in text and "Pass Partout mensuel" in text
    assert "Fréquentation en baisse : 6 trajets" in text


def test_habit_kept_is_said_so(rider):
    RidershipMonth.objects.filter(customer=rider, month=_last_month()).update(trips=23)
    panel = riding_for([rider.pk])[rider.pk]
    assert not panel.dropping
    assert panel.sentence.startswith("Fréquentation habituelle : 23 trajets en ")
    assert panel.sentence.endswith("pour 22 d'habitude.")


def test_a_subscriber_without_trips_gets_no_empty_chart(make_customer, agent_client):
    zoe = make_customer("Zoé", "Lacroix")
    Subscription.objects.create(
        customer=zoe,
        contract_number="ABO-0077-1",
        product="Pass Jeunes annuel",
        start_date=datetime.date(2026, 9, 1),
        end_date=datetime.date(2027, 8, 31),
        status="active",
        sales_channel="app",
    )
    response = agent_client.get(reverse("customers:detail", args=[zoe.pk]))
    text = _text(response)
    assert "Pass Jeunes annuel · depuis le 1er septembre 2026 · jusqu'au 31 août 2027" in text
    assert "Aucune validation connue sur les douze derniers mois." in text
    assert "<svg" not in response.content.decode()
