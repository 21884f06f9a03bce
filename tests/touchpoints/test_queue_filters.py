"""The work queue (/demandes/): its filters, sorts and search in the URL, the actions on
several requests at once (all or nothing, with a summary of what was done or refused),
the network roles' choice of agency, and a bounded number of queries."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from relation_client.customers.models import Segment
from relation_client.touchpoints.models import Alert, AlertKind, Request, RequestStatus
from tests.factories import RequestFactory

pytestmark = pytest.mark.django_db

URL = reverse("touchpoints:queue")
BULK = reverse("touchpoints:queue_bulk")


def _subjects(response) -> list[str]:
    return [request.subject for request in response.context["page"].object_list]


@pytest.fixture
def desk(agency_lyon, agent, colleague_lyon, make_customer):
    """Lyon's queue: six requests of three customers in three segments, on three
    channels, assigned to Camille, to Karim or to nobody; one overdue, one paused past its
    deadline (never overdue meanwhile), one answered (out of the queue)."""
    now = timezone.now()
    aicha = make_customer(
        "Aïcha", "Diallo", segment=Segment.objects.get(name="Personnes à mobilité réduite")
    )
    helene = make_customer("Hélène", "Dupont-Lefèvre", segment=Segment.objects.get(name="Seniors"))
    zoe = make_customer("Zoé", "Lefèvre", segment=Segment.objects.get(name="Visiteurs"))

    def make(subject, customer, *, hours, assignee=None, channel="phone", status="open", **extra):
        return RequestFactory(
            agency=agency_lyon,
            customer=customer,
            assignee=assignee,
            subject=subject,
            channel=channel,
            status=status,
            priority=customer.segment.priority,
            deadline=now + datetime.timedelta(hours=hours),
            opened_at=now - datetime.timedelta(hours=10 - hours),
            **extra,
        )

    return {
        "ascenseur": make(
            "Ascenseur en panne à Bellecour", aicha, hours=-2, assignee=colleague_lyon
        ),
        "carte": make("Carte Técély bloquée", helene, hours=3, assignee=agent),
        "plan": make("Plan du réseau en anglais", zoe, hours=5, channel="email"),
        "pause": make(
            "Justificatif de domicile attendu",
            helene,
            hours=-5,
            assignee=agent,
            status=RequestStatus.WAITING_CUSTOMER,
            paused_at=now - datetime.timedelta(hours=6),
            remaining_at_pause=60,
        ),
        "rampe": make(
            "Rampe d'accès du bus C3", aicha, hours=8, assignee=colleague_lyon, channel="letter"
        ),
        "repondue": make("Horaires du tram T3", zoe, hours=1, status=RequestStatus.ANSWERED),
    }


# --- filters --------------------------------------------------------------------------------


def test_the_default_queue_holds_the_open_requests_deadline_first(agent_client, desk):
    assert _subjects(agent_client.get(URL)) == [
        "Justificatif de domicile attendu",
        "Ascenseur en panne à Bellecour",
        "Carte Técély bloquée",
        "Plan du réseau en anglais",
        "Rampe d'accès du bus C3",
    ]


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("open", {"ascenseur", "carte", "plan", "rampe"}),
        ("waiting_customer", {"pause"}),
    ],
)
def test_filter_by_status(agent_client, desk, status, expected):
    response = agent_client.get(URL, {"statut": status})
    assert set(_subjects(response)) == {desk[key].subject for key in expected}


def test_filter_by_channel(agent_client, desk):
    assert _subjects(agent_client.get(URL, {"canal": "email"})) == ["Plan du réseau en anglais"]
    assert _subjects(agent_client.get(URL, {"canal": "letter"})) == ["Rampe d'accès du bus C3"]


def test_filter_by_assignee_me_nobody_or_a_colleague(agent_client, desk, colleague_lyon):
    assert set(_subjects(agent_client.get(URL, {"responsable": "moi"}))) == {
        "Carte Técély bloquée",
        "Justificatif de domicile attendu",
    }
    assert _subjects(agent_client.get(URL, {"responsable": "personne"})) == [
        "Plan du réseau en anglais"
    ]
    assert _subjects(agent_client.get(URL, {"responsable": colleague_lyon.pk})) == [
        "Ascenseur en panne à Bellecour",
        "Rampe d'accès du bus C3",
    ]


def test_an_unknown_colleague_is_a_form_error_not_a_crash(agent_client, desk, agent_villeurbanne):
    # Théo works in Villeurbanne: not one of Lyon's colleagues to filter by
    response = agent_client.get(URL, {"responsable": agent_villeurbanne.pk})
    assert response.status_code == 200
    assert response.context["form"].errors["responsable"]
    assert len(_subjects(response)) == 5


def test_overdue_only_leaves_the_paused_request_out(agent_client, desk):
    response = agent_client.get(URL, {"retard": "on"})
    # "Justificatif…" is past its deadline, but waiting for the customer: its clock is paused
    assert _subjects(response) == ["Ascenseur en panne à Bellecour"]


def test_filter_by_the_customers_segment(agent_client, desk):
    pmr = Segment.objects.get(name="Personnes à mobilité réduite")
    assert _subjects(agent_client.get(URL, {"segment": pmr.pk})) == [
        "Ascenseur en panne à Bellecour",
        "Rampe d'accès du bus C3",
    ]


def test_filters_combine(agent_client, desk, colleague_lyon):
    pmr = Segment.objects.get(name="Personnes à mobilité réduite")
    response = agent_client.get(
        URL, {"segment": pmr.pk, "retard": "on", "responsable": colleague_lyon.pk}
    )
    assert _subjects(response) == ["Ascenseur en panne à Bellecour"]
    assert "1 demande correspond aux filtres" in response.content.decode()


# --- sorts -----------------------------------------------------------------------------------


def test_sort_by_segment_priority_then_deadline(agent_client, desk):
    # reduced mobility (1) first, then seniors (2), then visitors (7)
    assert _subjects(agent_client.get(URL, {"tri": "priorite"})) == [
        "Ascenseur en panne à Bellecour",
        "Rampe d'accès du bus C3",
        "Justificatif de domicile attendu",
        "Carte Técély bloquée",
        "Plan du réseau en anglais",
    ]


def test_sort_by_opening_newest_first(agent_client, desk):
    assert _subjects(agent_client.get(URL, {"tri": "ouverture"})) == [
        "Rampe d'accès du bus C3",
        "Plan du réseau en anglais",
        "Carte Técély bloquée",
        "Ascenseur en panne à Bellecour",
        "Justificatif de domicile attendu",
    ]


# --- search ----------------------------------------------------------------------------------


def test_search_by_customer_name_without_accents_or_capitals(agent_client, desk):
    assert _subjects(agent_client.get(URL, {"q": "aicha"})) == [
        "Ascenseur en panne à Bellecour",
        "Rampe d'accès du bus C3",
    ]
    assert set(_subjects(agent_client.get(URL, {"q": "LEFEVRE"}))) == {
        "Justificatif de domicile attendu",
        "Carte Técély bloquée",
        "Plan du réseau en anglais",
    }
    assert _subjects(agent_client.get(URL, {"q": "zoé lefèvre"})) == ["Plan du réseau en anglais"]


def test_search_by_words_of_the_subject(agent_client, desk):
    assert _subjects(agent_client.get(URL, {"q": "tecely"})) == ["Carte Técély bloquée"]
    assert _subjects(agent_client.get(URL, {"q": "bus c3"})) == ["Rampe d'accès du bus C3"]


@pytest.mark.parametrize("spelling", ["RC-{:06d}", "rc-{}", "RC {:06d}", "RC{}"])
def test_search_by_reference_finds_it_whatever_its_status(agent_client, desk, spelling):
    answered = desk["repondue"]
    response = agent_client.get(URL, {"q": spelling.format(answered.pk)})
    assert _subjects(response) == ["Horaires du tram T3"]
    page = response.content.decode()
    assert "1 demande porte cette référence" in page
    assert answered.reference in page and "Répondue" in page


def test_search_by_reference_stays_in_the_agents_scope(
    agent_client, desk, agency_villeurbanne, agent_villeurbanne
):
    elsewhere = RequestFactory(agency=agency_villeurbanne, subject="Bus en retard à Villeurbanne")
    response = agent_client.get(URL, {"q": elsewhere.reference})
    assert _subjects(response) == []
    assert "Bus en retard" not in response.content.decode()


# --- the page: shareable filters, an accessible form ------------------------------------------


def test_the_filters_stay_in_the_pagination_links(agent_client, agency_lyon, agent):
    RequestFactory.create_batch(30, agency=agency_lyon, assignee=agent, channel="email")
    page = agent_client.get(URL, {"canal": "email", "responsable": "moi", "tri": "priorite"})
    html = page.content.decode()
    assert len(_subjects(page)) == 25
    assert 'href="/demandes/?page=2&amp;canal=email&amp;responsable=moi&amp;tri=priorite"' in html
    second = agent_client.get(URL, {"page": 2, "canal": "email", "responsable": "moi"})
    assert len(_subjects(second)) == 5


def test_the_form_is_labelled_and_shows_the_chosen_filters(agent_client, desk, colleague_lyon):
    html = agent_client.get(
        URL, {"q": "Bellecour", "canal": "phone", "responsable": colleague_lyon.pk, "retard": "on"}
    ).content.decode()
    assert 'method="get"' in html and f'action="{URL}"' in html
    for name in ("q", "statut", "canal", "responsable", "segment", "tri", "retard"):
        assert f'for="id_{name}"' in html, name
        assert f'id="id_{name}"' in html, name
    assert 'value="Bellecour"' in html
    assert re.search(r'<option value="phone" selected>', html)
    assert re.search(rf'<option value="{colleague_lyon.pk}" selected>Karim Benali</option>', html)
    # the colleagues in an <optgroup> named after their agency
    assert '<optgroup label="Lyon Part-Dieu">' in html
    assert "Effacer les filtres" in html


def test_each_box_names_its_request(agent_client, desk):
    html = agent_client.get(URL).content.decode()
    carte = desk["carte"]
    assert (
        f'<label class="visually-hidden" for="choix-{carte.pk}">Cocher {carte.reference} '
        f"« Carte Técély bloquée »</label>"
    ) in html


def test_the_queue_and_overdue_counts_are_in_the_bar(agent_client, desk):
    html = agent_client.get(URL).content.decode()
    # Lyon's five open requests; one overdue (the paused one is not)
    assert re.search(r'data-live-count="queue"><span data-live-count-value>5</span>', html), (
        "queue count"
    )
    assert re.search(
        r'data-live-count="overdue"><span data-live-count-value>1</span> en retard', html
    ), "overdue count"
    # no alert: the badge is there, hidden, for the live updates to fill it
    assert re.search(r'data-live-count="alerts" hidden><span data-live-count-value>0<', html)


# --- bulk actions -----------------------------------------------------------------------------


def _bulk(client, requests, action, **extra):
    data = {"demandes": [r.pk for r in requests], "action": action, **extra}
    return client.post(BULK, data)


def test_a_supervisor_reassigns_two_requests_to_a_colleague(
    login, desk, supervisor_lyon, colleague_lyon
):
    plan, carte = desk["plan"], desk["carte"]
    client = login(supervisor_lyon)
    response = _bulk(
        client, [plan, carte], "reattribuer", cible=colleague_lyon.pk, retour="retard=on"
    )
    assert response.status_code == 302
    # back to the same filtered queue
    assert response["Location"] == f"{URL}?retard=on"
    for request in (plan, carte):
        request.refresh_from_db()
        assert request.assignee == colleague_lyon
    page = client.get(response["Location"]).content.decode()
    first, second = sorted([plan, carte], key=lambda r: r.pk)
    assert (
        f"2 demandes réattribuées à Karim Benali : {first.reference}, {second.reference}."
    ) in page
    # each change on the request's timeline, and Karim alerted of each
    assert Alert.objects.filter(recipient=colleague_lyon, kind=AlertKind.HANDOVER).count() == 2


def test_close_several(login, desk, agent):
    client = login(agent)
    response = _bulk(client, [desk["carte"], desk["plan"]], "cloturer")
    assert response.status_code == 302
    assert set(
        Request.objects.filter(pk__in=[desk["carte"].pk, desk["plan"].pk]).values_list(
            "status", flat=True
        )
    ) == {RequestStatus.CLOSED}
    page = client.get(response["Location"]).content.decode()
    assert "2 demandes clôturées" in page


def test_mark_several_waiting_for_the_customer(login, desk, agent):
    response = _bulk(login(agent), [desk["carte"], desk["plan"]], "attente")
    assert response.status_code == 302
    for key in ("carte", "plan"):
        desk[key].refresh_from_db()
        assert desk[key].status == RequestStatus.WAITING_CUSTOMER
        assert desk[key].paused_at is not None


def test_one_refusal_and_nothing_is_done_with_every_refusal_said(
    login, desk, supervisor_lyon, colleague_lyon
):
    """All or nothing: "Ascenseur…" is already Karim's, "Horaires…" already answered
    (closing it would do, reassigning it not): neither the two others nor they change, and
    the page says which refused, and why, with the selection kept."""
    chosen = [desk["plan"], desk["carte"], desk["ascenseur"], desk["repondue"]]
    client = login(supervisor_lyon)
    response = _bulk(client, chosen, "reattribuer", cible=colleague_lyon.pk, retour="tri=priorite")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Rien n&#x27;a été fait : 2 demandes sur 4 refusent cette action." in page
    assert (
        f"<strong>{desk['ascenseur'].reference}</strong> « Ascenseur en panne à Bellecour » : "
        "Cette demande est déjà attribuée à Karim Benali."
    ) in page
    assert (
        f"<strong>{desk['repondue'].reference}</strong> « Horaires du tram T3 » : "
        "Seule une demande en cours peut être réattribuée."
    ) in page
    for request in chosen:
        before = request.assignee_id
        request.refresh_from_db()
        assert request.assignee_id == before
    assert not Alert.objects.filter(kind=AlertKind.HANDOVER).exists()
    # the selection is kept, the refused row says why; the sort of the queue is kept
    assert f'value="{desk["plan"].pk}" id="choix-{desk["plan"].pk}" checked' in page
    assert f'id="refus-{desk["ascenseur"].pk}"' in page
    assert response.context["form"]["tri"].value() == "priorite"


def test_closing_is_all_or_nothing_too(login, desk, agent):
    client = login(agent)
    closed = desk["plan"]
    Request.objects.filter(pk=closed.pk).update(status=RequestStatus.CLOSED)
    response = _bulk(client, [desk["carte"], closed], "cloturer")
    assert response.status_code == 400
    assert "Cette demande est déjà clôturée." in response.content.decode()
    desk["carte"].refresh_from_db()
    assert desk["carte"].status == RequestStatus.OPEN


def test_another_agencys_request_is_refused_by_number(login, desk, agent, agency_villeurbanne):
    elsewhere = RequestFactory(agency=agency_villeurbanne, subject="Bus en retard à Villeurbanne")
    response = _bulk(login(agent), [desk["carte"], elsewhere], "cloturer")
    assert response.status_code == 400
    page = response.content.decode()
    assert (
        f"<strong>{elsewhere.reference}</strong> : Aucune demande de votre agence ou à votre nom "
        "ne porte ce numéro."
    ) in page
    assert "Bus en retard" not in page
    elsewhere.refresh_from_db()
    desk["carte"].refresh_from_db()
    assert elsewhere.status == desk["carte"].status == RequestStatus.OPEN


def test_an_agent_may_not_reassign(login, desk, agent, colleague_lyon):
    client = login(agent)
    assert "lot-reattribuer" not in client.get(URL).content.decode()
    response = _bulk(client, [desk["plan"]], "reattribuer", cible=colleague_lyon.pk)
    assert response.status_code == 403
    desk["plan"].refresh_from_db()
    assert desk["plan"].assignee is None


def test_nothing_ticked_or_nobody_chosen_is_said_on_the_form(login, desk, supervisor_lyon):
    client = login(supervisor_lyon)
    response = client.post(BULK, {"action": "cloturer"})
    assert response.status_code == 400
    assert "Cochez au moins une demande." in response.content.decode()
    response = _bulk(client, [desk["plan"]], "reattribuer")
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choisissez à qui réattribuer les demandes cochées." in page
    assert 'aria-invalid="true"' in page and 'aria-describedby="lot-cible-erreur"' in page


# --- the network roles choose the agency --------------------------------------------------------


@pytest.fixture
def villeurbanne_request(agency_villeurbanne, agent_villeurbanne):
    return RequestFactory(
        agency=agency_villeurbanne,
        assignee=agent_villeurbanne,
        subject="Bus en retard à Villeurbanne",
    )


def test_the_director_sees_their_agency_first_then_any_or_all(
    login, desk, director, agency_villeurbanne, villeurbanne_request
):
    client = login(director)
    own = client.get(URL)
    assert "Bus en retard à Villeurbanne" not in _subjects(own)
    assert 'id="id_agence"' in own.content.decode()
    other = client.get(URL, {"agence": agency_villeurbanne.pk})
    assert _subjects(other) == ["Bus en retard à Villeurbanne"]
    assert "Demandes en cours · Villeurbanne Gratte-Ciel" in other.content.decode()
    every = client.get(URL, {"agence": "toutes"})
    assert len(_subjects(every)) == 6
    html = every.content.decode()
    assert "Demandes en cours · toutes les agences" in html
    # another agency's requests are read here, worked by their agency: no box, no link
    assert f'id="choix-{villeurbanne_request.pk}"' not in html
    assert villeurbanne_request.get_absolute_url() not in html
    assert f'id="choix-{desk["carte"].pk}"' in html
    # a link without the agency is their own agency's queue, and the list says so
    filtered = client.get(URL, {"retard": "on"})
    assert _subjects(filtered) == ["Ascenseur en panne à Bellecour"]
    assert re.search(
        r'<option value="\d+" selected>Lyon Part-Dieu</option>', filtered.content.decode()
    )


def test_the_directors_colleague_filter_follows_the_agency_chosen(
    login, desk, director, agency_villeurbanne, villeurbanne_request, agent_villeurbanne
):
    response = login(director).get(
        URL, {"agence": agency_villeurbanne.pk, "responsable": agent_villeurbanne.pk}
    )
    assert _subjects(response) == ["Bus en retard à Villeurbanne"]


def test_anyone_else_asking_for_another_agency_is_refused(
    login, supervisor_lyon, agency_villeurbanne, agency_lyon
):
    client = login(supervisor_lyon)
    assert client.get(URL, {"agence": agency_villeurbanne.pk}).status_code == 403
    assert client.get(URL, {"agence": "toutes"}).status_code == 403
    assert client.get(URL, {"agence": agency_lyon.pk}).status_code == 200
    assert 'id="id_agence"' not in client.get(URL).content.decode()


def test_an_unknown_agency_is_a_404_for_the_director(login, director):
    assert login(director).get(URL, {"agence": 987654}).status_code == 404


# --- a bounded number of queries ----------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 40])
def test_queries_do_not_grow_with_the_page_or_the_filters(
    login, agency_lyon, agent, colleague_lyon, make_customer, count, django_assert_num_queries
):
    senior = make_customer("Josiane", "Béranger", segment=Segment.objects.get(name="Seniors"))
    now = timezone.now()
    RequestFactory.create_batch(
        count,
        agency=agency_lyon,
        customer=senior,
        assignee=colleague_lyon,
        deadline=now - datetime.timedelta(hours=1),
    )
    client = login(agent)
    filtered = {
        "q": "BÉRA",
        "canal": "phone",
        "responsable": colleague_lyon.pk,
        "segment": senior.segment_id,
        "retard": "on",
        "tri": "priorite",
    }
    # session (user, agent: Redis), the bar's counts (one query), the
    # filters' segments, the agents (colleagues to filter by, people to reassign to), the
    # paginator's count, the page of requests with customer, segment, assignee, reason,
    # partner and agency, the channels' commitments (the deadline rules)
    for query in ({}, filtered):
        with django_assert_num_queries(7):
            response = client.get(URL, query)
        assert len(_subjects(response)) == min(count, 25)


def test_the_directors_choice_of_agency_costs_one_query(
    login, agency_lyon, director, django_assert_num_queries, agent
):
    RequestFactory.create_batch(30, agency=agency_lyon, assignee=agent)
    client = login(director)
    with django_assert_num_queries(8):  # the same, and the list of agencies
        response = client.get(URL, {"agence": "toutes"})
    assert len(_subjects(response)) == 25
    assert escape("Toutes les agences") in response.content.decode()
