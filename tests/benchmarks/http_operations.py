"""The operations of the HTTP benchmark: what each one sends, its target and its SQL
floor, and the inputs drawn from the data (not a test: pytest collects test_*.py)."""

import random
import unicodedata
import uuid
from base64 import b64encode
from dataclasses import dataclass, field
from urllib.parse import urlencode

import http_floors as floors
import http_support as hs

TARGETS_MS = {
    "route": 50,
    "lookup": 50,
    "search": 50,
    "customer": 150,
    "touchpoint": 100,
    "dashboard": 200,
}
# issue 17's tighter p95 targets, shown beside the design's (which stay the contract); the
# issue states them for one data set each: the customer page on the medium set, the name
# search at 1 M customers (the large set), the dashboards on any
ISSUE_TARGETS_MS = {
    "customer": 40,
    "dashboard": 30,
    "search": 15,
}
# the three kinds of name issue 17 (and bench_name_search.py) measure: a very common
# surname, a full name with two typos, a hyphenated name; the generated data sets hold
# all three (Martin, Nathalie Lefèvre, Dupont-Lefèvre)
NAME_QUERIES = {
    "common": "Martin",
    "typo": "Natalie Lefèbvre",
    "hyphen": "Dupont-Lefèvre",
}
SUMMARY = f"{hs.BENCH_TAG} Question sur les horaires du tram T1, à rappeler."


@dataclass
class Req:
    method: str
    path: str
    params: dict = field(default_factory=dict)
    form: dict | None = None
    json: dict | None = None
    headers: dict = field(default_factory=dict)


@dataclass
class Op:
    key: str
    label: str
    actor: str  # agent, director or api
    target: str | None  # a key of TARGETS_MS
    request: object  # i -> Req
    floor: object = None  # i -> (sql, params)
    floor_setup: str | None = None
    ok: tuple = (200,)


def plain(text: str) -> str:
    """'Hélène Dupont-Lefèvre' -> 'helene dupont-lefevre': how agents type names."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()


def drf_cursor(position: int) -> str:
    """DRF's CursorPagination token for 'after this id' (what `next` links carry)."""
    return b64encode(urlencode({"p": str(position)}).encode()).decode()


def sample(conn, n: int, seed: int) -> dict:
    """Inputs drawn from the data: phones, names, customers, the longest history."""
    from relation_client.customers.normalize import phone_display, phone_try_normalize

    cur = conn.cursor()
    cur.execute("SELECT setseed(%s)", [(seed % 1000) / 1000])
    cur.execute(
        "SELECT cp.value FROM customers_contactpoint cp "
        "JOIN customers_customer c ON c.id = cp.customer_id "
        "WHERE cp.kind = 'phone' AND c.anonymised_at IS NULL ORDER BY random() LIMIT %s",
        [2 * n],
    )
    # as an agent types it; a stored number the app would now refuse is left out
    phones = [
        (value, phone_display(value))
        for (value,) in cur.fetchall()
        if phone_try_normalize(phone_display(value)) == value
    ][:n]
    cur.execute(
        "SELECT id, first_name, last_name FROM customers_customer "
        "WHERE anonymised_at IS NULL ORDER BY random() LIMIT %s",
        [n],
    )
    rows = cur.fetchall()
    names = [plain(f"{first} {last}") for _id, first, last in rows]
    customers = [pk for pk, _f, _l in rows]
    cur.execute(
        "SELECT customer_id, count(*) FROM touchpoints_touchpoint "
        "WHERE customer_id IS NOT NULL GROUP BY 1 ORDER BY 2 DESC, 1 LIMIT 1"
    )
    heavy, heavy_count = cur.fetchone()
    cur.execute("SELECT min(id), max(id), count(*) FROM customers_customer")
    low, high, total = cur.fetchone()
    rng = random.Random(seed)
    deep = [rng.randint(low + (high - low) // 2, high - (high - low) // 10) for _ in range(n)]
    if not phones or not names:
        raise SystemExit("The database has no customers with a phone: fill it first.")
    return {
        "phones": phones,
        "names": names,
        "customers": customers,
        "heavy": heavy,
        "heavy_touchpoints": heavy_count,
        "deep": deep,
        "customer_count": total,
    }


def pick(items, i):
    return items[i % len(items)]


def search_ops(names: list[str], htmx: dict) -> list[Op]:
    """The name search through the page and the API: on names drawn from the data (as
    agents type them), then on each of NAME_QUERIES, each its own row."""
    queries = [("", "drawn names", lambda i: pick(names, i))] + [
        (f"_{kind}", f"« {q} »", lambda i, q=q: q) for kind, q in NAME_QUERIES.items()
    ]
    ops = []
    for suffix, what, query in queries:
        ops += [
            Op(
                f"search_page{suffix}",
                f"Name search, {what} (page, htmx)",
                "agent",
                "search",
                lambda i, query=query: Req("GET", "/clients/", {"q": query(i)}, headers=htmx),
                lambda i, query=query: (floors.SEARCH, {"q": query(i)}),
            ),
            Op(
                f"search_api{suffix}",
                f"Name search, {what} (API)",
                "api",
                "search",
                lambda i, query=query: Req("GET", "/api/v1/customers/", {"search": query(i)}),
                lambda i, query=query: (floors.SEARCH, {"q": query(i)}),
            ),
        ]
    return ops


def operations(data: dict, refs: dict) -> list[Op]:
    phones, names, customers, deep = (data[k] for k in ("phones", "names", "customers", "deep"))
    htmx = {"HX-Request": "true"}

    def touchpoint_floor(i):
        params = {"summary": SUMMARY + " (plancher)", "customer": pick(customers, i), **refs}
        return floors.TOUCHPOINT, params

    return [
        Op(
            "lookup_page",
            "Caller lookup (page, htmx)",
            "agent",
            "lookup",
            lambda i: Req("GET", "/clients/appel/", {"phone": pick(phones, i)[1]}, headers=htmx),
            lambda i: (floors.LOOKUP, {"phone": pick(phones, i)[0]}),
        ),
        Op(
            "lookup_api",
            "Caller lookup (API)",
            "api",
            "lookup",
            lambda i: Req("GET", "/api/v1/customers/lookup/", {"phone": pick(phones, i)[1]}),
            lambda i: (floors.LOOKUP, {"phone": pick(phones, i)[0]}),
        ),
        Op(
            "route_api",
            "Telephony routing (PBX, API)",
            "api",
            "route",
            # as the phone system sees the caller: international form
            lambda i: Req("GET", "/api/v1/telephony/route/", {"caller": pick(phones, i)[0]}),
            lambda i: (floors.ROUTE, {"phone": pick(phones, i)[0]}),
        ),
        *search_ops(names, htmx),
        Op(
            "customer_page",
            f"Customer page ({data['heavy_touchpoints']} touchpoints)",
            "agent",
            "customer",
            lambda i: Req("GET", f"/clients/{data['heavy']}/"),
            lambda i: (floors.CUSTOMER_PAGE, {"id": data["heavy"]}),
        ),
        Op(
            "touchpoint_api",
            "Log a touchpoint (API)",
            "api",
            "touchpoint",
            lambda i: Req(
                "POST",
                "/api/v1/touchpoints/",
                json={
                    "customer": pick(customers, i),
                    "channel": "phone",
                    "direction": "inbound",
                    "reason": refs["reason_code"],
                    "summary": SUMMARY,
                },
                headers={"Idempotency-Key": str(uuid.uuid4())},
            ),
            touchpoint_floor,
            ok=(201,),
        ),
        Op(
            "touchpoint_page",
            "Log a touchpoint (page, htmx)",
            "agent",
            "touchpoint",
            lambda i: Req(
                "POST",
                f"/clients/{pick(customers, i)}/contacts/",
                form={
                    "channel": "phone",
                    "direction": "inbound",
                    "reason": refs["reason_code"],
                    "summary": SUMMARY,
                    "outcome": "",
                    "mood": "",
                    "estimate": "",
                    "climate": "",
                    "occurred_at": "",
                },
                headers=htmx,
            ),
            touchpoint_floor,
        ),
        Op(
            "reconquest",
            "Reconquest dashboard (network)",
            "director",
            "dashboard",
            lambda i: Req("GET", "/reconquete/"),
            lambda i: (floors.RECONQUEST, {}),
        ),
        Op(
            "satisfaction",
            "Satisfaction dashboard (network)",
            "director",
            "dashboard",
            lambda i: Req("GET", "/satisfaction/"),
            lambda i: (floors.SATISFACTION, {}),
        ),
        Op(
            "list_first",
            "API customer list, first page",
            "api",
            None,
            lambda i: Req("GET", "/api/v1/customers/"),
            lambda i: (floors.CUSTOMER_LIST, {"after": 0}),
        ),
        Op(
            "list_deep",
            "API customer list, deep cursor",
            "api",
            None,
            lambda i: Req("GET", "/api/v1/customers/", {"cursor": drf_cursor(pick(deep, i))}),
            lambda i: (floors.CUSTOMER_LIST, {"after": pick(deep, i)}),
        ),
        Op(
            "floor",
            "Framework floor (constant view)",
            "agent",
            None,
            lambda i: Req("GET", "/bench/floor/"),
        ),
    ]
