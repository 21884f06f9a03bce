from relation_client.touchpoints.selectors import alert_count_lazy


def alerts(request) -> dict:
    """`alert_count` for the navigation bar: new and acknowledged alerts of the signed-in
    agent. One query, run only when a template shows it; none for anonymous visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"alert_count": 0}
    return {"alert_count": alert_count_lazy(user_id=user.pk)}
