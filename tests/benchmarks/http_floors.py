"""The floors of the HTTP benchmark: each operation's lookup, aggregation or write
written by hand as ONE SQL statement, run through psycopg on the same database.

They return what the page or the API shows (the customer with their usual contact, open
requests and latest touchpoints; the 20 first rows of the timeline; the snapshot rows of
a dashboard), not a bare id: the floor is the data, without the framework.
"""

OPEN = "('open', 'waiting_customer')"

# the caller box and GET /api/v1/customers/lookup/: everyone on that (normalized) number,
# with usual contact, open requests and the 5 latest touchpoints
# where the phone system sends a caller: the usual contact's extension and the agency's
# queue, with the name for the announcement, in one statement
ROUTE = """
SELECT c.id, c.civility, c.first_name, c.last_name, uc.phone_extension, a.phone_queue
FROM customers_contactpoint cp
JOIN customers_customer c ON c.id = cp.customer_id
LEFT JOIN agences_agent uc ON uc.id = c.usual_contact_id
LEFT JOIN agences_agency a ON a.id = c.home_agency_id
WHERE cp.kind = 'phone' AND cp.value = %(phone)s
LIMIT 1
"""

LOOKUP = f"""
SELECT c.id, c.civility, c.first_name, c.last_name, c.preferred_name, c.tags, c.needs,
       s.name AS segment, ha.name AS home_agency, uc.display_name AS usual_contact,
       (SELECT coalesce(json_agg(r ORDER BY r.deadline), '[]') FROM (
            SELECT q.id, q.subject, q.deadline, q.status FROM touchpoints_request q
            WHERE q.customer_id = c.id AND q.status IN {OPEN}) r) AS open_requests,
       (SELECT coalesce(json_agg(t), '[]') FROM (
            SELECT t.id, t.occurred_at, t.channel, t.direction, t.summary,
                   ag.display_name AS agent, re.label AS reason
            FROM touchpoints_touchpoint t
            LEFT JOIN agences_agent ag ON ag.id = t.agent_id
            JOIN touchpoints_reason re ON re.id = t.reason_id
            WHERE t.customer_id = c.id
            ORDER BY t.occurred_at DESC, t.id DESC LIMIT 5) t) AS latest
FROM customers_contactpoint cp
JOIN customers_customer c ON c.id = cp.customer_id
LEFT JOIN customers_segment s ON s.id = c.segment_id
LEFT JOIN agences_agency ha ON ha.id = c.home_agency_id
LEFT JOIN agences_agent uc ON uc.id = c.usual_contact_id
WHERE cp.kind = 'phone' AND cp.value = %(phone)s
"""

# name search: the best index plan for the 20 names nearest the query by word similarity,
# straight from the GiST trigram index (`<->>` is 1 - word_similarity, its k-nearest-
# neighbour ordering), not the app's own threshold: a floor that reads every name above
# 0.3 would grow with the data as the app once did and hide it
SEARCH = """
SELECT c.id, c.civility, c.first_name, c.last_name, c.preferred_name, s.name AS segment,
       ha.name AS home_agency, uc.display_name AS usual_contact
FROM (SELECT id FROM customers_customer
      ORDER BY search_name <->> rc_search_norm(%(q)s) LIMIT 20) nearest
JOIN customers_customer c ON c.id = nearest.id
LEFT JOIN customers_segment s ON s.id = c.segment_id
LEFT JOIN agences_agency ha ON ha.id = c.home_agency_id
LEFT JOIN agences_agent uc ON uc.id = c.usual_contact_id
"""

# the customer page: record, contact points, identifiers, open requests, open reconquest
# case and the first timeline page (20 rows, and one more to know there is a next page)
CUSTOMER_PAGE = f"""
SELECT c.*, s.name AS segment, ha.name AS home_agency, uc.display_name AS usual_contact,
       (SELECT coalesce(json_agg(p ORDER BY p.id), '[]')
          FROM customers_contactpoint p WHERE p.customer_id = c.id) AS contact_points,
       (SELECT coalesce(json_agg(i ORDER BY i.id), '[]')
          FROM customers_identifier i WHERE i.customer_id = c.id) AS identifiers,
       (SELECT coalesce(json_agg(r ORDER BY r.deadline), '[]') FROM (
            SELECT q.id, q.subject, q.deadline, q.status, q.priority,
                   asg.display_name AS assignee, re.label AS reason
            FROM touchpoints_request q
            LEFT JOIN agences_agent asg ON asg.id = q.assignee_id
            JOIN touchpoints_reason re ON re.id = q.reason_id
            WHERE q.customer_id = c.id AND q.status IN {OPEN}) r) AS open_requests,
       (SELECT coalesce(json_agg(k), '[]') FROM reconquete_reconquestcase k
          WHERE k.customer_id = c.id AND k.status = 'open') AS open_case,
       (SELECT coalesce(json_agg(t), '[]') FROM (
            SELECT t.id, t.kind, t.occurred_at, t.channel, t.direction, t.summary, t.outcome,
                   t.mood, ag.display_name AS agent, agy.name AS agency, re.label AS reason,
                   q.status AS request_status
            FROM touchpoints_touchpoint t
            LEFT JOIN agences_agent ag ON ag.id = t.agent_id
            JOIN agences_agency agy ON agy.id = t.agency_id
            JOIN touchpoints_reason re ON re.id = t.reason_id
            LEFT JOIN touchpoints_request q ON q.id = t.request_id
            WHERE t.customer_id = c.id
            ORDER BY t.occurred_at DESC, t.id DESC LIMIT 21) t) AS timeline
FROM customers_customer c
LEFT JOIN customers_segment s ON s.id = c.segment_id
LEFT JOIN agences_agency ha ON ha.id = c.home_agency_id
LEFT JOIN agences_agent uc ON uc.id = c.usual_contact_id
WHERE c.id = %(id)s
"""

# logging an inbound question: the request it opens and the touchpoint, in one statement
# (the deadline is a fixed 2 days here; the app counts working hours and holidays)
TOUCHPOINT = """
WITH q AS (
    INSERT INTO touchpoints_request (channel, subject, status, deadline, priority, opened_at,
                                     agency_id, assignee_id, customer_id, reason_id)
    SELECT 'phone', %(summary)s, 'open', now() + interval '2 days',
           coalesce(s.priority, 9), now(), %(agency)s,
           coalesce(c.usual_contact_id, %(agent)s), c.id, %(reason)s
    FROM customers_customer c LEFT JOIN customers_segment s ON s.id = c.segment_id
    WHERE c.id = %(customer)s
    RETURNING id, customer_id
)
INSERT INTO touchpoints_touchpoint (kind, channel, direction, summary, occurred_at, outcome,
                                    mood, created_at, agency_id, agent_id, customer_id,
                                    reason_id, request_id)
SELECT 'interaction', 'phone', 'inbound', %(summary)s, now(), '', '', now(), %(agency)s,
       %(agent)s, q.customer_id, %(reason)s, q.id
FROM q
RETURNING id, request_id
"""

# the reconquest dashboard of the network: the 12-month trend, and the period's rows by
# segment, channel, campaign and agency
RECONQUEST = """
WITH p AS (
    SELECT max(period) AS latest FROM reconquete_reconquestsnapshot
    WHERE period < date_trunc('month', now())::date
)
SELECT s.* FROM reconquete_reconquestsnapshot s, p
WHERE (s.agency_id IS NULL AND s.dimension = 'total' AND s.key = ''
       AND s.period > p.latest - interval '12 months' AND s.period <= p.latest)
   OR (s.period = p.latest
       AND ((s.agency_id IS NULL AND s.dimension IN ('segment', 'channel', 'campaign'))
            OR s.dimension = 'total'))
ORDER BY s.period, s.label, s.key
"""

# the satisfaction dashboard of the network for the latest year: the gap rows (network
# by channel, each agency, the 24-month trend), team climate and response rates
SATISFACTION = """
WITH p AS (
    SELECT max(period) AS year FROM satisfaction_gapsnapshot
    WHERE agency_id IS NULL AND channel = '' AND period_kind = 'year'
)
SELECT 'gap', to_jsonb(g) FROM satisfaction_gapsnapshot g, p
WHERE (g.period_kind = 'year' AND g.period = p.year AND (g.agency_id IS NULL OR g.channel = ''))
   OR (g.period_kind = 'month' AND g.agency_id IS NULL AND g.channel = ''
       AND g.period > p.year - interval '13 months')
UNION ALL
SELECT 'team', to_jsonb(t) FROM satisfaction_teamsnapshot t, p
WHERE (t.period_kind = 'year' AND t.period = p.year)
   OR (t.period_kind = 'month' AND t.agency_id IS NULL AND t.period >= p.year)
UNION ALL
SELECT 'response', to_jsonb(r) FROM satisfaction_responsesnapshot r, p
WHERE r.period_kind = 'year' AND r.period = p.year
"""

# GET /api/v1/customers/: 50 customers in id order after the cursor's position
CUSTOMER_LIST = """
SELECT c.id, c.civility, c.first_name, c.last_name, c.preferred_name, c.tags,
       s.name AS segment, ha.name AS home_agency, uc.display_name AS usual_contact
FROM customers_customer c
LEFT JOIN customers_segment s ON s.id = c.segment_id
LEFT JOIN agences_agency ha ON ha.id = c.home_agency_id
LEFT JOIN agences_agent uc ON uc.id = c.usual_contact_id
WHERE c.id > %(after)s
ORDER BY c.id
LIMIT 51
"""
