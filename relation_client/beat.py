"""The nightly and periodic jobs Celery beat runs (settings.CELERY_BEAT_SCHEDULE), apart
from settings.py so that one reads the schedule in one place. Times are Europe/Paris
(CELERY_TIMEZONE)."""

from celery.schedules import crontab

CELERY_BEAT_SCHEDULE = {
    "cycle-measure-controls": {
        "task": "relation_client.cycle.tasks.cycle_measure_controls",
        "schedule": crontab(hour=4, minute=20),
    },
    # each agency's sample of last week's closed requests (idempotent: never twice a week)
    "quality-draw-samples": {
        "task": "relation_client.quality.tasks.quality_draw_samples",
        "schedule": crontab(hour=6, minute=0, day_of_week="mon"),
    },
    "partner-compliance": {
        "task": "relation_client.partners.tasks.partner_compliance_recompute",
        "schedule": crontab(hour=4, minute=30),
    },
    "retention-nightly": {
        "task": "relation_client.privacy.tasks.retention_nightly",
        "schedule": crontab(hour=3, minute=30),
    },
    # lets the health page tell whether beat and a worker are alive
    "heartbeat": {
        "task": "relation_client.tasks.heartbeat",
        "schedule": crontab(minute="*"),
    },
    # marks breached requests and warns of deadlines due within the hour
    "requests-check-deadlines": {
        "task": "relation_client.touchpoints.tasks.requests_check_deadlines",
        "schedule": crontab(minute="*/5"),
    },
    # replaces the satisfaction snapshots (gap, response rates, incivility, pulse)
    "satisfaction-compute-indicators": {
        "task": "satisfaction.tasks.compute_indicators",
        "schedule": crontab(hour=3, minute=40),
    },
    # closes the won-back reconquest cases, opens one for each newly lost customer
    "reconquete-detect-lapses": {
        "task": "reconquete.tasks.detect_lapses",
        "schedule": crontab(hour=2, minute=30),
    },
    # refreshes the months that the day's changes moved (returns, contacts, imports)
    "reconquete-update-indicators": {
        "task": "reconquete.tasks.update_indicators",
        "schedule": crontab(minute=15),
    },
    # the monthly ridership partitions of the year ahead (reconquete.partitions)
    "reconquete-ridership-partitions": {
        "task": "reconquete.tasks.ridership_partitions",
        "schedule": crontab(hour=1, minute=10),
    },
    # replaces the reconquest snapshots, after the night's detection
    "reconquete-compute-indicators": {
        "task": "reconquete.tasks.compute_indicators",
        "schedule": crontab(hour=4, minute=0),
    },
    # sends the partners' webhooks whose retry is due, or whose task was lost
    "webhooks-sweep": {
        "task": "relation_client.webhooks.tasks.webhooks_sweep",
        "schedule": crontab(minute="*"),
    },
    # fails the background runs whose worker stopped renewing its lease (killed, lost)
    "runs-expire": {
        "task": "relation_client.runs.tasks.runs_expire",
        "schedule": crontab(minute="*"),
    },
    # queues the survey invitations whose sending task was lost (Redis down at commit)
    "satisfaction-invitations-sweep": {
        "task": "satisfaction.tasks.invitations_sweep",
        "schedule": crontab(minute="*/5"),
    },
    # the network's service alerts (GTFS-Realtime) become disruptions, updated in place
    "network-poll-alerts": {
        "task": "relation_client.network.tasks.network_poll_alerts",
        "schedule": crontab(minute="*/2"),
    },
    # sends the outgoing mails and SMS whose retry is due, or whose task was lost
    "messaging-outbox-sweep": {
        "task": "relation_client.messaging.tasks.outbox_sweep",
        "schedule": crontab(minute="*"),
    },
    # fetches the mailboxes' new messages: stored once, filed, then marked read
    "messaging-mailboxes-poll": {
        "task": "relation_client.messaging.tasks.mailboxes_poll",
        "schedule": crontab(minute="*"),
    },
    "webhooks-purge": {
        "task": "relation_client.webhooks.tasks.webhooks_purge",
        "schedule": crontab(hour=4, minute=50),
    },
    # forgets the Idempotency-Keys past their 24 hours (the table would grow forever)
    "idempotency-purge": {
        "task": "relation_client.api.tasks.idempotency_purge",
        "schedule": crontab(hour=4, minute=55),
    },
}
