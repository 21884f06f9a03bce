"""reconquete:drilldown: the customers behind a figure, paginated, exportable."""

import pytest
from django.urls import reverse

from reconquete.models import CaseStatus, RidershipMonth
from tests.reconquete.conftest import month
from tests.support.time import paris

pytestmark = pytest.mark.django_db


def url(kind):
    return reverse("reconquete:drilldown", args=[kind])


@pytest.fixture
def cases(make_customer, make_case, agency_villeurbanne, scolaires):
    helene = make_customer(segment=scolaires)
    jerome = make_customer("Jérôme", "Gaël-Noël")
    zoe = make_customer("Zoé", "Lacroix", home_agency=agency_villeurbanne)
    make_case(
        helene,
        opened_at=paris(2026, 10, 1, 0, 30),
        status=CaseStatus.WON_BACK,
        won_back_at=paris(2026, 10, 20, 12, 0),
    )
    make_case(jerome, opened_at=paris(2026, 10, 12, 2, 0))
    make_case(zoe, opened_at=paris(2026, 10, 12, 2, 0))
    make_case(make_customer("Inès", "Da Silva"), opened_at=paris(2026, 9, 30, 23, 0))
    return helene, jerome, zoe


def names(response):
    return [row.customer.first_name for row in response.context["page"].object_list]


def test_an_agent_lists_their_agency_s_lost_customers_of_the_month(agent_client, cases):
    response = agent_client.get(url("lost"), {"du": "2026-10", "au": "2026-10"})
    assert response.status_code == 200
    assert sorted(names(response)) == ["Hélène", "Jérôme"]  # Zoé is Villeurbanne's
    assert "Clients perdus" in response.content.decode()


def test_won_back_within_30_days_and_by_segment(agent_client, cases, scolaires):
    response = agent_client.get(
        url("won_back_30"),
        {"du": "2026-10", "au": "2026-10", "axe": "segment", "cle": scolaires.pk},
    )
    assert names(response) == ["Hélène"]
    assert "Scolaires" in response.content.decode()


def test_the_list_exports_as_csv(agent_client, cases):
    response = agent_client.get(url("lost"), {"du": "2026-10", "au": "2026-10", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode()
    assert text.startswith("\ufeffClient;Motif;Perdu depuis")
    assert "Jérôme Gaël-Noël;Fréquentation en forte baisse" in text


def test_recovery_lists_the_customers_with_a_baseline(
    agent_client, make_customer, network_settings
):
    helene = make_customer()
    RidershipMonth.objects.bulk_create(
        [
            RidershipMonth(customer=helene, month=month(2025, 1), trips=30),
            RidershipMonth(customer=helene, month=month(2026, 10), trips=12),
        ]
    )
    make_customer("Kévin", "Nguyễn")  # no ridership
    response = agent_client.get(url("recovery"), {"du": "2026-10", "au": "2026-10"})
    rows = list(response.context["page"].object_list)
    assert [(c.first_name, c.month_trips, c.baseline_sum, c.baseline_months) for c in rows] == [
        ("Hélène", 12, 30, 3)
    ]


def test_another_agency_must_not_get_in(client, manager_villeurbanne, agency_lyon, cases):
    client.force_login(manager_villeurbanne.user)
    response = client.get(url("lost"), {"du": "2026-10", "au": "2026-10", "agence": agency_lyon.pk})
    assert response.status_code == 403
    own = client.get(url("lost"), {"du": "2026-10", "au": "2026-10"})
    assert names(own) == ["Zoé"]


def test_the_director_sees_any_agency(client, director, agency_villeurbanne, cases):
    client.force_login(director.user)
    network = client.get(url("lost"), {"du": "2026-10", "au": "2026-10"})
    assert sorted(names(network)) == ["Hélène", "Jérôme", "Zoé"]
    one = client.get(
        url("lost"), {"du": "2026-10", "au": "2026-10", "agence": agency_villeurbanne.pk}
    )
    assert names(one) == ["Zoé"]


def test_bad_parameters_are_a_404(agent_client):
    assert agent_client.get(url("nimporte"), {"du": "2026-10", "au": "2026-10"}).status_code == 404
    assert agent_client.get(url("lost"), {"du": "octobre", "au": "2026-10"}).status_code == 404
    assert (
        agent_client.get(
            url("lost"), {"du": "2026-10", "au": "2026-10", "axe": "channel", "cle": "pigeon"}
        ).status_code
        == 404
    )
