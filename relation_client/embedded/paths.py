"""Where the embedded servers keep their data, and the lock that guards their start."""

import contextlib
import fcntl
import os
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]
DATA_DIR = Path(os.environ.get("EMBEDDED_DATA_DIR", BASE_DIR / ".data")).resolve()
# the demo's mailbox: the local SMTP receiver of `make run` delivers every mail here, and
# the demo's Maildir mailbox (seed_demo) is polled from here
MAILDIR = DATA_DIR / "maildir"


@contextlib.contextmanager
def lock():
    # lock: the web server, the workers and the tests may start at the same time
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    with open(DATA_DIR / ".lock", "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
