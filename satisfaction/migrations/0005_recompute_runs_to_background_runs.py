"""Copy the satisfaction recompute runs into the core's background runs (kind
"satisfaction_indicators"); 0006 then drops their table. Stop the workers first: a task
still queued names its run by the old id. The statuses are the same words; at most one
run was active, as the recompute button marked an older one failed before starting another."""

from django.db import migrations

FORWARD = """
    INSERT INTO runs_backgroundrun (kind, status, progress, step, rows, params, task_id,
                                    requested_by_id, error, created_at, started_at, finished_at)
    SELECT 'satisfaction_indicators',
           CASE WHEN r.status IN ('queued', 'running') AND r.id <> a.id THEN 'failed'
                ELSE r.status END,
           r.progress, r.step, r.rows, '{}'::jsonb, NULL, r.requested_by_id,
           CASE WHEN r.status IN ('queued', 'running') AND r.id <> a.id
                THEN 'Abandonné : aucun processus ne l''a terminé.' ELSE r.error END,
           r.created_at, r.started_at,
           CASE WHEN r.status IN ('queued', 'running') AND r.id <> a.id
                THEN COALESCE(r.finished_at, r.created_at) ELSE r.finished_at END
    FROM satisfaction_recomputerun r
    LEFT JOIN LATERAL (
        SELECT id FROM satisfaction_recomputerun
        WHERE status IN ('queued', 'running') ORDER BY created_at DESC, id DESC LIMIT 1
    ) a ON true
    ORDER BY r.created_at, r.id
"""

BACKWARD = """
    INSERT INTO satisfaction_recomputerun (status, requested_by_id, progress, step, rows,
                                           error, created_at, started_at, finished_at)
    SELECT b.status, b.requested_by_id, b.progress, b.step, COALESCE(b.rows, 0), b.error,
           b.created_at, b.started_at, b.finished_at
    FROM runs_backgroundrun b
    WHERE b.kind = 'satisfaction_indicators'
    ORDER BY b.created_at, b.id;
    DELETE FROM runs_backgroundrun WHERE kind = 'satisfaction_indicators';
"""


class Migration(migrations.Migration):
    dependencies = [
        ("satisfaction", "0004_default_surveys"),
        ("runs", "0001_background_run"),
    ]

    operations = [migrations.RunSQL(FORWARD, BACKWARD, elidable=False)]
