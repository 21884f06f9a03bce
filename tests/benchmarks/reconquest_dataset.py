"""The generated data set of the reconquest benchmark (bench_reconquest.py): a few
reference rows through the ORM, then customers, their consents, ridership,
subscriptions, cases, campaign targets and contacts loaded entirely in SQL
(INSERT … SELECT generate_series).

Consents as the field sees them: most customers agreed at the counter or on the web,
about one in thirteen withdrew later (the latest row wins), one in eleven was never
asked; a campaign target is contactable on the channels its customer consents to now."""

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT) not in sys.path:  # demo.dataset.createdb: whose databases these are
    sys.path.insert(0, str(ROOT))

AGENCIES = ["Bench Nord", "Bench Sud", "Bench Est", "Bench Ouest"]

# the months of the data set: the 24 complete months before the current one
MONTHS = """
    SELECT (date_trunc('month', now() AT TIME ZONE 'Europe/Paris') - make_interval(months => m))::date
           AS month, 24 - m AS idx
    FROM generate_series(1, 24) AS m
"""

LOAD = [
    # N customers over the agencies and segments; ids 1..N (identities restarted)
    """
    INSERT INTO customers_customer (civility, first_name, last_name, preferred_name,
        preferred_language, birth_date, postal_address, needs, tags, segment_id,
        home_agency_id, usual_contact_id, created_at, updated_at, anonymised_at)
    SELECT '', 'Prénom' || g, 'Nom' || (g %% 9973), '', 'fr',
           DATE '1950-01-01' + (g * 37 %% 20000), '', '', '{}',
           (%(segments)s::bigint[])[1 + (g / 4) %% cardinality(%(segments)s::bigint[])],
           (%(agencies)s::bigint[])[1 + g %% cardinality(%(agencies)s::bigint[])],
           (%(agents)s::bigint[])[1 + g %% cardinality(%(agents)s::bigint[])],
           now() - interval '3 years', now(), NULL
    FROM generate_series(1, %(n)s) AS g
    """,
    # consent rows (never updated: the latest per customer, channel and purpose is the
    # state): ten customers in eleven were asked, a month or two after they arrived, and
    # agreed to offers by phone, e-mail and SMS and to surveys by e-mail, except one in
    # twenty-five who refused SMS; one in thirteen withdrew their phone and e-mail offers
    # later, at their own request; one in eleven (id mod 11 = 7) has no row at all.
    # The moduli differ from the cases' (id mod 20) so that campaign targets meet all three
    """
    INSERT INTO customers_consent (customer_id, channel, purpose, given, recorded_at,
        source, recorded_by_id)
    SELECT c.id, k.channel, k.purpose,
           NOT (k.channel = 'sms' AND c.id %% 25 = 1),
           c.created_at + make_interval(days => (30 + c.id %% 60)::int),
           (ARRAY['counter', 'web', 'app', 'phone'])[1 + c.id %% 4], NULL::bigint
    FROM customers_customer c
    CROSS JOIN (VALUES ('phone', 'marketing'), ('email', 'marketing'), ('sms', 'marketing'),
                       ('email', 'surveys')) AS k (channel, purpose)
    WHERE c.id %% 11 <> 7
    UNION ALL
    SELECT c.id, k.channel, 'marketing', false,
           now() - make_interval(days => (10 + c.id %% 300)::int), 'customer_request', NULL
    FROM customers_customer c
    CROSS JOIN (VALUES ('phone'), ('email')) AS k (channel)
    WHERE c.id %% 13 = 3 AND c.id %% 11 <> 7
    """,
    # 24 months each: 5 to 44 trips; customers of the first two segments lose 50 to 70 %
    # in the second year, a third of them partly recover in the last 4 months
    f"""
    INSERT INTO reconquete_ridershipmonth (customer_id, month, trips, updated_at)
    SELECT c.id, m.month,
           GREATEST(0, round(
               (5 + (c.id * 7 + m.idx * 3) %% 40)
               * CASE WHEN c.segment_id = ANY(%(drop_segments)s::bigint[]) AND m.idx > 12
                      THEN CASE WHEN c.id %% 3 = 0 AND m.idx > 20 THEN 0.8
                                ELSE 0.3 + (c.id %% 3) * 0.1 END
                      ELSE 1 END))::int,
           now()
    FROM customers_customer c CROSS JOIN ({MONTHS}) m
    """,
    # one subscription each; one in ten ended (a quarter of those cancelled)
    """
    INSERT INTO reconquete_subscription (customer_id, contract_number, product, start_date,
        end_date, status, sales_channel, updated_at)
    SELECT c.id, 'BENCH-' || c.id,
           (ARRAY['Pass mensuel', 'Pass annuel', 'Pass jeune', 'Pass senior'])[1 + c.id %% 4],
           DATE '2023-01-01' + (c.id %% 300)::int,
           CASE WHEN c.id %% 10 = 0 THEN CURRENT_DATE - (30 + c.id %% 400)::int END,
           CASE WHEN c.id %% 10 <> 0 THEN 'active'
                WHEN c.id %% 40 = 0 THEN 'cancelled' ELSE 'ended' END,
           (ARRAY['counter', 'web', 'app', 'phone', 'machine', 'employer'])[1 + c.id %% 6],
           now()
    FROM customers_customer c
    """,
    # cases for 15 % of customers, opened over the last 18 months; about 44 % won back
    # 3 to 160 days later (if that is already past), some closed, the rest open
    """
    INSERT INTO reconquete_reconquestcase (customer_id, reason, status, agency_id, segment_id,
        lost_since, watch_from, opened_at, won_back_at, closed_at, subscription_id,
        baseline_trips, recent_trips, threshold_trips, details)
    SELECT x.id, x.reason,
           CASE WHEN x.win AND x.back < now() THEN 'won_back'
                WHEN x.id %% 7 = 3 THEN 'closed' ELSE 'open' END,
           x.home_agency_id, x.segment_id,
           (x.opened AT TIME ZONE 'Europe/Paris')::date - 30,
           date_trunc('month', x.opened AT TIME ZONE 'Europe/Paris')::date,
           x.opened,
           CASE WHEN x.win AND x.back < now() THEN x.back END,
           CASE WHEN NOT (x.win AND x.back < now()) AND x.id %% 7 = 3
                THEN x.opened + interval '120 days' END,
           CASE WHEN x.reason = 'lapsed_subscription' THEN s.id END,
           20, 8, 14, '{}'
    FROM (
        SELECT c.id, c.home_agency_id, c.segment_id,
               (ARRAY['lapsed_subscription', 'ridership_drop', 'inactive'])[1 + c.id %% 3]
                   AS reason,
               now() - make_interval(days => (5 + (c.id * 13) %% 540)::int, hours => (c.id %% 10)::int)
                   AS opened,
               c.id %% 20 = 0 OR (c.id %% 20 = 5 AND c.id %% 3 = 0) AS win,
               now() - make_interval(days => (5 + (c.id * 13) %% 540)::int, hours => (c.id %% 10)::int)
                   + make_interval(days => (3 + (c.id * 7) %% 158)::int) AS back
        FROM customers_customer c
        WHERE c.id %% 20 IN (0, 5, 10)
    ) x
    LEFT JOIN reconquete_subscription s ON s.customer_id = x.id
    """,
    # campaign targets for two cases in three, contactable on the channels (phone,
    # e-mail) their customer consents to now, as the launch decides
    """
    INSERT INTO reconquete_campaigntarget (campaign_id, customer_id, case_id, agent_id,
        is_usual_contact, contactable, channels, not_contactable_reason, outcome,
        outcome_at, touchpoint_id, created_at)
    SELECT (%(campaigns)s::bigint[])[1 + rc.id %% cardinality(%(campaigns)s::bigint[])],
           rc.customer_id, rc.id, c.usual_contact_id, true, cardinality(ok.channels) > 0,
           ok.channels,
           CASE WHEN cardinality(ok.channels) = 0 THEN 'no_consent' ELSE '' END, '', NULL,
           NULL, rc.opened_at + interval '1 day'
    FROM reconquete_reconquestcase rc JOIN customers_customer c ON c.id = rc.customer_id
    CROSS JOIN LATERAL (
        SELECT COALESCE(array_agg(k.channel ORDER BY k.channel DESC) FILTER (WHERE k.given),
                        '{}')::varchar[] AS channels
        FROM (
            SELECT DISTINCT ON (channel) channel, given
            FROM customers_consent
            WHERE customer_id = rc.customer_id AND purpose = 'marketing'
              AND channel IN ('phone', 'email')
            ORDER BY channel, recorded_at DESC, id DESC
        ) k
    ) ok
    WHERE rc.id %% 3 <> 0
    """,
    # one or two reconquest touchpoints per contactable target, then their contacts
    """
    INSERT INTO touchpoints_touchpoint (kind, customer_id, channel, direction, reason_id,
        summary, agent_id, agency_id, occurred_at, outcome, mood, request_id, created_at)
    SELECT 'interaction', t.customer_id,
           (ARRAY['phone', 'phone', 'email', 'counter'])[1 + (t.id + k) %% 4], 'outbound',
           %(reason)s, 'Appel de reconquête', t.agent_id, rc.agency_id,
           t.created_at + make_interval(days => 2 + 4 * k, hours => (t.id %% 8)::int), '', '', NULL,
           t.created_at + make_interval(days => 2 + 4 * k, hours => (t.id %% 8)::int)
    FROM reconquete_campaigntarget t
    JOIN reconquete_reconquestcase rc ON rc.id = t.case_id
    CROSS JOIN LATERAL generate_series(0, (t.id %% 2)::int) AS k
    WHERE t.contactable
      AND t.created_at + make_interval(days => 2 + 4 * k, hours => (t.id %% 8)::int) < now()
    """,
    """
    INSERT INTO reconquete_reconquestcontact (case_id, campaign_id, target_id, touchpoint_id,
        outcome, channel, occurred_at, agent_id)
    SELECT t.case_id, t.campaign_id, t.id, tp.id,
           (ARRAY['reached', 'accepted', 'declined', 'unreachable', 'unreachable',
                  'do_not_contact'])[1 + tp.id %% 6],
           tp.channel, tp.occurred_at, tp.agent_id
    FROM touchpoints_touchpoint tp
    JOIN reconquete_campaigntarget t ON t.customer_id = tp.customer_id
    WHERE tp.reason_id = %(reason)s
    """,
    # attribution: a won-back case goes to its latest reached contact before the return
    """
    UPDATE reconquete_reconquestcase rc
    SET attributed_touchpoint_id = a.touchpoint_id, attributed_campaign_id = a.campaign_id
    FROM (
        SELECT DISTINCT ON (ct.case_id) ct.case_id, ct.touchpoint_id, ct.campaign_id
        FROM reconquete_reconquestcontact ct
        JOIN reconquete_reconquestcase c ON c.id = ct.case_id
        WHERE c.status = 'won_back' AND ct.occurred_at < c.won_back_at
          AND ct.outcome IN ('reached', 'accepted', 'declined')
        ORDER BY ct.case_id, ct.occurred_at DESC
    ) a
    WHERE rc.id = a.case_id
    """,
    # last outcome on the target
    """
    UPDATE reconquete_campaigntarget t SET outcome = ct.outcome, outcome_at = ct.occurred_at,
        touchpoint_id = ct.touchpoint_id
    FROM (
        SELECT DISTINCT ON (target_id) target_id, outcome, occurred_at, touchpoint_id
        FROM reconquete_reconquestcontact ORDER BY target_id, occurred_at DESC
    ) ct
    WHERE ct.target_id = t.id
    """,
]


def ensure_database(url: str) -> None:
    """The benchmark's own database: created (and marked) if missing, refused if it
    exists without the mark (demo/dataset/createdb.py)."""
    from demo.dataset.createdb import database_claim

    database_claim(url)


def reference_rows() -> dict:
    """The few rows the generated data points to, created through the ORM if missing."""
    from django.contrib.auth import get_user_model

    from agences.models import Agency, Agent
    from reconquete.models import Campaign, ReconquestSettings
    from reconquete.services.indicators import _add_months
    from relation_client.customers.models import Segment
    from relation_client.touchpoints.models import Reason

    agencies = [
        Agency.objects.get_or_create(name=name, defaults={"city": name.split()[1]})[0]
        for name in AGENCIES
    ]
    while Segment.objects.count() < 4:
        Segment.objects.create(name=f"Bench segment {Segment.objects.count() + 1}")
    segments = list(Segment.objects.order_by("priority", "name")[:4])
    User = get_user_model()
    agents = []
    for index, agency in enumerate(agencies):
        for seat in range(2):
            user, _ = User.objects.get_or_create(username=f"bench-agent-{index}-{seat}")
            agents.append(
                Agent.objects.get_or_create(
                    user=user, defaults={"agency": agency, "display_name": user.username}
                )[0]
            )
    reason = Reason.objects.get(code="reconquest")
    from django.utils import timezone

    current = timezone.localdate().replace(day=1)
    first = _add_months(current, -24)
    campaigns = []
    for name, offer in [("Bench : mois offert", "free_month"), ("Bench : réduction", "discount")]:
        campaign, created = Campaign.objects.get_or_create(
            name=name,
            defaults={
                "status": "active",
                "offer_type": offer,
                "offer_text": name,
                "channels": ["phone", "email"],
                "starts_on": first,
                "ends_on": current,
                "created_by": agents[0],
            },
        )
        if created:
            campaign.agencies.set(agencies)
        campaigns.append(campaign)
    # the baseline is the first year of the data set (the default, 2019, has no data)
    ReconquestSettings.objects.update_or_create(
        segment=None,
        defaults={"baseline_start": first, "baseline_end": _add_months(first, 11)},
    )
    return {
        "agencies": [a.pk for a in agencies],
        "segments": [s.pk for s in segments],
        "drop_segments": [s.pk for s in segments[:2]],
        "agents": [a.pk for a in agents],
        "campaigns": [c.pk for c in campaigns],
        "reason": reason.pk,
        "baseline": (first, _add_months(first, 11)),
    }


def load(url: str, customers: int, refs: dict, reload: bool) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        present = conn.execute("SELECT count(*) FROM customers_customer").fetchone()[0]
        if present == customers and not reload:
            print(f"data set present ({customers} customers): not reloaded")
            return
        started = time.perf_counter()
        with conn.transaction():
            conn.execute(
                "TRUNCATE customers_customer, touchpoints_touchpoint, "
                "reconquete_reconquestsnapshot RESTART IDENTITY CASCADE"
            )
            params = {key: value for key, value in refs.items() if key != "baseline"}
            params["n"] = customers
            for statement in LOAD:
                step = time.perf_counter()
                cursor = conn.execute(statement, params)
                words = statement.split()
                label = words[2] if words[0] == "INSERT" else f"UPDATE {words[1]}"
                print(
                    f"  {label:<40} {cursor.rowcount:>10} rows {time.perf_counter() - step:7.1f} s"
                )
        step = time.perf_counter()
        conn.execute("VACUUM ANALYZE")
        print(f"  VACUUM ANALYZE {time.perf_counter() - step:.1f} s")
        print(f"loaded in {time.perf_counter() - started:.1f} s")


def counts(url: str) -> dict:
    import psycopg

    tables = [
        "customers_customer",
        "customers_consent",
        "reconquete_ridershipmonth",
        "reconquete_subscription",
        "reconquete_reconquestcase",
        "reconquete_campaigntarget",
        "touchpoints_touchpoint",
        "reconquete_reconquestcontact",
    ]
    with psycopg.connect(url) as conn:
        result = {t: conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in tables}
        result["won back"] = conn.execute(
            "SELECT count(*) FROM reconquete_reconquestcase WHERE status = 'won_back'"
        ).fetchone()[0]
        result["consenting now (offers, phone)"] = conn.execute(
            """
            SELECT count(*) FILTER (WHERE given) FROM (
                SELECT DISTINCT ON (customer_id) given FROM customers_consent
                WHERE channel = 'phone' AND purpose = 'marketing'
                ORDER BY customer_id, recorded_at DESC, id DESC
            ) current
            """
        ).fetchone()[0]
        result["contactable targets"] = conn.execute(
            "SELECT count(*) FROM reconquete_campaigntarget WHERE contactable"
        ).fetchone()[0]
    return result
