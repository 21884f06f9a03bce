"""Copy the reconquest recompute runs into the core's background runs (kind
"reconquest_indicators"); 0006 then drops their table. Stop the workers first: a task still
queued names its run by the old id. Only the newest waiting or running run stays active
(one per kind): the older ones had lost their worker, as the recompute button ignored them."""

from django.db import migrations

FORWARD = """
    INSERT INTO runs_backgroundrun (kind, status, progress, step, rows, params, task_id,
                                    requested_by_id, error, created_at, started_at, finished_at)
    SELECT 'reconquest_indicators',
           CASE WHEN r.status IN ('pending', 'running') AND r.id <> a.id THEN 'failed'
                WHEN r.status = 'pending' THEN 'queued' ELSE r.status END,
           r.progress, '', r.rows,
           jsonb_strip_nulls(
               jsonb_build_object('period_from', r.period_from, 'period_to', r.period_to)),
           r.task_id, r.requested_by_id,
           CASE WHEN r.status IN ('pending', 'running') AND r.id <> a.id
                THEN 'Abandonné : aucun processus ne l''a terminé.' ELSE r.error END,
           r.created_at, r.started_at,
           CASE WHEN r.status IN ('pending', 'running') AND r.id <> a.id
                THEN COALESCE(r.finished_at, r.created_at) ELSE r.finished_at END
    FROM reconquete_recomputerun r
    LEFT JOIN LATERAL (
        SELECT id FROM reconquete_recomputerun
        WHERE status IN ('pending', 'running') ORDER BY created_at DESC, id DESC LIMIT 1
    ) a ON true
    ORDER BY r.created_at, r.id
"""

BACKWARD = """
    INSERT INTO reconquete_recomputerun (task_id, requested_by_id, status, progress,
                                         period_from, period_to, rows, error, created_at,
                                         started_at, finished_at)
    SELECT COALESCE(b.task_id, gen_random_uuid()::text), b.requested_by_id,
           CASE WHEN b.status = 'queued' THEN 'pending' ELSE b.status END,
           b.progress, (b.params ->> 'period_from')::date, (b.params ->> 'period_to')::date,
           b.rows, b.error, b.created_at, b.started_at, b.finished_at
    FROM runs_backgroundrun b
    WHERE b.kind = 'reconquest_indicators'
    ORDER BY b.created_at, b.id;
    DELETE FROM runs_backgroundrun WHERE kind = 'reconquest_indicators';
"""


class Migration(migrations.Migration):
    dependencies = [
        ("reconquete", "0004_partition_ridership"),
        ("runs", "0001_background_run"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD, elidable=False)]
