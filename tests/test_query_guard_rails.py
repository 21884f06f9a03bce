"""Guard rails: every page and API endpoint that lists rows or shows a history runs a
number of SQL queries that does not grow with its rows — an N+1 fails here, not in a
benchmark.

Each row of the table names a URL, who opens it and a ceiling. The module builds one
data set (tests/guard_rails_data/), opens every row's URL with SMALL rows in every
list, grows every list to LARGE rows, and opens them all again, counting queries with
CaptureQueriesContext (each URL is opened once untimed first, so that per-process
caches — content types, permissions — are warm in both measurements). Each row then
asserts that

1. the count with LARGE rows equals the count with SMALL rows (`grows` documents a
   constant difference when a page legitimately adds one, e.g. a paginator that starts
   counting);
2. the count stays under the row's ceiling (today's count plus a small margin);
3. the page does show the LARGE rows (so the guard rail measures a full list, not an
   empty one).

The measured counts are printed (`pytest -s`): the table below records them as
"measured" next to each ceiling.
"""

import html
import re
from collections import Counter
from dataclasses import dataclass, field

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reconquete.models import CampaignStatus
from reconquete.services.indicators import SNAPSHOT_TOKEN as reconquest_snapshots
from satisfaction.services.indicators import SNAPSHOT_TOKEN as satisfaction_snapshots
from socle.versioned_cache import token_bump
from tests.guard_rails_data import (
    SHARED_PHONE,
    SKILL_SOUGHT,
    World,
    last_month,
    paris_now,
    world_build,
    world_grow,
    world_recompute,
)

# the mark makes pytest-django create the test database; the rows are measured by the
# module-scoped fixture below, in its own transaction
pytestmark = pytest.mark.django_db

SMALL, LARGE = 2, 12
MARGIN = 3  # queries a ceiling allows above today's count


@dataclass
class Row:
    id: str
    name: str  # URL name
    persona: str  # World attribute: agent, supervisor, manager, director, dpo, partner
    measured: int  # today's count with LARGE rows; the ceiling adds MARGIN
    kwargs: object = None  # callable(world) -> URL kwargs
    query: object = None  # callable(world) -> query string parameters
    shows: object = None  # callable(world, n) -> texts the page shows for its n rows
    token: str = ""  # API: the scope of the bearer token used instead of a session
    grows: int = 0  # documented constant difference between LARGE and SMALL

    @property
    def ceiling(self) -> int:
        return self.measured + MARGIN


def helene(w: World) -> dict:
    return {"pk": w.helene.pk}


def first(n: int, labels: list[str], keep=lambda i: True) -> list[str]:
    return [label for i, label in enumerate(labels[:n]) if keep(i)]


def customers(keep=lambda i: True):
    return lambda w, n: first(n, w.customer_labels, keep)


def labels(attribute: str):
    return lambda w, n: first(n, getattr(w, attribute))


def months(w: World) -> dict:
    month = last_month().strftime("%Y-%m")
    return {"du": month, "au": month}


def satisfaction_month(w: World) -> dict:
    return {"periode": "month", "debut": last_month().isoformat()}


RECONQUEST_DRILLS = {
    # kind: (which grown customers the list holds, extra query, queries measured)
    "lost": (lambda i: True, {}, 8),
    "contacted": (lambda i: True, {}, 8),
    "reached": (lambda i: True, {}, 8),
    "accepted": (lambda i: i % 2 == 1, {}, 8),
    "won_back": (lambda i: i % 3 == 0, {}, 8),
    "won_back_30": (lambda i: i % 3 == 0, {}, 8),
    "won_back_90": (lambda i: i % 3 == 0, {}, 8),
    "targeted": (lambda i: True, {"axe": "campaign"}, 9),
    "recovery": (lambda i: i % 2 == 1, {}, 10),
    "new_customers": (lambda i: i % 2 == 0, {}, 9),
}
SATISFACTION_DRILLS = {
    # kind: (the texts its rows show, queries measured)
    "reponses": ("comment_labels", 9),
    "ecart": ("comment_labels", 9),
    "invitations": ("comment_labels", 9),
    "incivilites": ("incivility_labels", 9),
}


def _drill_query(extra: dict):
    def query(w: World) -> dict:
        params = {**months(w), **extra}
        if extra.get("axe") == "campaign":
            params["cle"] = w.campaign.pk
        return params

    return query


ROWS = [
    # --- customers --------------------------------------------------------------------
    # the three searches below also write their read-audit row and read the author's hourly
    # volume (relation_client/privacy/reads.py): two queries, whatever the rows; a search
    # reads the ranked ids, then the page's customers and their phones (what tells
    # namesakes apart)
    Row("recherche client", "customers:search", "agent", 13,
        query=lambda w: {"q": "Dupont"}, shows=customers()),
    # the caller card and the customer page load each panel kind once for all the customers
    # shown (relation_client.extensions.panels_for): reconquest's case banner and its
    # "Abonnements et fréquentation" panel, one query each
    Row("appel entrant (numéro partagé)", "customers:incoming_call", "agent", 11,
        query=lambda w: {"phone": SHARED_PHONE}, shows=customers()),
    Row("fiche client", "customers:detail", "agent", 16,
        kwargs=helene, shows=labels("note_labels")),
    Row("historique client", "customers:timeline", "agent", 5,
        kwargs=helene, shows=labels("note_labels")),
    # --- the workspace ----------------------------------------------------------------
    # and its filters' lists: the segments, the agents (colleagues, people to reassign to)
    Row("file des demandes", "touchpoints:queue", "agent", 9,
        shows=labels("request_labels")),
    # the agent's inbox: their open requests (calls to return first), their new alerts
    Row("accueil de l'agent (sa boîte)", "home", "agent", 8,
        shows=lambda w, n: [f"Duplicata de la carte Técély, visite n° {i}"
                            for i in range(n) if i % 2]),
    # the answer by e-mail (extensions.request_panels): the messages sent, the customer's
    # latest mail and their addresses, three queries whatever the history
    Row("détail d'une demande", "touchpoints:request_detail", "agent", 12,
        kwargs=lambda w: {"pk": w.request.pk}, shows=labels("note_labels")),
    Row("alertes", "touchpoints:alerts", "agent", 6, shows=labels("alert_labels")),
    Row("gestes commerciaux", "touchpoints:gestures", "supervisor", 9,
        shows=labels("gesture_labels")),
    Row("taux d'identification", "touchpoints:identification", "director", 9,
        shows=lambda w, n: [a.name for a in w.agencies[:n]]),
    # --- partners, academy, skills --------------------------------------------------------
    Row("partenaires", "agences:partner_list", "supervisor", 8,
        shows=labels("partner_labels")),
    Row("conformité d'un partenaire", "agences:partner_compliance", "supervisor", 10,
        kwargs=lambda w: {"pk": w.partner.pk, "year": paris_now().year,
                          "month": paris_now().month},
        shows=lambda w, n: [f"secteur n° {i}" for i in range(n)]),
    Row("espace partenaire", "agences:partner_requests", "partner", 8,
        shows=labels("escalated_labels")),
    Row("demande transmise (partenaire)", "agences:partner_request_detail", "partner", 8,
        kwargs=lambda w: {"pk": w.escalated.pk}, shows=labels("partner_note_labels")),
    Row("académie (direction)", "agences:academy", "director", 17,
        shows=lambda w, n: first(n, w.session_labels[::2]) + [a.name for a in w.agencies[:n]]),
    Row("feuille de présence", "agences:session_detail", "manager", 8,
        kwargs=lambda w: {"pk": w.session.pk}, shows=labels("colleague_labels")),
    Row("qui parle espagnol ?", "agences:skill_finder", "agent", 9,
        query=lambda w: {"competence": SKILL_SOUGHT}, shows=labels("colleague_labels")),
    Row("compétences d'un agent", "agences:agent_skills", "manager", 10,
        kwargs=lambda w: {"pk": w.agent.pk}, shows=labels("skill_labels")),
    # --- reconquest ------------------------------------------------------------------------
    Row("reconquête : tableau de bord (direction)", "reconquete:dashboard", "director", 13,
        shows=lambda w, n: [a.name for i, a in enumerate(w.agencies[:n]) if i % 2]),
    Row("reconquête : tableau de bord (manager)", "reconquete:dashboard", "manager", 12),
    Row("reconquête : export des agences", "reconquete:dashboard_export", "director", 8,
        kwargs=lambda w: {"table": "agences"},
        shows=lambda w, n: [a.name for i, a in enumerate(w.agencies[:n]) if i % 2]),
    *[
        Row(f"reconquête : détail {kind}", "reconquete:drilldown", "director", measured,
            kwargs=lambda w, kind=kind: {"kind": kind}, query=_drill_query(extra),
            shows=customers(keep))
        for kind, (keep, extra, measured) in RECONQUEST_DRILLS.items()
    ],
    Row("campagnes", "reconquete:campaigns", "manager", 11, shows=labels("campaign_labels")),
    Row("campagne : cibles", "reconquete:campaign_detail", "manager", 15,
        kwargs=lambda w: {"pk": w.campaign.pk}, shows=customers()),
    Row("campagne : export des cibles", "reconquete:campaign_export", "manager", 12,
        kwargs=lambda w: {"pk": w.campaign.pk}, shows=customers()),
    # and the count of the agent's subscriptions to renew (the link to the renewals)
    Row("liste d'appels", "reconquete:call_list", "agent", 9, shows=customers()),
    Row("seuils de détection", "reconquete:settings", "manager", 8,
        shows=labels("segment_labels")),
    # --- satisfaction ----------------------------------------------------------------------
    Row("satisfaction : tableau de bord (direction)", "satisfaction:dashboard", "director", 15,
        shows=lambda w, n: [a.name for a in w.agencies[:n]]),
    Row("satisfaction : tableau de bord (agent)", "satisfaction:dashboard", "agent", 12),
    Row("satisfaction : export", "satisfaction:export", "director", 7,
        shows=lambda w, n: [a.name for a in w.agencies[:n]]),
    *[
        Row(f"satisfaction : détail {kind}", "satisfaction:drilldown", "director", measured,
            kwargs=lambda w, kind=kind: {"kind": kind}, query=satisfaction_month,
            shows=labels(texts))
        for kind, (texts, measured) in SATISFACTION_DRILLS.items()
    ],
    Row("incivilités", "satisfaction:incivility_list", "supervisor", 8,
        shows=labels("incivility_labels")),
    Row("incivilité : détail", "satisfaction:incivility_detail", "supervisor", 7,
        kwargs=lambda w: {"pk": w.incivility.pk}),
    Row("baromètre", "satisfaction:barometer", "agent", 5),
    Row("pulse", "satisfaction:pulse", "agent", 5),
    # --- the loyalty cycle -----------------------------------------------------------------
    Row("cycle : tableau", "cycle:board", "supervisor", 9, shows=labels("segment_labels")),
    Row("cycle : un tour", "cycle:round_detail", "manager", 22,
        kwargs=lambda w: {"pk": w.round.pk},
        shows=lambda w, n: first(n, w.record_labels) + first(n, w.history_labels)),
    # --- privacy ---------------------------------------------------------------------------
    Row("confidentialité : journal et recherche", "privacy:index", "dpo", 18,
        query=lambda w: {"fiche": w.helene.pk, "q": "Dupont"},
        shows=lambda w, n: customers()(w, n)
        + [f"consultation n° {i})" for i in range(n)]),
    Row("confidentialité : fiche (DPO)", "privacy:customer", "dpo", 21,
        kwargs=helene, shows=labels("timeline_labels")),
    # --- the API (a partner's bearer token) ------------------------------------------------
    Row("API : clients (curseur)", "api:customer-list", "agent", 5,
        token="customers:read", shows=customers()),
    Row("API : recherche de clients", "api:customer-list", "agent", 10,
        query=lambda w: {"search": "Dupont"}, token="customers:read", shows=customers()),
    Row("API : identification d'un appelant", "api:customer-lookup", "agent", 6,
        query=lambda w: {"phone": SHARED_PHONE}, token="customers:read", shows=customers()),
    Row("API : fiche client", "api:customer-detail", "agent", 7,
        kwargs=helene, token="customers:read"),
    Row("API : historique client", "api:customer-timeline", "agent", 4,
        kwargs=helene, token="customers:read", shows=labels("note_labels")),
    Row("API : demandes", "api:request-list", "agent", 2,
        token="requests:read", shows=labels("request_labels")),
    Row("API : détail d'une demande", "api:request-detail", "agent", 3,
        kwargs=lambda w: {"pk": w.request.pk}, token="requests:read",
        shows=labels("note_labels")),
]  # fmt: skip


# --- measuring ------------------------------------------------------------------------------


@dataclass
class Measure:
    status: int = 0
    count: int = 0
    text: str = ""
    sql: list[str] = field(default_factory=list)
    error: str = ""


def _clients(w: World) -> dict:
    clients = {}
    users = {
        "agent": w.agent.user,
        "supervisor": w.supervisor.user,
        "manager": w.manager.user,
        "director": w.director.user,
        "dpo": w.dpo.user,
        "partner": w.partner_user,
    }
    for persona, user in users.items():
        clients[persona] = Client()
        clients[persona].force_login(user)
    return clients


def _get(client: Client, row: Row, w: World, path: str):
    extra = {"HTTP_AUTHORIZATION": f"Bearer {w.token[row.token]}"} if row.token else {}
    client = Client() if row.token else client
    response = client.get(path, row.query(w) if row.query else {}, **extra)
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return response, body


def measure(row: Row, w: World, clients: dict, *, warm: bool) -> Measure:
    path = reverse(row.name, kwargs=row.kwargs(w) if row.kwargs else None)
    client = clients[row.persona]
    try:
        if warm:
            _get(client, row, w, path)  # warm the per-process caches
        # the dashboards as on their first view after a recompute (rendered from the rows,
        # not from the fragment the warm-up cached): the same path in both passes
        token_bump(reconquest_snapshots)
        token_bump(satisfaction_snapshots)
        with CaptureQueriesContext(connection) as queries:
            response, body = _get(client, row, w, path)
    except Exception as error:  # reported on the row's own test, not the whole module
        return Measure(error=f"{type(error).__name__}: {error}")
    return Measure(
        status=response.status_code,
        count=len(queries.captured_queries),
        text=html.unescape(body.decode("utf-8", errors="replace")),
        sql=[q["sql"] for q in queries.captured_queries],
    )


@pytest.fixture(scope="module")
def measured(django_db_setup, django_db_blocker):
    """{row id: (small, large)}: every row measured with SMALL, then LARGE rows. The data
    is built once for the module, inside a transaction rolled back at the end."""
    results = {}
    with django_db_blocker.unblock(), transaction.atomic():
        cache.clear()
        w = world_build()
        world_grow(w, 0, SMALL)
        world_recompute(w)
        clients = _clients(w)
        # the small pass opens each URL once more first: the large pass finds caches warm
        small = {row.id: measure(row, w, clients, warm=True) for row in ROWS}
        world_grow(w, SMALL, LARGE)
        world_recompute(w)
        large = {row.id: measure(row, w, clients, warm=False) for row in ROWS}
        for row in ROWS:
            results[row.id] = (
                small[row.id],
                large[row.id],
                row.shows(w, LARGE) if row.shows else [],
            )
        assert w.campaign.status == CampaignStatus.ACTIVE
        transaction.set_rollback(True)
    cache.clear()
    print(f"\nrequêtes SQL par page ({SMALL} puis {LARGE} lignes par liste) :")
    for row in ROWS:
        small_one, large_one, _shown = results[row.id]
        print(f"  {small_one.count:3d} {large_one.count:3d}  plafond {row.ceiling:3d}  {row.id}")
    return results


def _repeated(sql: list[str]) -> str:
    """The statements run more than once, numbers blanked: where an N+1 shows."""
    shapes = Counter(re.sub(r"\b\d+\b", "N", statement) for statement in sql)
    return "\n".join(f"  {n} × {shape[:300]}" for shape, n in shapes.most_common(5) if n > 1)


def test_every_row_names_a_distinct_page():
    assert len({row.id for row in ROWS}) == len(ROWS)


@pytest.mark.parametrize("row", ROWS, ids=[row.id for row in ROWS])
def test_queries_do_not_grow_with_the_rows(measured, row):
    small, large, shown = measured[row.id]
    assert not small.error and not large.error, small.error or large.error
    assert small.status == large.status == 200, (small.status, large.status, large.text[:500])
    missing = [text for text in shown if text not in large.text]
    assert not missing, f"{row.id}: la page ne montre pas {missing}"
    assert large.count - small.count == row.grows, (
        f"{row.id}: {small.count} requêtes avec {SMALL} lignes, {large.count} avec {LARGE}"
        f"\n{_repeated(large.sql)}"
    )
    assert large.count <= row.ceiling, f"{row.id}: {large.count} requêtes > {row.ceiling}"
