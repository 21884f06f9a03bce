from relation_client.touchpoints.selectors import navigation_counts_lazy


def alerts(request) -> dict:
    """The navigation bar's counts for the signed-in agent: `alert_count` (new and
    acknowledged alerts), `queue_count` (the open requests of their queue) and
    `overdue_count` (those past their deadline). One query for the three, run only when
    a template shows one of them; none for anonymous visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"alert_count": 0, "queue_count": 0, "overdue_count": 0}
    counts = navigation_counts_lazy(user_id=user.pk)
    return {
        "alert_count": counts["alerts"],
        "queue_count": counts["queue"],
        "overdue_count": counts["overdue"],
    }
