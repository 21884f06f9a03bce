from relation_client.messaging.selectors import navigation_counts
from relation_client.touchpoints.selectors import LazyCount


def alerts(request) -> dict:
    """The navigation bar's counts: `alert_count`, the new and acknowledged alerts of the
    signed-in agent, and `unidentified_count`, the messages their agency's team has to
    identify (the bar shows it to the agencies' teams). One query for both, run only when
    a template shows one, and only once; none for anonymous visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"alert_count": 0}
    counts: dict[str, int] = {}

    def read(name: str) -> int:
        if not counts:
            counts.update(navigation_counts(user_id=user.pk))
        return counts[name]

    return {
        "alert_count": LazyCount(lambda: read("alerts")),
        "unidentified_count": LazyCount(lambda: read("unidentified")),
    }
