"""How a conversation is followed across mails: our Message-IDs, and the request's
reference written in every subject (the fallback when a mail client drops the headers)."""

import re
import secrets

from django.conf import settings

# "[RC-000042]" in a subject: the request 42
REFERENCE_PATTERN = re.compile(r"\[RC-(\d{1,12})\]")
# every Message-ID we write ends with this: a mail of ours coming back is recognised
OWN_ID_MARK = "rc"


def mail_domain() -> str:
    """The domain of our Message-IDs: settings.MAIL_DOMAIN, else the sender's domain."""
    domain = getattr(settings, "MAIL_DOMAIN", "")
    if not domain:
        address = settings.DEFAULT_FROM_EMAIL.rsplit("<", 1)[-1].rstrip(">")
        domain = address.rsplit("@", 1)[-1] or "relation-client.invalid"
    return domain


def message_id_new() -> str:
    """<rc.<random>@domain>: unique, and recognisable as ours."""
    return f"<{OWN_ID_MARK}.{secrets.token_hex(12)}@{mail_domain()}>"


def message_id_is_ours(message_id: str) -> bool:
    value = message_id.strip().strip("<>")
    return value.startswith(f"{OWN_ID_MARK}.") and value.endswith(f"@{mail_domain()}")


def subject_with_reference(subject: str, request_id: int) -> str:
    token = f"[RC-{request_id:06d}]"  # Request.reference
    return subject if token in subject else f"{subject} {token}".strip()


def reference_in(subject: str) -> int | None:
    """The request a subject names, if it carries our token."""
    match = REFERENCE_PATTERN.search(subject or "")
    return int(match.group(1)) if match else None


def ids_in(header: str) -> list[str]:
    """The Message-IDs of an In-Reply-To or References header, in order."""
    return re.findall(r"<[^<>\s]+>", header or "")
