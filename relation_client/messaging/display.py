"""How a received message is shown to staff: its codes in words, its HTML part, the type an
attachment is downloaded with."""

import re

import nh3
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

from relation_client.messaging.models import InboundFlag

# inbound.automatic_reason's codes, in words
AUTOMATIC_REASONS = {
    "loop": _("Notre propre message, revenu"),
    "auto-submitted": _("Réponse automatique (en-tête Auto-Submitted)"),
    "precedence": _("Envoi en nombre (en-tête Precedence)"),
    "mailing-list": _("Liste de diffusion"),
    "auto-reply": _("Répondeur automatique"),
    "bounce": _("Avis de non-remise"),
}

# what the page shows of the HTML part: the parser's allowlist already applied (body_html
# is sanitised when the message is stored), minus what would reach outside the page — an
# image loads from the sender's server (a read receipt they did not ask us for, and the
# Content Security Policy refuses it anyway) — and with links that open nothing of ours
DISPLAY_TAGS = set(nh3.ALLOWED_TAGS) - {"img", "map", "area"}
DISPLAY_URL_SCHEMES = {"http", "https", "mailto"}

# a MIME type as RFC 2045 writes it: anything else is downloaded as bytes
MIME_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$")
# types a browser would interpret as a page or a script, whatever the disposition says
ACTIVE_TYPES = {
    "text/html",
    "application/xhtml+xml",
    "image/svg+xml",
    "text/xml",
    "application/xml",
    "text/javascript",
    "application/javascript",
    "application/ecmascript",
}


def automatic_reason_text(code: str) -> str:
    return str(AUTOMATIC_REASONS.get(code, code))


def flag_labels(flags: list[str]) -> list[str]:
    """The flags of a message or the refusal of an attachment, in words."""
    labels = dict(InboundFlag.choices)
    return [str(labels.get(flag, flag)) for flag in flags]


def html_for_display(body_html: str) -> SafeString:
    """The sanitised HTML part, cleaned once more with the page's narrower allowlist; the
    only HTML of a message ever marked safe is what nh3 returns here."""
    if not body_html.strip():
        return mark_safe("")
    cleaned = nh3.clean(
        body_html,
        tags=DISPLAY_TAGS,
        url_schemes=DISPLAY_URL_SCHEMES,
        link_rel="noopener noreferrer nofollow",
        # a link of the customer's opens beside the workspace, never in its place
        set_tag_attribute_values={"a": {"target": "_blank"}},
        strip_comments=True,
    )
    return mark_safe(cleaned)  # nh3's output, sanitised just above


def attachment_content_type(declared: str) -> str:
    """The declared type without its parameters when it is a well-formed MIME type and not
    one a browser would run (HTML, SVG, XML, scripts), else application/octet-stream. The
    download is an attachment with nosniff either way."""
    value = (declared or "").split(";", 1)[0].strip().lower()
    if not MIME_TYPE.match(value) or value in ACTIVE_TYPES:
        return "application/octet-stream"
    return value
