"""A received e-mail's raw bytes, read into the fields of an InboundMessage: never raises.

Everything a mailbox hands over is kept: a message read badly is stored with flags saying
what was wrong (a broken MIME structure, a header in raw 8-bit or an unknown charset, an
attachment too large or of a refused type, no Message-ID); one that cannot be read at all
is stored with the status MALFORMED and the reason in `error`, its raw bytes kept.

- headers are decoded leniently: RFC 2047 encoded words in any charset Python knows,
  raw 8-bit bytes as UTF-8, else Windows-1252 (flagged);
- the text is the plain part, else the text of the HTML part; the HTML is kept only
  sanitised by nh3 (no script, no style, no image: a remote image tells the sender when
  an agent opens the message);
- `reply_text` is the new part alone (quotes, attribution line and signature removed by
  mail-parser-reply, French and English);
- attachments within settings.MAIL_ATTACHMENT_MAX_BYTES and of the accepted types (PDF,
  images, text, office documents) keep their content; the others keep their name, type
  and size and the reason, never their content, which is taken out of the stored raw
  message too (`raw_size` stays the size received); one over the size limit is set aside
  before Python's parser sees it, so that a 40 MB message costs no more memory than its
  bytes.
"""

import base64
import binascii
import codecs
import datetime
import email
import email.policy
import io
import logging
import mimetypes
import os
import quopri
import re
from dataclasses import dataclass, field
from email.errors import HeaderDefect
from email.generator import BytesGenerator
from email.message import EmailMessage
from email.utils import getaddresses, parsedate_to_datetime
from html.parser import HTMLParser

import nh3
from django.conf import settings
from mailparser_reply import EmailReplyParser

from relation_client.messaging.models import (
    InboundAttachment,
    InboundFlag,
    InboundMessage,
    InboundStatus,
)
from relation_client.messaging.threads import ids_in, message_id_is_ours

logger = logging.getLogger(__name__)

# the headers that tell an automatic mail (inbound.automatic_reason reads them), as written
AUTOMATIC_HEADERS = [
    "Auto-Submitted",
    "Precedence",
    "List-Id",
    "List-Unsubscribe",
    "X-Autoreply",
    "X-Autorespond",
    "X-Auto-Response-Suppress",
    "X-Relation-Client",
    "Return-Path",
]
HEADER_VALUE_LIMIT = 500
# the reply parser's regular expressions on a whole novel would take seconds
REPLY_PARSE_LIMIT = 100_000
REPLY_LANGUAGES = ["fr", "en"]

# accepted attachments: PDF, images (not SVG: it carries scripts), text, office documents
ACCEPTED_TYPES = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/gif": ".gif",
    "image/webp": ".webp",
    "image/heic": ".heic",
    "image/heif": ".heif",
    "image/tiff": ".tif",
    "image/bmp": ".bmp",
    "text/plain": ".txt",
    "text/csv": ".csv",
    "application/rtf": ".rtf",
    "text/rtf": ".rtf",
    "application/msword": ".doc",
    "application/vnd.ms-excel": ".xls",
    "application/vnd.ms-powerpoint": ".ppt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": ".xlsx",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": ".pptx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "application/vnd.oasis.opendocument.spreadsheet": ".ods",
    "application/vnd.oasis.opendocument.presentation": ".odp",
}
ACCEPTED_EXTENSIONS = {
    *ACCEPTED_TYPES.values(),
    ".jpeg",
    ".jpe",
    ".tiff",
    ".text",
    ".log",
}
# what mail clients send when they do not know: judged by the file name's extension
UNKNOWN_TYPES = {"application/octet-stream", "application/x-download", "binary/octet-stream"}

# Python's parser, lenient: a defect is recorded on the part, never raised
POLICY = email.policy.default.clone(raise_on_defect=False)
# writing the raw message back after taking a refused attachment out: headers as they came
WRITE_POLICY = POLICY.clone(refold_source="none", cte_type="8bit", linesep="\r\n")


@dataclass
class ParsedAttachment:
    filename: str
    content_type: str
    size: int
    content: bytes | None
    refused: str = ""


@dataclass
class ParsedMessage:
    """The InboundMessage fields read from the raw bytes, and the attachments."""

    raw: bytes
    message_id: str = ""
    in_reply_to: str = ""
    references: str = ""
    headers: dict = field(default_factory=dict)
    sender_address: str = ""
    sender_name: str = ""
    to_address: str = ""
    subject: str = ""
    sent_at: datetime.datetime | None = None
    body_text: str = ""
    reply_text: str = ""
    body_html: str = ""
    flags: list[str] = field(default_factory=list)
    status: str = InboundStatus.RECEIVED
    error: str = ""
    attachments: list[ParsedAttachment] = field(default_factory=list)
    stored_raw: bytes | None = None

    def flag(self, value: str) -> None:
        if value not in self.flags:
            self.flags.append(value)

    def fail(self, step: str, error: Exception | str) -> None:
        text = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
        self.error = "\n".join(part for part in (self.error, f"{step} : {text}") if part)

    def fields(self) -> dict:
        """InboundMessage(**fields): text cleaned for PostgreSQL and cut to each column."""
        values = {
            "message_id": self.message_id,
            "in_reply_to": self.in_reply_to,
            "references": self.references,
            "headers": {_clean(name): _clean(value) for name, value in self.headers.items()},
            "sender_address": self.sender_address,
            "sender_name": self.sender_name,
            "to_address": self.to_address,
            "subject": self.subject,
            "sent_at": self.sent_at,
            "body_text": self.body_text,
            "reply_text": self.reply_text,
            "body_html": self.body_html,
            "raw": self.raw if self.stored_raw is None else self.stored_raw,
            "raw_size": len(self.raw),
            "flags": list(self.flags),
            "status": self.status,
            "error": self.error,
        }
        for name, value in values.items():
            if isinstance(value, str):
                values[name] = _fit(InboundMessage, name, _clean(value))
        return values

    def attachment_rows(self, message: InboundMessage) -> list[InboundAttachment]:
        return [
            InboundAttachment(
                message=message,
                filename=_fit(InboundAttachment, "filename", _clean(item.filename)),
                content_type=_fit(InboundAttachment, "content_type", _clean(item.content_type)),
                size=item.size,
                content=None if item.refused else item.content,
                refused=item.refused,
            )
            for item in self.attachments
        ]


def _clean(text: str) -> str:
    """No NUL (PostgreSQL refuses it in text) and no lone surrogate (from raw bytes)."""
    text = text.replace("\x00", "")
    return text.encode("utf-8", "replace").decode("utf-8")


def _fit(model, name: str, value: str) -> str:
    limit = model._meta.get_field(name).max_length
    return value[:limit] if limit else value


# ---- headers ------------------------------------------------------------------------------

ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([QqBb])\?([^?\s]*)\?=")
BLANK_BETWEEN_WORDS = re.compile(r"(\?=)\s+(=\?)")


def _codec(charset: str) -> str | None:
    name = charset.split("*", 1)[0].strip().lower()  # RFC 2231 language suffix: utf-8*fr
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _bytes_text(data: bytes, charset: str | None, result: ParsedMessage | None) -> str:
    """Bytes in a declared charset; else UTF-8; else Windows-1252 (flagged when a header)."""
    for candidate in (charset, "utf-8"):
        codec = _codec(candidate) if candidate else None
        if codec:
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                pass
    if result is not None:
        result.flag(InboundFlag.BAD_HEADER)
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def _encoded_word(match: re.Match, result: ParsedMessage) -> str:
    charset, encoding, text = match.groups()
    try:
        if encoding in "Qq":
            data = quopri.decodestring(text.replace("_", " ").encode("ascii"), header=True)
        else:
            data = base64.b64decode(text + "=" * (-len(text) % 4))
    except (ValueError, binascii.Error, UnicodeEncodeError):
        result.flag(InboundFlag.BAD_HEADER)
        return match.group(0)
    if _codec(charset) is None:
        result.flag(InboundFlag.BAD_HEADER)
    return _bytes_text(data, charset, result)


def _unbyte(value: str, result: ParsedMessage) -> str:
    """A header's value as read by the parser (raw 8-bit bytes kept as surrogates), its raw
    bytes read as UTF-8 (RFC 6532), else as Windows-1252 (flagged), unfolded."""
    if any("\udc80" <= char <= "\udcff" for char in value):
        data = value.encode("ascii", "surrogateescape")
        try:
            value = data.decode("utf-8")
        except UnicodeDecodeError:
            result.flag(InboundFlag.BAD_HEADER)
            value = _bytes_text(data, None, None)
    return re.sub(r"\r?\n[ \t]*", " ", value).strip()


def header_text(value: str, result: ParsedMessage) -> str:
    """A header's value decoded: raw bytes (see _unbyte), encoded words of any charset."""
    value = _unbyte(value, result)
    if "=?" in value:
        value = BLANK_BETWEEN_WORDS.sub(r"\1\2", value)  # blanks between two words vanish
        value = ENCODED_WORD.sub(lambda match: _encoded_word(match, result), value)
    return value


def _raw_headers(message: EmailMessage) -> dict[str, str]:
    """Each header's first value, by lower-case name, undecoded."""
    found: dict[str, str] = {}
    for name, value in message.raw_items():
        found.setdefault(name.strip().lower(), str(value))
    return found


def _address(value: str, result: ParsedMessage) -> tuple[str, str]:
    """(name, address) of the first mailbox of an address header; the name decoded."""
    undecoded = _unbyte(value, result)  # encoded words later: they may hide a comma
    pairs = [pair for pair in getaddresses([undecoded]) if pair[1]]
    if pairs:
        name, address = pairs[0]
    else:
        found = re.search(r"[^\s<>\"',;:]+@[^\s<>\"',;:]+", undecoded)
        name, address = "", found.group(0) if found else ""
    name = header_text(name, result).strip().strip('"').strip()
    return name, address.strip().strip("<>").casefold()


def _one_id(value: str) -> str:
    ids = ids_in(value)
    if ids:
        return ids[0]
    value = value.strip()
    return f"<{value}>" if value and " " not in value else ""


def _read_headers(message: EmailMessage, result: ParsedMessage) -> None:
    raw = _raw_headers(message)
    result.message_id = _one_id(header_text(raw.get("message-id", ""), result))
    if not result.message_id:
        result.flag(InboundFlag.NO_MESSAGE_ID)
    elif message_id_is_ours(result.message_id):
        result.flag(InboundFlag.LOOP)  # our own mail come back to us
    in_reply_to = header_text(raw.get("in-reply-to", ""), result)
    result.in_reply_to = " ".join(ids_in(in_reply_to)) or in_reply_to
    references = header_text(raw.get("references", ""), result)
    result.references = " ".join(ids_in(references)) or references
    headers = {}
    for name in AUTOMATIC_HEADERS:
        if name.lower() in raw:
            headers[name] = header_text(raw[name.lower()], result)[:HEADER_VALUE_LIMIT]
    content_type = header_text(raw.get("content-type", ""), result)
    if content_type.lower().startswith("multipart/report"):
        headers["Content-Type"] = content_type.replace('"', "")[:HEADER_VALUE_LIMIT]
    result.headers = headers
    sender = raw.get("from") or raw.get("sender") or raw.get("return-path") or ""
    result.sender_name, result.sender_address = _address(sender, result)
    result.to_address = _address(raw.get("to", ""), result)[1]
    result.subject = header_text(raw.get("subject", ""), result)
    date = header_text(raw.get("date", ""), result)
    if date:
        try:
            sent_at = parsedate_to_datetime(date)
        except (TypeError, ValueError, IndexError, OverflowError):
            result.flag(InboundFlag.BAD_HEADER)
        else:
            if sent_at.tzinfo is None:  # "-0000": UTC, the time zone unknown
                sent_at = sent_at.replace(tzinfo=datetime.UTC)
            result.sent_at = sent_at


# ---- bodies -------------------------------------------------------------------------------

BLOCKS = {
    "p", "div", "br", "li", "tr", "table", "h1", "h2", "h3", "h4", "h5", "h6",
    "blockquote", "pre", "hr", "ul", "ol", "section", "article", "header", "footer",
}  # fmt: skip


class _HtmlText(HTMLParser):
    """The text of an HTML body: no script or style, a line per block."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "head", "title"):
            self.skipping += 1
        elif tag in BLOCKS:
            self.parts.append("\n")

    def handle_endtag(self, tag):
        if tag in ("script", "style", "head", "title"):
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))

    def text(self) -> str:
        lines = (line.strip() for line in "".join(self.parts).split("\n"))
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_text(html: str) -> str:
    parser = _HtmlText()
    try:
        parser.feed(html)
        parser.close()
    except Exception:  # noqa: BLE001 - HTMLParser is lenient; the text so far is kept
        logger.warning("HTML body not fully read", exc_info=True)
    return parser.text()


def html_clean(html: str) -> str:
    """The HTML an agent may see: nh3's allowed tags without images, links made safe."""
    tags = set(nh3.ALLOWED_TAGS) - {"img"}
    return nh3.clean(html, tags=tags, link_rel="noopener noreferrer nofollow")


def _part_text(part: EmailMessage) -> str:
    payload = part.get_payload(decode=True)
    if payload is None:
        value = part.get_payload()
        return value if isinstance(value, str) else ""
    return _bytes_text(payload, part.get_content_charset(), None)


def _is_text(part: EmailMessage | None, subtype: str) -> bool:
    return part is not None and part.get_content_type() == f"text/{subtype}"


def _salvaged(message: EmailMessage) -> EmailMessage | None:
    """A multipart whose declared boundary never appears: read again with the boundary
    its body does use (the first "--…" line), when there is one."""
    body = message.get_payload(decode=True) or b""
    found = re.search(rb"^--([^\r\n\s]{1,70})\r?$", body, re.MULTILINE)
    if not found:
        return None
    boundary = found.group(1).decode("ascii", "replace")
    head = f'Content-Type: multipart/mixed; boundary="{boundary}"\r\n\r\n'.encode()
    return email.message_from_bytes(head + body, policy=POLICY)


def _structural_defects(message: EmailMessage) -> list:
    defects = []
    for part in message.walk():
        defects += [defect for defect in part.defects if not isinstance(defect, HeaderDefect)]
    return defects


def _reply(text: str) -> str:
    """The new part of a reply: before the first attribution line, without signature."""
    try:
        parsed = EmailReplyParser(languages=list(REPLY_LANGUAGES)).read(text[:REPLY_PARSE_LIMIT])
    except Exception:  # noqa: BLE001 - a regular expression library's surprise: keep it all
        logger.warning("reply not separated from its quotes", exc_info=True)
        return text.strip()
    if not parsed.replies:
        return text.strip()
    reply = parsed.replies[0]
    body = reply.body or reply.content
    lines = body.split("\n")
    while lines and (lines[-1].startswith(">") or not lines[-1].strip()):
        lines.pop()  # a quote left without an attribution line
    return "\n".join(lines).strip()


def _read_bodies(message: EmailMessage, result: ParsedMessage) -> EmailMessage:
    """The text and sanitised HTML; returns the message whose parts are to be read (the
    salvaged one when the boundary was wrong)."""
    if _structural_defects(message):
        result.flag(InboundFlag.MALFORMED_MIME)
        if message.get_content_maintype() == "multipart" and not message.is_multipart():
            message = _salvaged(message) or message
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    html_source = _part_text(html) if _is_text(html, "html") else ""
    if _is_text(plain, "plain"):
        result.body_text = _part_text(plain)
    elif html_source:
        result.body_text = html_text(html_source)
    elif message.get_content_maintype() in ("text", "multipart") and not message.is_multipart():
        result.body_text = _part_text(message)  # whatever text there is, never dropped
    if html_source:
        result.body_html = html_clean(html_source).strip()
    result.body_text = result.body_text.replace("\r\n", "\n").strip()
    result.reply_text = _reply(result.body_text)
    return message


# ---- attachments --------------------------------------------------------------------------


def _leaves(part: EmailMessage):
    if part.get_content_maintype() == "multipart" and part.is_multipart():
        for sub in part.get_payload():
            yield from _leaves(sub)
    else:
        yield part


def _filename(part: EmailMessage, content_type: str, number: int, result) -> str:
    try:
        name = part.get_filename() or ""
    except Exception:  # noqa: BLE001 - a broken parameter: the file still gets a name
        result.flag(InboundFlag.BAD_HEADER)
        name = ""
    name = header_text(str(name), result)
    name = os.path.basename(name.replace("\\", "/")).strip()
    name = re.sub(r"[\x00-\x1f\x7f]", "", name)
    if not name:
        extension = ACCEPTED_TYPES.get(content_type) or mimetypes.guess_extension(content_type)
        name = f"piece-jointe-{number}{extension or ''}"
    return name


def _accepted_type(content_type: str, filename: str) -> str | None:
    """The type kept for an accepted attachment, None when refused: an accepted type (a
    generic one judged by the extension), and the extension, if any, of an accepted kind."""
    extension = os.path.splitext(filename)[1].lower()
    if content_type in UNKNOWN_TYPES:
        content_type = mimetypes.guess_type(f"x{extension}")[0] or content_type
    if content_type == "image/jpg":
        content_type = "image/jpeg"
    if content_type not in ACCEPTED_TYPES:
        return None
    if extension and extension not in ACCEPTED_EXTENSIONS:
        return None
    return content_type


def _payload_size(part: EmailMessage, set_aside: dict[int, int]) -> tuple[int, bytes | None]:
    """The decoded size, and the content (None for an attached message, or one set aside
    before parsing)."""
    undecoded = part.get_payload()
    if set_aside and isinstance(undecoded, str):
        token = SET_ASIDE.match(undecoded)
        if token and int(token.group(1)) in set_aside:
            return set_aside[int(token.group(1))], None
    payload = part.get_payload(decode=True)
    if payload is not None:
        return len(payload), payload
    inner = part.get_payload()
    if isinstance(inner, list):
        return sum(len(item.as_bytes(policy=WRITE_POLICY)) for item in inner), None
    return len(str(inner or "").encode("utf-8", "surrogateescape")), None


def _read_attachments(
    message: EmailMessage, result: ParsedMessage, set_aside: dict[int, int]
) -> list[EmailMessage]:
    """The attachments; returns the parts whose content was refused."""
    limit = settings.MAIL_ATTACHMENT_MAX_BYTES
    bodies = {
        id(part)
        for part in (
            message.get_body(preferencelist=("plain",)),
            message.get_body(preferencelist=("html",)),
        )
        if part is not None
    }
    refused_parts = []
    if not message.is_multipart():
        return refused_parts
    for number, part in enumerate(_leaves(message), start=1):
        if id(part) in bodies:
            continue
        content_type = part.get_content_type()
        disposition = part.get_content_disposition()
        has_name = bool(
            part.get_param("name") or part.get_param("filename", header="content-disposition")
        )
        if (
            disposition != "attachment"
            and not has_name
            and part.get_content_maintype()
            in (
                "text",
                "message",
            )
        ):
            continue  # another body part, a delivery report's status: not a file
        filename = _filename(part, content_type, number, result)
        size, content = _payload_size(part, set_aside)
        kept_type = _accepted_type(content_type, filename)
        refused = ""
        if size > limit:
            refused = InboundFlag.ATTACHMENT_TOO_LARGE
        elif kept_type is None or content is None:
            refused = InboundFlag.ATTACHMENT_REFUSED
        if refused:
            result.flag(refused)
            refused_parts.append(part)
        result.attachments.append(
            ParsedAttachment(
                filename=filename,
                content_type=kept_type or content_type,
                size=size,
                content=None if refused else content,
                refused=refused,
            )
        )
    return refused_parts


def _raw_without(message: EmailMessage, parts: list[EmailMessage], result) -> bytes:
    """The raw message with the refused attachments' content taken out."""
    for part in parts:
        del part["Content-Transfer-Encoding"]
        part["Content-Transfer-Encoding"] = "7bit"
        part.set_payload(
            "[Piece jointe retiree a la reception : type refuse ou trop volumineuse]\r\n"
        )
    buffer = io.BytesIO()
    BytesGenerator(buffer, mangle_from_=False, policy=WRITE_POLICY).flatten(message)
    return buffer.getvalue()


# ---- oversized attachments, set aside before parsing --------------------------------------

# a part's base64 body: a long run of base64 lines (a thousand lines is 57 kB decoded);
# possessive, so that matching a 40 MB run keeps no backtracking state
BASE64_RUN = re.compile(rb"(?:[A-Za-z0-9+/]{16,998}+={0,2}+\r?\n){1000,}+")
# what stands in for a run too large to keep: base64 letters, a multiple of 4 long
SET_ASIDE = re.compile(r"^\s*UkNhc2lkZQ(\d+)A+\s*$")


def _set_aside(raw: bytes, limit: int) -> tuple[bytes, dict[int, int]]:
    """The raw message with each base64 body decoding to more than `limit` bytes replaced by
    a token, and the decoded size of each: Python's parser takes several times a part's
    size in memory, and such an attachment is refused anyway (only its size is kept)."""
    if len(raw) <= limit:
        return raw, {}
    sizes: dict[int, int] = {}
    pieces, kept_from = [], 0
    for match in BASE64_RUN.finditer(raw):
        start, end = match.span()
        characters = end - start - raw.count(b"\n", start, end) - raw.count(b"\r", start, end)
        size = characters * 3 // 4 - raw.count(b"=", start, end)
        if size <= limit:
            continue
        token = f"UkNhc2lkZQ{len(sizes)}"
        sizes[len(sizes)] = size
        pieces += [raw[kept_from:start], (token + "A" * (4 - len(token) % 4)).encode(), b"\r\n"]
        kept_from = end
    if not sizes:
        return raw, {}
    pieces.append(raw[kept_from:])
    return b"".join(pieces), sizes


# ---- the whole ----------------------------------------------------------------------------


def message_parse(raw: bytes) -> ParsedMessage:
    """Read a received message; never raises (what failed is in `error` and `flags`)."""
    result = ParsedMessage(raw=bytes(raw))
    try:
        readable, set_aside = _set_aside(result.raw, settings.MAIL_ATTACHMENT_MAX_BYTES)
        message = email.message_from_bytes(readable, policy=POLICY)
    except Exception as error:  # noqa: BLE001 - never raises: the bytes are kept
        result.status = InboundStatus.MALFORMED
        result.fail("lecture", error)
        return result
    if not message.keys():
        result.status = InboundStatus.MALFORMED
        result.flag(InboundFlag.MALFORMED_MIME)
        result.fail("lecture", "aucun en-tête : ce n'est pas un message électronique")
        result.body_text = _bytes_text(result.raw[:REPLY_PARSE_LIMIT], None, None)
        return result
    try:
        _read_headers(message, result)
    except Exception as error:  # noqa: BLE001 - a parser bug on a hostile header
        logger.warning("headers not read", exc_info=True)
        result.status = InboundStatus.MALFORMED
        result.flag(InboundFlag.BAD_HEADER)
        result.fail("en-têtes", error)
    try:
        message = _read_bodies(message, result)
    except Exception as error:  # noqa: BLE001
        logger.warning("body not read", exc_info=True)
        result.flag(InboundFlag.MALFORMED_MIME)
        result.fail("corps", error)
    try:
        refused = _read_attachments(message, result, set_aside)
        if refused:
            result.stored_raw = _raw_without(message, refused, result)
    except Exception as error:  # noqa: BLE001
        logger.warning("attachments not read", exc_info=True)
        result.flag(InboundFlag.MALFORMED_MIME)
        result.fail("pièces jointes", error)
        if any(item.refused for item in result.attachments):
            # the refused content must not stay: keep the headers alone
            result.stored_raw = result.raw.split(b"\r\n\r\n", 1)[0].split(b"\n\n", 1)[0]
    return result
