"""Polling a mailbox: every new message stored exactly once, then filed, then marked read.

For each message, in one transaction: the InboundMessage is written unless it is already
stored (its place in this mailbox, or its Message-ID, whichever mailbox received it:
a mail sent to two of our addresses is one message), then `inbound_file` runs in a
savepoint (if it fails, the message stays stored as RECEIVED with the error, and the
others go on). Only after the commit is the message marked read on the server (IMAP
\\Seen, or moved to the Maildir's cur/ with the S flag): a poller killed at any moment
loses nothing, the messages it had not marked are fetched again and recognised.

IMAP (imap-tools) fetches the unread messages by UID, a few at a time and a bounded
number of bytes at a time, never the whole folder, without marking them read
(BODY.PEEK). A Maildir (the local mail server's) is read from its new/ folder. One
poller per mailbox at a time (a PostgreSQL advisory lock); a mailbox that cannot be
reached records its error and does not stop the others. Call it outside a transaction.
"""

import datetime
import imaplib
import ipaddress
import logging
import mailbox as mailboxes
import os
import re
import signal
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.utils import timezone
from imap_tools import AND, BaseMailBox, MailBox, MailBoxUnencrypted, MailMessageFlags
from imap_tools.errors import MailboxLoginError

from relation_client.messaging.inbound import inbound_file
from relation_client.messaging.models import (
    InboundMessage,
    InboundSource,
    InboundStatus,
    Mailbox,
    MailboxKind,
)
from relation_client.messaging.parsing import message_parse

logger = logging.getLogger(__name__)

POLL_LOCK = 7101  # advisory lock class: one poller per mailbox at a time
# the unique constraints that say "already stored" (models.InboundMessage.Meta)
STORED_ONCE = {"inbound_message_id_once", "inbound_imap_place_once", "inbound_maildir_place_once"}
# test hook (tests/messaging/test_fetch_imap.py): the poller SIGKILLs itself right after
# the N-th message it stored was committed, before marking anything read
KILL_AFTER_VARIABLE = "RC_TEST_MAIL_POLL_KILL_AFTER"

STORED, ALREADY, FAILED = "stored", "already", "failed"


class PollError(Exception):
    """A mailbox that cannot be polled: the message is recorded as its last error."""


@dataclass
class PollResult:
    mailbox: str
    stored: int = 0
    already: int = 0  # stored before (polled twice, or received by another mailbox)
    failed: int = 0  # left unread on the server, to be tried again
    busy: bool = False  # another poller holds this mailbox
    error: str = ""


# ---- storing one message ------------------------------------------------------------------


def _duplicate(error: IntegrityError) -> bool:
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None) in STORED_ONCE


def _source(mailbox: Mailbox) -> str:
    return InboundSource.MAILDIR if mailbox.kind == MailboxKind.MAILDIR else InboundSource.IMAP


def _place_taken(mailbox: Mailbox, place: dict) -> bool:
    return InboundMessage.objects.filter(mailbox=mailbox, **place).exists()


def _store(
    mailbox: Mailbox, raw: bytes, *, place: dict, delivered_at: datetime.datetime | None
) -> str:
    """Store and file one message in one transaction; ALREADY when it is stored already."""
    if _place_taken(mailbox, place):
        return ALREADY
    parsed = message_parse(raw)
    now = timezone.now()
    received_at = min(delivered_at, now) if delivered_at else now
    with transaction.atomic():
        if (
            parsed.message_id
            and InboundMessage.objects.filter(message_id=parsed.message_id).exists()
        ):
            return ALREADY
        try:
            with transaction.atomic():  # another mailbox's poller may store it meanwhile
                message = InboundMessage.objects.create(
                    source=_source(mailbox),
                    mailbox=mailbox,
                    received_at=received_at,
                    **place,
                    **parsed.fields(),
                )
                message.attachments.bulk_create(parsed.attachment_rows(message))
        except IntegrityError as error:
            if _duplicate(error):
                return ALREADY
            raise
        try:
            with transaction.atomic():
                inbound_file(message=message)
        except Exception as error:  # noqa: BLE001 - stored, left for a person: the rest goes on
            logger.exception("message %s stored but not filed", message.pk)
            InboundMessage.objects.filter(pk=message.pk).update(
                status=InboundStatus.RECEIVED, error=f"classement : {type(error).__name__}: {error}"
            )
    return STORED


def _store_unreadable(mailbox: Mailbox, raw: bytes, *, place: dict, error: Exception) -> str:
    """What storing could not hold (a database refusal): the raw bytes, MALFORMED."""
    try:
        with transaction.atomic():
            InboundMessage.objects.create(
                source=_source(mailbox),
                mailbox=mailbox,
                received_at=timezone.now(),
                raw=raw,
                raw_size=len(raw),
                status=InboundStatus.MALFORMED,
                error=f"enregistrement : {type(error).__name__}: {error}"[:2000],
                **place,
            )
    except IntegrityError as second:
        if _duplicate(second):
            return ALREADY
        logger.exception("message not stored in mailbox %s", mailbox.pk)
        return FAILED
    except Exception:  # noqa: BLE001 - left unread on the server, tried again next time
        logger.exception("message not stored in mailbox %s", mailbox.pk)
        return FAILED
    return STORED


class _Poll:
    """Counts, and the test hook that kills the process after the N-th commit."""

    def __init__(self, mailbox: Mailbox):
        self.mailbox = mailbox
        self.result = PollResult(mailbox=mailbox.name)
        self.kill_after = int(os.environ.get(KILL_AFTER_VARIABLE) or 0)

    def store(self, raw: bytes, *, place: dict, delivered_at=None) -> str:
        try:
            outcome = _store(self.mailbox, raw, place=place, delivered_at=delivered_at)
        except (OperationalError, InterfaceError):
            raise  # the database is gone: the poll stops, the messages stay unread
        except Exception as error:  # noqa: BLE001 - one message never blocks the others
            logger.exception("message not stored in mailbox %s", self.mailbox.pk)
            outcome = _store_unreadable(self.mailbox, raw, place=place, error=error)
        if outcome == STORED:
            self.result.stored += 1
            if self.kill_after and self.result.stored >= self.kill_after:
                os.kill(os.getpid(), signal.SIGKILL)
        elif outcome == ALREADY:
            self.result.already += 1
        else:
            self.result.failed += 1
        return outcome


# ---- IMAP ---------------------------------------------------------------------------------


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _password(mailbox: Mailbox) -> str:
    name = mailbox.password_env.strip()
    if not name:
        raise PollError("Aucune variable d'environnement de mot de passe n'est indiquée.")
    if name not in os.environ:
        raise PollError(
            f"La variable d'environnement {name} (mot de passe de la boîte) n'est pas définie."
        )
    return os.environ[name]


def _imap_login(mailbox: Mailbox) -> BaseMailBox:
    """Logged in: TLS from the start, else STARTTLS when offered, else (on the loopback
    only) in clear."""
    password = _password(mailbox)
    try:
        box = _imap_connect(mailbox)
    except (OSError, imaplib.IMAP4.error) as error:
        raise PollError(
            f"Serveur IMAP {mailbox.host}:{mailbox.port} injoignable : {error}"
        ) from error
    try:
        box.login(mailbox.username, password, initial_folder=None)
    except MailboxLoginError as error:
        box.client.shutdown()
        answer = b" ".join(
            item for item in error.command_result[1] if isinstance(item, bytes)
        ).decode(errors="replace")
        raise PollError(
            f"Identification refusée par le serveur IMAP pour « {mailbox.username} » : {answer}"
        ) from error
    return box


def _imap_connect(mailbox: Mailbox) -> BaseMailBox:
    timeout = settings.EMAIL_TIMEOUT_SECONDS
    if mailbox.use_ssl:
        context = ssl.create_default_context()
        box = MailBox(mailbox.host, mailbox.port, timeout=timeout, ssl_context=context)
    else:
        box = MailBoxUnencrypted(mailbox.host, mailbox.port, timeout=timeout)
        if "STARTTLS" in box.client.capabilities:
            box.client.starttls(ssl_context=ssl.create_default_context())
        elif not _loopback(mailbox.host):
            box.client.shutdown()
            raise PollError(
                "Le serveur n'offre ni TLS ni STARTTLS : le mot de passe ne part pas en clair."
            )
    return box


MONTHS = {
    name: number
    for number, name in enumerate(
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"],
        start=1,
    )
}
INTERNALDATE = re.compile(
    rb'INTERNALDATE "\s?(\d{1,2})-(\w{3})-(\d{4}) (\d\d):(\d\d):(\d\d) ([+-])(\d\d)(\d\d)"'
)
UID = re.compile(rb"\bUID (\d+)")
SIZE = re.compile(rb"RFC822\.SIZE (\d+)")


def _internaldate(meta: bytes) -> datetime.datetime | None:
    """When the server received the message (IMAP INTERNALDATE), whatever the locale."""
    found = INTERNALDATE.search(meta)
    if not found:
        return None
    day, month, year, hour, minute, second, sign, off_h, off_m = found.groups()
    offset = datetime.timedelta(hours=int(off_h), minutes=int(off_m))
    zone = datetime.timezone(offset if sign == b"+" else -offset)
    try:
        return datetime.datetime(
            int(year),
            MONTHS[month.decode().lower()],
            int(day),
            int(hour),
            int(minute),
            int(second),
            tzinfo=zone,
        )
    except (KeyError, ValueError):  # a server's nonsense: the time of the poll instead
        return None


def _uid_fetch(box: BaseMailBox, uids: list[str], items: str) -> list:
    typ, data = box.client.uid("FETCH", ",".join(uids), items)
    if typ != "OK":
        raise PollError(f"FETCH refusé par le serveur : {data!r}"[:300])
    return data


def _sizes(box: BaseMailBox, uids: list[str]) -> dict[str, int]:
    sizes = {}
    for item in _uid_fetch(box, uids, "(UID RFC822.SIZE)"):
        line = item[0] if isinstance(item, tuple) else item
        uid, size = UID.search(line or b""), SIZE.search(line or b"")
        if uid and size:
            sizes[uid.group(1).decode()] = int(size.group(1))
    return sizes


def _groups(uids: list[str], sizes: dict[str, int], budget: int) -> Iterator[list[str]]:
    """The UIDs in groups holding at most `budget` bytes (a larger message alone)."""
    group, total = [], 0
    for uid in uids:
        size = sizes.get(uid, 0)
        if group and total + size > budget:
            yield group
            group, total = [], 0
        group.append(uid)
        total += size
    if group:
        yield group


def _messages(box: BaseMailBox, uids: list[str]) -> Iterator[tuple[str, bytes, object]]:
    """(uid, raw bytes, INTERNALDATE) of each message, left unread (BODY.PEEK). imaplib
    hands each one as (line before the literal, literal) then the rest of the line."""
    literal = None
    for item in _uid_fetch(box, uids, "(UID INTERNALDATE BODY.PEEK[])"):
        if isinstance(item, tuple):
            literal = item
        elif isinstance(item, bytes) and literal is not None:
            meta = literal[0] + item  # some servers write the UID after the literal
            uid = UID.search(meta)
            if uid:
                yield uid.group(1).decode(), literal[1], _internaldate(meta)
            literal = None


def _poll_imap(mailbox: Mailbox, poll: _Poll) -> None:
    box = _imap_login(mailbox)
    try:
        status = box.folder.status(mailbox.folder, ["UIDVALIDITY"])
        uidvalidity = int(status["UIDVALIDITY"])
        if mailbox.uidvalidity != uidvalidity:
            if mailbox.uidvalidity is not None:
                # the folder was rebuilt: its UIDs start again; the Message-IDs still tell
                # what was stored, and only unread messages are fetched
                logger.warning("mailbox %s: UIDVALIDITY changed", mailbox.pk)
            mailbox.uidvalidity = uidvalidity
            mailbox.save(update_fields=["uidvalidity"])
        box.folder.set(mailbox.folder)
        unread = box.uids(AND(seen=False))
        batch = settings.MAIL_POLL_BATCH
        for start in range(0, len(unread), batch):
            chunk = unread[start : start + batch]
            for group in _groups(chunk, _sizes(box, chunk), settings.MAIL_POLL_BATCH_BYTES):
                done = []
                for uid, raw, delivered_at in _messages(box, group):
                    place = {"uidvalidity": uidvalidity, "uid": int(uid)}
                    if poll.store(raw, place=place, delivered_at=delivered_at) != FAILED:
                        done.append(uid)
                if done:  # committed: now marked read
                    box.flag(done, MailMessageFlags.SEEN, True)
    finally:
        try:
            box.logout()
        except Exception:  # noqa: BLE001 - the connection may be the thing that broke
            logger.debug("IMAP logout failed", exc_info=True)


# ---- Maildir ------------------------------------------------------------------------------


class _Maildir(mailboxes.Maildir):
    """Python's Maildir, with what its 3.11 version lacks: the new messages' keys, and a
    message marked read without rewriting it (a rename into cur/ with the S flag)."""

    def new_keys(self) -> list[str]:
        self._refresh()
        return sorted(key for key, subpath in self._toc.items() if subpath.startswith("new"))

    def path_of(self, key: str) -> str:
        return os.path.join(self._path, self._lookup(key))

    def mark_seen(self, key: str) -> None:
        subpath = self._lookup(key)
        info = os.path.basename(subpath).partition(self.colon)[2]
        flags = info[2:] if info.startswith("2,") else ""
        seen = os.path.join("cur", f"{key}{self.colon}2,{''.join(sorted(set(flags) | {'S'}))}")
        os.rename(os.path.join(self._path, subpath), os.path.join(self._path, seen))
        self._toc[key] = seen


def _poll_maildir(mailbox: Mailbox, poll: _Poll) -> None:
    path = mailbox.maildir_path
    if not path or not os.path.isdir(os.path.join(path, "new")):
        raise PollError(f"Aucun Maildir lisible à « {path} ».")
    folder = _Maildir(path, factory=None, create=False)
    for key in folder.new_keys():
        try:
            file_path = folder.path_of(key)
            raw = folder.get_bytes(key)
            delivered_at = datetime.datetime.fromtimestamp(
                os.path.getmtime(file_path), tz=datetime.UTC
            )
        except (KeyError, FileNotFoundError):
            continue  # taken meanwhile by another reader of the Maildir
        if poll.store(raw, place={"maildir_key": key}, delivered_at=delivered_at) != FAILED:
            try:
                folder.mark_seen(key)  # committed: now marked read
            except (KeyError, FileNotFoundError):
                logger.info("maildir message %s moved meanwhile by another reader", key)


# ---- the poll -----------------------------------------------------------------------------


@contextmanager
def _poll_lock(mailbox: Mailbox) -> Iterator[bool]:
    """A session-level advisory lock (held across the poll's many transactions; freed
    with the connection if the process dies)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [POLL_LOCK, mailbox.pk])
        locked = cursor.fetchone()[0]
    try:
        yield locked
    finally:
        if locked:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [POLL_LOCK, mailbox.pk])


def _error_text(error: Exception) -> str:
    if isinstance(error, PollError):
        return str(error)
    return f"{type(error).__name__}: {error}"


def mailbox_poll(mailbox: Mailbox) -> PollResult:
    """Fetch, store and file the mailbox's new messages; records when, and the error."""
    poll = _Poll(mailbox)
    with _poll_lock(mailbox) as locked:
        if not locked:
            poll.result.busy = True
            return poll.result
        try:
            if mailbox.kind == MailboxKind.MAILDIR:
                _poll_maildir(mailbox, poll)
            else:
                _poll_imap(mailbox, poll)
        except Exception as error:  # noqa: BLE001 - recorded on the mailbox, shown in the admin
            logger.warning("mailbox %s not polled: %s", mailbox.pk, error, exc_info=True)
            poll.result.error = _error_text(error)
        mailbox.last_polled_at = timezone.now()
        mailbox.last_error = poll.result.error[:300]
        mailbox.save(update_fields=["last_polled_at", "last_error"])
    return poll.result


def mailboxes_poll(names: list[str] | None = None) -> list[PollResult]:
    """Every active mailbox (or those named), one after the other."""
    boxes = Mailbox.objects.filter(active=True).select_related("agency").order_by("pk")
    if names:
        boxes = Mailbox.objects.filter(name__in=names).select_related("agency").order_by("pk")
    results = []
    for mailbox in boxes:
        try:
            results.append(mailbox_poll(mailbox))
        except Exception as error:  # noqa: BLE001 - the database itself: the next one may work
            logger.exception("mailbox %s not polled", mailbox.pk)
            results.append(PollResult(mailbox=mailbox.name, error=_error_text(error)))
    return results
