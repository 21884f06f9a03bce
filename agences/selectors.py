from django.utils import timezone

from agences.models import Agency, Agent


def agent_for_user(*, user) -> Agent | None:
    """The user's agent profile with its agency, loaded once per request."""
    if not hasattr(user, "_agent_cache"):
        user._agent_cache = Agent.objects.select_related("agency").filter(user=user).first()
    return user._agent_cache


def agency_today(*, agency: Agency) -> dict:
    """Today's opening hours and team size of an agency, in Paris time."""
    today = timezone.localdate()
    return {
        "date": today,
        "hours": agency.opening_hours.get(str(today.isoweekday()), []),
        "team_size": agency.agents.count(),
    }
