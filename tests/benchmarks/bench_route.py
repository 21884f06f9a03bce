"""Benchmark of the telephony routing (not a test: pytest collects only test_*.py).

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_route \\
        python tests/benchmarks/bench_route.py --customers 1000000

The phone system asks, for every incoming call, where to put it (docs/telephony.md): its
dial plan waits for the answer, so it must stay short however many customers the network
has. Works only on a database of its own (created and marked by demo.dataset.createdb,
refused when unmarked): it migrates it, seeds the demo network (agencies, agents with
their extensions) and brings the customers to --customers in one statement, each with a
mobile number, spread over the demo agents as usual contacts.

Then, requests interleaved (ours, the API, the floor; again) after warm-ups, each on a
number drawn at random among the customers:

- `call_route()`, the service;
- `GET /api/v1/telephony/route/` through Django's whole stack (middleware, token,
  throttle, serializer) in process, without the socket;
- the floor: the one statement that finds the number's customer with their usual
  contact and agency, through psycopg.

It prints p50/p95 in ms, the date, the machine and its load average.
"""

import argparse
import os
import platform
import random
import statistics
import sys
import time
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relation_client.settings")
# the phone system's token is limited like any partner's (API_TOKEN_RATE, 600/min): the
# benchmark's burst is not a PBX's traffic
os.environ.setdefault("API_TOKEN_RATE", "1000000/min")

MARK = "bench-route"

GENERATE = """
CREATE TEMP TABLE bench_agents AS
    SELECT row_number() OVER (ORDER BY id) - 1 AS i, id, agency_id FROM agences_agent;
INSERT INTO customers_customer (civility, first_name, last_name, preferred_name,
    preferred_language, birth_date, postal_address, needs, tags, created_at, updated_at,
    home_agency_id, usual_contact_id)
SELECT CASE WHEN n %% 2 = 0 THEN 'mme' ELSE 'm' END, 'Prénom' || (n %% 5000),
       'Nom' || (n %% 40000), '', 'fr', NULL, %(mark)s, '', '{}', now(), now(),
       a.agency_id, a.id
FROM generate_series(1, %(count)s) n
JOIN bench_agents a ON a.i = n %% (SELECT count(*) FROM bench_agents);
INSERT INTO customers_contactpoint (kind, value, label, created_at, customer_id)
SELECT 'phone', '+336' || lpad(c.id::text, 8, '0'), '', now(), c.id
FROM customers_customer c
WHERE c.postal_address = %(mark)s
  AND NOT EXISTS (SELECT 1 FROM customers_contactpoint p WHERE p.customer_id = c.id);
DROP TABLE bench_agents;
"""

FLOOR = """
SELECT c.id, c.first_name, c.last_name, a.phone_extension, ag.opening_hours
FROM customers_contactpoint p
JOIN customers_customer c ON c.id = p.customer_id
LEFT JOIN agences_agent a ON a.id = c.usual_contact_id
LEFT JOIN agences_agency ag ON ag.id = c.home_agency_id
WHERE p.kind = 'phone' AND p.value = %s AND c.anonymised_at IS NULL
ORDER BY c.id LIMIT 10
"""


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * share) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=1000)
    args = parser.parse_args()

    from demo.dataset.createdb import database_claim

    database_claim(os.environ["DATABASE_URL"])
    django.setup()

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from agences.models import Agent
    from relation_client.api.services import api_token_create
    from relation_client.customers.models import Customer
    from relation_client.telephony.services import call_route

    call_command("migrate", verbosity=0)
    if not Agent.objects.exclude(phone_extension="").exists():
        call_command("seed_demo", verbosity=0)
    have = Customer.objects.filter(postal_address=MARK).count()
    if have < args.customers:
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(GENERATE, {"mark": MARK, "count": args.customers - have})
            cursor.execute("ANALYZE")
        print(f"{args.customers - have} clients créés en {time.perf_counter() - started:.0f} s")

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT p.value FROM customers_contactpoint p JOIN customers_customer c "
            "ON c.id = p.customer_id WHERE c.postal_address = %s AND p.kind = 'phone' "
            "ORDER BY random() LIMIT %s",
            [MARK, args.requests * 3],
        )
        numbers = ["0" + value[3:] for (value,) in cursor.fetchall()]  # 06…, as a PBX says
    random.shuffle(numbers)

    _token, raw = api_token_create(
        name="Banc d'essai autocommutateur", agent=Agent.objects.first(), scopes=["telephony"]
    )
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}", HTTP_HOST="127.0.0.1")

    def ours(number):
        assert call_route(caller=number).customer is not None, number

    def api(number):
        response = client.get("/api/v1/telephony/route/", {"caller": number})
        assert response.status_code == 200, response.status_code

    def floor(number):
        with connection.cursor() as cursor:
            cursor.execute(FLOOR, ["+33" + number[1:]])
            assert cursor.fetchone() is not None, number

    ways = {"call_route() (service)": ours, "API, in process": api, "floor (one statement)": floor}
    times = {name: [] for name in ways}
    for number in numbers[:50]:  # warm-up
        for way in ways.values():
            way(number)
    for index, number in enumerate(numbers[50 : 50 + args.requests]):
        for name in list(ways)[index % 3 :] + list(ways)[: index % 3]:
            started = time.perf_counter()
            ways[name](number)
            times[name].append((time.perf_counter() - started) * 1000)

    total = Customer.objects.count()
    print(f"\nRoutage téléphonique, {total:,} clients, {args.requests} appels par voie")
    print(
        f"{time.strftime('%Y-%m-%d %H:%M %Z')} · {platform.processor() or platform.machine()} · "
        f"{os.cpu_count()} cœurs · charge {os.getloadavg()[0]:.2f}"
    )
    print("| voie | p50 (ms) | p95 (ms) |\n|---|---:|---:|")
    for name, values in times.items():
        print(f"| {name} | {statistics.median(values):.2f} | {percentile(values, 0.95):.2f} |")


if __name__ == "__main__":
    main()
