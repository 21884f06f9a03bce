from agences.selectors import agent_for_user


def current_agent(request) -> dict:
    """The signed-in agent (with their agency), for the navigation bar."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"current_agent": None}
    return {"current_agent": agent_for_user(user=user)}
