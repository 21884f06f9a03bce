"""The incremental refresh of the reconquest snapshots: only the months that the changes
made since a moment can have moved are recomputed, from the earliest one to this month.

Which months a change moves:
- a ridership month imported or corrected: that month (its trips, new customers), and
  every month when it lies in a segment's baseline period (the baselines change);
- a case opened (its `updated_at`): its opening month;
- a case won back (its `updated_at`; the return itself is dated in the past, the month
  the ridership shows it): the month of its return, and the months of its opening,
  campaign targeting and first contact when they lie within the 90 days before it (the
  "won back within 30/90 days" figures); an older opening month does not move;
- a campaign target or a contact logged: the month it is dated;
- a change of the detection settings: every month.
"""

import datetime

from django.db import connection
from django.utils import timezone

from reconquete.services.indicators import (
    HISTORY_MONTHS,
    PARIS_MONTH,
    ComputeReport,
    Progress,
    _add_months,
    snapshot_compute,
)
from reconquete.services.lapses import PARAMS, thresholds_params

WON_BACK_WINDOW_DAYS = 90

# the earliest moment a changed case counts at: its opening; once won back, the window
# before its return (its opening, targeting and first contact count a return within it)
OLDEST_MOVED = "GREATEST(opened_at, COALESCE(won_back_at - %(window)s, opened_at))"

EARLIEST_MONTH = f"""
    WITH {PARAMS}
    SELECT
        EXISTS (SELECT 1 FROM reconquete_reconquestsettings WHERE updated_at >= %(since)s)
        OR EXISTS (
            SELECT 1 FROM reconquete_ridershipmonth r JOIN params p
                ON r.month BETWEEN p.baseline_start AND p.baseline_end
            WHERE r.updated_at >= %(since)s) AS everything,
        LEAST(
            (SELECT MIN(month) FROM reconquete_ridershipmonth WHERE updated_at >= %(since)s),
            (SELECT MIN({PARIS_MONTH.format(ts=OLDEST_MOVED)})
             FROM reconquete_reconquestcase WHERE updated_at >= %(since)s),
            (SELECT MIN({PARIS_MONTH.format(ts="created_at")}) FROM reconquete_campaigntarget
             WHERE created_at >= %(since)s),
            (SELECT MIN({PARIS_MONTH.format(ts="ct.occurred_at")})
             FROM reconquete_reconquestcontact ct
             JOIN touchpoints_touchpoint tp ON tp.id = ct.touchpoint_id
             WHERE tp.created_at >= %(since)s)
        ) AS earliest
"""


def last_computed_at() -> datetime.datetime | None:
    """When the latest snapshot rows were computed: what an update starts from."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT MAX(computed_at) FROM reconquete_reconquestsnapshot")
        return cursor.fetchone()[0]


def snapshot_update(
    *,
    since: datetime.datetime,
    until: datetime.date | None = None,
    progress: Progress | None = None,
) -> ComputeReport | None:
    """Recompute the months that what changed since `since` can have moved, up to `until`
    (this month by default): a few months on an ordinary day, every month after a change
    of settings or of a baseline month. None when nothing changed."""
    with connection.cursor() as cursor:
        cursor.execute(
            EARLIEST_MONTH,
            {
                **thresholds_params(),
                "since": since,
                "window": datetime.timedelta(days=WON_BACK_WINDOW_DAYS),
            },
        )
        everything, earliest = cursor.fetchone()
    if everything:
        return snapshot_compute(progress=progress)
    if earliest is None:
        return None
    period_to = (until or timezone.localdate()).replace(day=1)
    period_from = min(earliest, period_to)
    # the full recompute's horizon bounds an old correction too
    period_from = max(period_from, _add_months(period_to, -(HISTORY_MONTHS - 1)))
    return snapshot_compute(period_from=period_from, period_to=period_to, progress=progress)
