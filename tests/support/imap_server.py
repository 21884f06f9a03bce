"""A real IMAP server of the test's own: Debian's Dovecot (dovecot-imapd), started as the
current user on a free loopback port with its own configuration in a temporary folder,
never the machine's mail server, and stopped at the end.

``python -m tests.support.imap_server`` (run by ``make test``) installs the package when
it is missing and the user is root (apt-get), otherwise stops with one line saying how.

Two accounts, `lyon` and `reseau`, each with its Maildir; `deliver()` writes a raw message
into an account's Maildir as a mail server would (tmp/, then new/). The product reads them
through IMAP (relation_client.messaging.fetch), never through a mock of imaplib.
"""

import grp
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import pytest
from imap_tools import AND, MailBoxUnencrypted

DOVECOT = "/usr/sbin/dovecot"
HOW = "Dovecot is missing for the IMAP tests: apt-get install dovecot-imapd"
START_SECONDS = 20


def maildir_deliver(maildir: Path, raw: bytes, *, owner: tuple[int, int] | None = None) -> str:
    """Deliver a raw message into a Maildir (written in tmp/, renamed into new/); its key."""
    for sub in ("tmp", "new", "cur"):
        (maildir / sub).mkdir(parents=True, exist_ok=True)
    now = time.time_ns()
    key = f"{now // 10**9}.M{now // 1000 % 10**6}P{os.getpid()}Q{uuid.uuid4().hex[:12]}.tests"
    temporary = maildir / "tmp" / key
    temporary.write_bytes(raw)
    if owner is not None:
        os.chown(temporary, *owner)
    temporary.rename(maildir / "new" / key)
    return key


@dataclass
class Account:
    username: str
    password: str
    maildir: Path
    server: "ImapServer"

    def deliver(self, raw: bytes) -> str:
        return maildir_deliver(self.maildir, raw, owner=self.server.owner)

    def client(self) -> MailBoxUnencrypted:
        box = MailBoxUnencrypted(self.server.host, self.server.port, timeout=10)
        return box.login(self.username, self.password)

    def unseen(self) -> list[str]:
        """The UIDs not marked read, asked of the server."""
        with self.client() as box:
            return box.uids(AND(seen=False))

    def count(self) -> int:
        with self.client() as box:
            return len(box.uids("ALL"))


@dataclass
class ImapServer:
    host: str
    port: int
    root: Path
    owner: tuple[int, int] | None
    accounts: dict[str, Account]
    process: subprocess.Popen | None = None

    @property
    def log(self) -> str:
        path = self.root / "dovecot.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def __getitem__(self, username: str) -> Account:
        return self.accounts[username]

    def deliver(self, raw: bytes) -> str:
        """Into the first account (lyon)."""
        return next(iter(self.accounts.values())).deliver(raw)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _users() -> tuple[str, str, str, tuple[int, int] | None]:
    """(login user, internal user and group, owner of the mail) for the current user.
    Dovecot runs its login processes and the mail access as a non-root user: as root,
    Debian's `dovenull` and `dovecot`, the mail folders given to the latter; otherwise
    the user themselves."""
    if os.geteuid() != 0:
        name = pwd.getpwuid(os.geteuid()).pw_name
        return name, name, grp.getgrgid(os.getegid()).gr_name, None
    mail_user = pwd.getpwnam("dovecot")
    return "dovenull", "dovecot", "dovecot", (mail_user.pw_uid, mail_user.pw_gid)


CONFIG = """\
# written by tests/support/imap_server.py: this test's server only
base_dir = {root}/run
state_dir = {root}/state
instance_name = rc-tests-{port}
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
log_path = {root}/dovecot.log
info_log_path = {root}/dovecot.log
default_login_user = {login_user}
default_internal_user = {internal_user}
default_internal_group = {internal_group}
first_valid_uid = {uid}
mail_location = maildir:{root}/mail/%u/Maildir
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {root}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={root}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
  # no growing delay after a wrong password (a test tries one on purpose)
  unix_listener anvil-auth-penalty {{
    mode = 0
  }}
}}
"""


def _accepting(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1) as sock:
            return sock.recv(64).startswith(b"* OK")
    except OSError:
        return False


def imap_server_start(root: Path, usernames=("lyon", "reseau")) -> ImapServer:
    """Configure and start a Dovecot under `root`; returns when it greets IMAP clients."""
    if not os.path.exists(DOVECOT):
        pytest.fail(HOW, pytrace=False)
    login_user, internal_user, internal_group, owner = _users()
    uid, gid = owner if owner else (os.getuid(), os.getgid())
    port = _free_port()
    for sub in ("run", "state", "mail"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    accounts = {}
    lines = []
    for username in usernames:
        password = f"Mot-de-passe-{username}-42"
        account = Account(username, password, root / "mail" / username / "Maildir", None)
        for sub in ("tmp", "new", "cur"):
            (account.maildir / sub).mkdir(parents=True, exist_ok=True)
        accounts[username] = account
        lines.append(f"{username}:{{PLAIN}}{password}")
    (root / "passwd").write_text("\n".join(lines) + "\n")
    if owner is not None:
        for path in [root / "mail", *(root / "mail").rglob("*")]:
            os.chown(path, *owner)
    config = root / "dovecot.conf"
    config.write_text(
        CONFIG.format(
            root=root,
            port=port,
            login_user=login_user,
            internal_user=internal_user,
            internal_group=internal_group,
            uid=uid,
            gid=gid,
        )
    )
    server = ImapServer("127.0.0.1", port, root, owner, accounts)
    for account in accounts.values():
        account.server = server
    with open(root / "dovecot.out", "wb") as output:  # what it says before its log opens
        server.process = subprocess.Popen(
            [DOVECOT, "-F", "-c", str(config)], stdout=output, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + START_SECONDS
    while not _accepting(server.host, port):
        if server.process.poll() is not None or time.monotonic() > deadline:
            imap_server_stop(server)
            output = (root / "dovecot.out").read_text(errors="replace")
            pytest.fail(f"Dovecot did not start: {output}{server.log}", pytrace=False)
        time.sleep(0.05)  # polling the port, not waiting for a guess
    return server


def imap_server_stop(server: ImapServer) -> None:
    process = server.process
    if process is None or process.poll() is not None:
        return
    process.terminate()  # the master stops its login and mail processes with it
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)


@pytest.fixture
def imap_server():
    """A running Dovecot with the accounts `lyon` and `reseau` (see module docstring)."""
    root = Path(tempfile.mkdtemp(prefix="rc-dovecot-"))
    root.chmod(0o711)  # as root, Dovecot's mail processes (user `dovecot`) go through it
    try:
        server = imap_server_start(root)
    except BaseException:
        shutil.rmtree(root, ignore_errors=True)
        raise
    yield server
    imap_server_stop(server)
    shutil.rmtree(root, ignore_errors=True)


def main() -> int:
    if os.path.exists(DOVECOT):
        return 0
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("Dovecot is missing for the IMAP tests: installing dovecot-imapd (apt-get)…")
        environment = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
        for command in (
            ["apt-get", "update", "-qq"],
            ["apt-get", "install", "-y", "-qq", "dovecot-imapd"],
        ):
            if subprocess.run(command, env=environment, capture_output=True).returncode:
                break
        if os.path.exists(DOVECOT):
            return 0
    print(HOW, file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
