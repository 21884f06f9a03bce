from relation_client.messaging.selectors import NAVIGATION_COUNTS, navigation_counts
from relation_client.touchpoints.selectors import LazyCount


def alerts(request) -> dict:
    """The navigation bar's counts for the signed-in agent: `alert_count` (new and
    acknowledged alerts), `queue_count` (the open requests of their queue),
    `overdue_count` (those past their deadline) and `unidentified_count` (the messages
    their agency's team has to identify). One query for the four, run only when a
    template shows one of them, and only once; none for anonymous visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"alert_count": 0, "queue_count": 0, "overdue_count": 0}
    counts: dict[str, int] = {}

    def read(name: str) -> int:
        if not counts:
            counts.update(navigation_counts(user_id=user.pk))
        return counts[name]

    return {
        f"{'alert' if name == 'alerts' else name}_count": LazyCount(lambda name=name: read(name))
        for name in NAVIGATION_COUNTS
    }
