"""The agent's form takes a local time inside the DST change hours as a person means it:
the 02:30 that happens twice (late October) is its first occurrence, the 02:30 that does
not exist (late March) is shifted forward by the missing hour; the timeline shows the
stored moment."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from relation_client.customers.forms import TouchpointForm
from relation_client.touchpoints.models import Touchpoint

pytestmark = pytest.mark.django_db

UTC = datetime.UTC
CASES = [
    # typed in Europe/Paris, stored moment (UTC), as the timeline shows it
    ("2026-10-25T02:30", datetime.datetime(2026, 10, 25, 0, 30, tzinfo=UTC), "02:30:00+02:00"),
    ("2026-03-29T02:30", datetime.datetime(2026, 3, 29, 1, 30, tzinfo=UTC), "03:30:00+02:00"),
    # around the changes, nothing moves
    ("2026-10-25T03:30", datetime.datetime(2026, 10, 25, 2, 30, tzinfo=UTC), "03:30:00+01:00"),
    ("2026-03-29T01:30", datetime.datetime(2026, 3, 29, 0, 30, tzinfo=UTC), "01:30:00+01:00"),
]
IDS = ["october-twice", "march-missing", "october-after", "march-before"]


def _data(occurred_at: str) -> dict:
    return {
        "channel": "phone",
        "direction": "inbound",
        "reason": "fare",
        "summary": "Appel de nuit : bus de nuit Pleine Lune",
        "outcome": "answered",
        "mood": "neutral",
        "occurred_at": occurred_at,
    }


@pytest.mark.parametrize(("typed", "moment", "shown"), CASES, ids=IDS)
def test_the_form_takes_the_time_as_meant(typed, moment, shown):
    form = TouchpointForm(_data(typed))

    assert form.is_valid(), form.errors
    assert form.cleaned_data["occurred_at"] == moment
    assert timezone.localtime(form.cleaned_data["occurred_at"]).isoformat().endswith(shown)


@pytest.mark.parametrize(("typed", "moment", "shown"), CASES, ids=IDS)
def test_the_exchange_is_logged_and_the_stored_moment_shown(
    agent_client, helene, typed, moment, shown
):
    response = agent_client.post(
        reverse("customers:log_touchpoint", args=[helene.pk]),
        _data(typed),
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200, response.content.decode()[:500]
    assert Touchpoint.objects.get(customer=helene).occurred_at == moment
    day = typed[:10]
    assert f'datetime="{day}T{shown}"' in response.content.decode()
    assert f", {shown[:5]}</time>" in response.content.decode()
