"""Two managers clicking "recompute" at the same moment share one run: each request has
its own connection, as under gunicorn."""

import datetime
import threading
import time

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections

from relation_client.runs.models import BackgroundRun
from relation_client.runs.services import run_start

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
HOUR = datetime.timedelta(hours=1)


def _in_threads(count: int, target) -> list:
    barrier = threading.Barrier(count)
    results: list = [None] * count

    def click(index: int) -> None:
        try:
            barrier.wait(timeout=10)
            results[index] = target()
        finally:
            connection.close()  # this thread's own connection

    threads = [threading.Thread(target=click, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


@pytest.mark.parametrize("kind", ["clics-1", "clics-2", "clics-3"])
def test_simultaneous_clicks_share_one_run(kind):
    queued = []
    runs = _in_threads(2, lambda: run_start(kind=kind, stale_after=HOUR, enqueue=queued.append).pk)
    assert runs[0] is not None and runs[0] == runs[1]
    assert BackgroundRun.objects.filter(kind=kind).count() == 1
    assert len(queued) == 1  # one task for the two clicks


def test_a_click_that_loses_the_race_on_insert_joins_the_winner():
    """The other request inserted its run but has not committed yet: this one's read sees
    nothing, its insert waits on the partial unique index, then joins the winner's run."""
    winner = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        winner.set_autocommit(False)
        with winner.cursor() as cursor:
            cursor.execute(
                "INSERT INTO runs_backgroundrun (kind, status, progress, step, params, error,"
                " created_at) VALUES ('course', 'queued', 0, '', '{}', '', now()) RETURNING id"
            )
            winner_id = cursor.fetchone()[0]
        joined: list = []
        loser = threading.Thread(
            target=lambda: (
                joined.append(run_start(kind="course", stale_after=HOUR).pk),
                connection.close(),
            )
        )
        loser.start()
        time.sleep(0.5)  # the loser is now blocked on the unique index
        assert not joined
        winner.commit()
        loser.join(timeout=30)
    finally:
        winner.close()
    assert joined == [winner_id]
    assert BackgroundRun.objects.filter(kind="course").count() == 1
