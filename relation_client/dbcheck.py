"""Say which database could not be reached, never with its password."""

from django.conf import settings


def is_unreachable(error: Exception) -> bool:
    """A failure to connect (no SQLSTATE, or class 08), not an error the server answered
    with (a lock, a timeout, a migration's statement): those keep their traceback."""
    sqlstate = getattr(error.__cause__, "sqlstate", None) or getattr(error, "sqlstate", None)
    return sqlstate is None or sqlstate.startswith("08")


def describe_unreachable(error: Exception) -> str:
    database = settings.DATABASES["default"]
    where = database.get("HOST") or "local socket"
    if database.get("PORT"):
        where = f"{where}:{database['PORT']}"
    # psycopg's message names host and port but not the password; first line only
    reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    password = database.get("PASSWORD")
    if password:
        reason = reason.replace(password, "***")
    return (
        f"Cannot reach the PostgreSQL database {database.get('NAME')!r} at {where} "
        f"(DATABASE_URL): {reason}"
    )
