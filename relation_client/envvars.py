"""How settings read integers and booleans from the environment.

Every integer and boolean variable goes through these two: a bad value stops start-up
with one line naming it (manage.py prints ImproperlyConfigured as a single line).
"""

import environ
from django.core.exceptions import ImproperlyConfigured

env = environ.Env()


def env_bool(name: str, default: bool) -> bool:
    raw = env.str(name, default="")
    if raw == "":
        return default
    value = raw.strip().lower()
    if value in {"1", "true", "yes", "on"}:
        return True
    if value in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {raw!r}.")


def env_int(name: str, default: int, minimum: int = 0) -> int:
    raw = env.str(name, default="")
    if raw.strip() == "":
        return default
    try:
        value = int(raw.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {raw!r}.") from None
    if value < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {value}.")
    return value
