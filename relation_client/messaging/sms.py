"""The SMS provider: one HTTP interface, configured by the environment.

    POST SMS_GATEWAY_URL
    Authorization: Bearer SMS_GATEWAY_TOKEN
    {"to": "+33612345678", "from": SMS_SENDER, "text": "…", "reference": "rc-sms-42"}

A 2xx means the provider took the message: sent. A 4xx means it refuses this message (a
number it cannot reach, a text it will not carry): retrying cannot help, the message is
failed at once — except 408 and 429 (too slow, too many), retried. A 5xx, a 3xx, a timeout
or a connection error is retried with the outbox's backoff. The reference is stable across
attempts, so a provider that deduplicates never sends a retry twice.

Without SMS_GATEWAY_URL: with DEBUG, each SMS is written as a JSON file under .data/sms
(like the mails under .data/mails); otherwise the message fails at once with "passerelle
SMS non configurée", visible on its row and its request.
"""

import json
from http.client import HTTPConnection, HTTPException, HTTPSConnection
from pathlib import Path
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from relation_client.messaging.models import OutboundMessage
from relation_client.messaging.senders import SendRefused

USER_AGENT = "RelationClient-SMS/1"
# the provider's answer is read (so the connection ends cleanly) but never kept
ANSWER_READ_LIMIT = 64 * 1024
# 4xx answers that say "later", not "never"
RETRIED_CLIENT_ERRORS = {408, 425, 429}


def sms_payload(message: OutboundMessage) -> dict[str, str]:
    return {
        "to": message.to_address,
        "from": message.from_address or settings.SMS_SENDER,
        "text": message.body_text,
        "reference": f"rc-sms-{message.pk}",
    }


def _sms_file_write(message: OutboundMessage, payload: dict[str, str]) -> str:
    folder = Path(settings.SMS_FILE_PATH)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        path = folder / f"{stamp}-{message.pk}.json"
        path.write_text(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
    except OSError as error:
        return f"{type(error).__name__}: {error}"
    return ""


def sms_send(message: OutboundMessage) -> str:
    """One attempt at one SMS: "" when the provider took it, else the error to retry on;
    raises SendRefused when retrying cannot help."""
    payload = sms_payload(message)
    url = settings.SMS_GATEWAY_URL
    if not url:
        if settings.SMS_FILE_PATH:
            return _sms_file_write(message, payload)
        raise SendRefused(_("Passerelle SMS non configurée (SMS_GATEWAY_URL)."))
    parts = urlsplit(url)
    connection_class = {"http": HTTPConnection, "https": HTTPSConnection}.get(parts.scheme)
    if connection_class is None or not parts.hostname:
        raise SendRefused(_("Adresse de la passerelle SMS invalide."))
    body = json.dumps(payload, ensure_ascii=False).encode()
    headers = {
        "Authorization": f"Bearer {settings.SMS_GATEWAY_TOKEN}",
        "Content-Type": "application/json; charset=utf-8",
        "Accept": "application/json",
        "User-Agent": USER_AGENT,
    }
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    connection = connection_class(
        parts.hostname, parts.port, timeout=settings.SMS_GATEWAY_TIMEOUT_SECONDS
    )
    try:
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(ANSWER_READ_LIMIT)
    except (OSError, HTTPException, ValueError) as error:
        # refused, timed out, reset, TLS refused, a malformed answer
        return f"{type(error).__name__}: {error}"[:200]
    finally:
        connection.close()
    status = response.status
    if 200 <= status < 300:
        return ""
    if 400 <= status < 500 and status not in RETRIED_CLIENT_ERRORS:
        raise SendRefused(
            _("HTTP %(status)s : message refusé par la passerelle SMS (numéro invalide ?).")
            % {"status": status}
        )
    return f"HTTP {status}"
