"""The signature partners check: HMAC-SHA256 of "{timestamp}.{body}" with the secret.

docs/webhooks.md shows the same check for receivers; keep the two in step.
"""

import hashlib
import hmac
import json

SIGNATURE_SCHEME = "sha256"
# receivers should refuse a signature older than this (replayed requests)
TOLERANCE_SECONDS = 300


def body_encode(payload: dict) -> bytes:
    """The exact bytes sent and signed: compact JSON, keys sorted, UTF-8."""
    return json.dumps(payload, ensure_ascii=False, separators=(",", ":"), sort_keys=True).encode()


def signature(*, secret: str, timestamp: int, body: bytes) -> str:
    """The X-RC-Signature header value."""
    message = f"{timestamp}.".encode() + body
    digest = hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()
    return f"{SIGNATURE_SCHEME}={digest}"


def signature_valid(
    *, secret: str, timestamp: str, body: bytes, header: str, now: float | None = None
) -> bool:
    """What a receiver does: recompute, compare in constant time, refuse stale stamps."""
    try:
        stamp = int(timestamp)
    except (TypeError, ValueError):
        return False
    if now is not None and abs(now - stamp) > TOLERANCE_SECONDS:
        return False
    expected = signature(secret=secret, timestamp=stamp, body=body)
    return hmac.compare_digest(expected, header or "")
