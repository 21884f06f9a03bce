"""``python -m relation_client.embedded run | exec -- CMD | stop | mail --from ADDRESS SUBJECT``"""

import os
import sys

from relation_client.embedded.launcher import exec_command, run
from relation_client.embedded.postgres import stop_postgres
from relation_client.embedded.redis import stop_redis
from relation_client.embedded.smtp import mail_command


def main(argv: list[str]) -> int:
    if argv[:1] == ["run"]:
        host = os.environ.get("HOST", "127.0.0.1")
        return run(host, int(os.environ.get("PORT", "8000")))
    if argv[:1] == ["exec"]:
        command = argv[2:] if argv[1:2] == ["--"] else argv[1:]
        return exec_command(command)
    if argv[:1] == ["stop"]:
        stop_redis()
        stop_postgres()
        return 0
    if argv[:1] == ["mail"]:
        return mail_command(argv[1:])
    print(
        "usage: python -m relation_client.embedded run | exec -- CMD | stop"
        " | mail --from ADDRESS SUBJECT [TEXT]",
        file=sys.stderr,
    )
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
