"""Beat job of the network: a thin wrapper around the poller."""

import dataclasses

from celery import shared_task

from relation_client.network.alerts import network_alerts_poll


@shared_task(name="relation_client.network.tasks.network_poll_alerts")
def network_poll_alerts() -> dict | None:
    """The service alerts of the feed, as disruptions. An unreachable feed fails the run
    (visible in the worker's log); the next poll, two minutes later, catches up."""
    report = network_alerts_poll()
    return dataclasses.asdict(report) if report else None
