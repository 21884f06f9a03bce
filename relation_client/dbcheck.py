"""Say which database could not be reached, never with its password."""

from django.conf import settings


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
