"""Benchmark of the inbound mail (not a test: pytest collects only test_*.py).

    DEBUG=true DATABASE_URL=postgres://postgres@127.0.0.1:5432/rc_bench_mail \\
        python tests/benchmarks/bench_mail_ingest.py --messages 10000

Creates the dedicated database if missing and migrates it, adds its customers once (2,000
with an e-mail address, in Lyon), starts a Dovecot of its own (tests/support/imap_server.py),
delivers N believable French messages into its Maildir and polls them over IMAP in a child
process (`fetch.mailbox_poll`, as the worker's task does): each message parsed, stored
once, filed (a request opened, a reply joined, an unknown sender set aside, an automatic
mail ignored) and marked read. Reports messages per second and the poller's peak RSS.

The mix: 72 % customers' new messages, 10 % their replies to an earlier message of the run
(quoted, In-Reply-To), 12 % unknown senders, 6 % auto-replies; 30 % with an HTML part,
5 % with a 40 kB PDF, 1 % with a 2 MB photo, 0.5 % with a 12 MB video (refused).
Each run uses a new mailbox and new Message-IDs, so runs add up without clashing.
"""

import argparse
import cProfile
import datetime
import json
import os
import pstats
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from email.message import EmailMessage
from email.utils import format_datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/rc_bench_mail"
CUSTOMERS = 2000
PASSWORD_VARIABLE = "RC_BENCH_IMAP_PASSWORD"


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/8")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relation_client.settings")
    import django

    django.setup()


# ---- the people and their messages --------------------------------------------------------


def customers_ensure(rng: random.Random) -> list[tuple[str, str, str]]:
    """(first name, last name, address) of the bench's customers, created once."""
    from agences.models import Agency
    from demo.people import email_draw, name_draw
    from demo.people.names import FIRST_NAMES, LAST_NAMES
    from relation_client.customers.models import ContactKind, ContactPoint, Customer

    agency, _ = Agency.objects.get_or_create(name="Lyon Part-Dieu", defaults={"city": "Lyon"})
    if not Customer.objects.filter(home_agency=agency).exists():
        people = []
        for index in range(CUSTOMERS):
            _, first, last = name_draw(rng)
            first_name, last_name = FIRST_NAMES[first], LAST_NAMES[last]
            address = email_draw(rng, first_name=first_name, last_name=last_name, index=index)
            people.append((first_name, last_name, f"{index}.{address}".casefold()))
        customers = Customer.objects.bulk_create(
            Customer(first_name=first, last_name=last, home_agency=agency)
            for first, last, _ in people
        )
        ContactPoint.objects.bulk_create(
            ContactPoint(customer=customer, kind=ContactKind.EMAIL, value=address)
            for customer, (_, _, address) in zip(customers, people, strict=True)
        )
    return list(
        ContactPoint.objects.filter(customer__home_agency=agency, kind=ContactKind.EMAIL)
        .order_by("pk")
        .values_list("customer__first_name", "customer__last_name", "value")
    )


def _body(rng: random.Random, first_name: str, last_name: str) -> tuple[str, str]:
    from demo.dataset.vocabulary import LINES, STOPS, SUMMARIES

    reason = rng.choice(list(SUMMARIES))
    topic = rng.choice(SUMMARIES[reason]).format(line=rng.choice(LINES), stop=rng.choice(STOPS))
    paragraphs = [
        rng.choice(["Bonjour,", "Madame, Monsieur,", "Bonjour Madame, Monsieur,"]),
        f"Je vous écris au sujet de : {topic.lower()}.",
        rng.choice(
            [
                f"Cela s'est passé hier vers {rng.randint(7, 20)} h, à l'arrêt "
                f"{rng.choice(STOPS)}, sur la ligne {rng.choice(LINES)}.",
                "J'ai déjà appelé l'agence la semaine dernière mais je n'ai pas eu de réponse.",
                "Pouvez-vous me dire ce que je dois faire ? Je prends ce bus tous les jours "
                "pour aller travailler et la situation devient difficile.",
                "Je joins le justificatif demandé. Merci d'avance pour votre aide.",
            ]
        ),
        rng.choice(["Cordialement,", "Bien à vous,", "Merci,", "Bonne journée,"]),
        f"{first_name} {last_name}",
    ]
    return topic, "\n\n".join(paragraphs)


PDF = b"%PDF-1.4\n" + bytes(random.Random(1).randrange(256) for _ in range(40_000))
PHOTO = b"\xff\xd8\xff\xe0" + bytes(random.Random(2).randrange(256) for _ in range(2_000_000))
VIDEO = b"\x00\x00\x00\x18ftypmp42" + b"\x42" * 12_000_000


def message_draw(
    rng: random.Random, number: int, run: str, people: list, earlier: list
) -> tuple[bytes, str]:
    """A believable message and its Message-ID."""
    first_name, last_name, address = rng.choice(people)
    kind = rng.random()
    message = EmailMessage()
    message_id = f"<{run}.{number}@voyageurs.example>"
    message["Message-ID"] = message_id
    message["Date"] = format_datetime(datetime.datetime.now(datetime.UTC))
    message["To"] = "TCL Lyon <lyon@tcl-exemple.fr>"
    topic, text = _body(rng, first_name, last_name)
    if kind < 0.12:
        first_name, last_name = "Inconnu", rng.choice(["Martin", "Bernard", "Dubois"])
        address = f"inconnu{number}@laposte.example"
    message["From"] = f"{first_name} {last_name} <{address}>"
    if kind >= 0.94:
        message["Subject"] = f"Réponse automatique : absent(e) jusqu'au {rng.randint(1, 28)} mai"
        message["Auto-Submitted"] = "auto-replied"
        message.set_content("Je suis absent(e) et lirai votre message à mon retour.")
    elif 0.84 <= kind < 0.94 and earlier:
        previous_id, previous_subject = rng.choice(earlier)
        message["Subject"] = f"Re: {previous_subject}"
        message["In-Reply-To"] = previous_id
        message["References"] = previous_id
        quoted = "\n".join(f"> {line}" for line in text.splitlines())
        message.set_content(
            "Bonjour,\n\nJe reviens vers vous : toujours pas de nouvelles.\n\n"
            f"{first_name} {last_name}\n\n"
            f"Le lun. 3 nov. 2026 à 10:00, Service clients TCL <lyon@tcl-exemple.fr> a écrit :\n"
            f"{quoted}\n"
        )
    else:
        message["Subject"] = topic
        message.set_content(text)
        if rng.random() < 0.30:
            html = "".join(f"<p>{paragraph}</p>" for paragraph in text.split("\n\n"))
            message.add_alternative(f"<html><body>{html}</body></html>", subtype="html")
        earlier.append((message_id, topic))
    draw = rng.random()
    if draw < 0.05:
        message.add_attachment(
            PDF, maintype="application", subtype="pdf", filename="justificatif.pdf"
        )
    elif draw < 0.06:
        message.add_attachment(PHOTO, maintype="image", subtype="jpeg", filename="photo.jpg")
    elif draw < 0.065:
        message.add_attachment(VIDEO, maintype="video", subtype="mp4", filename="incident.mp4")
    return bytes(message), message_id


# ---- the run ------------------------------------------------------------------------------


def poll_child(mailbox_id: int, profile: bool) -> None:
    """In the child: poll once, print the figures as JSON."""
    import psutil

    from relation_client.messaging.fetch import mailbox_poll
    from relation_client.messaging.models import Mailbox

    mailbox = Mailbox.objects.get(pk=mailbox_id)
    before = psutil.Process().memory_info().rss
    cpu_before = sum(resource.getrusage(resource.RUSAGE_SELF)[:2])
    profiler = cProfile.Profile() if profile else None
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    result = mailbox_poll(mailbox)
    if profiler:
        profiler.disable()
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumtime").print_stats(40)
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak = usage.ru_maxrss * 1024
    print(
        json.dumps(
            {
                "seconds": seconds,
                "stored": result.stored,
                "already": result.already,
                "failed": result.failed,
                "error": result.error,
                "rss_before": before,
                "rss_peak": peak,
                "cpu": usage.ru_utime + usage.ru_stime - cpu_before,
            }
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--profile", action="store_true", help="profile the poll (cProfile)")
    parser.add_argument("--poll-child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    if args.poll_child:
        setup_django(url)
        poll_child(args.poll_child, args.profile)
        return

    if "rc_medium" in url:
        sys.exit("This benchmark writes messages and requests: give it a database of its own.")
    from demo.dataset.createdb import database_ensure

    database_ensure(url)
    setup_django(url)
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from django.db.models import Count

    from agences.models import Agency
    from relation_client.messaging.models import InboundMessage, Mailbox
    from tests.support.imap_server import imap_server_start, imap_server_stop

    rng = random.Random(args.seed)
    people = customers_ensure(rng)
    run = time.strftime("%Y%m%d%H%M%S")
    root = Path(tempfile.mkdtemp(prefix="rc-bench-dovecot-"))
    root.chmod(0o711)
    server = imap_server_start(root, usernames=("lyon",))
    try:
        account = server["lyon"]
        started = time.perf_counter()
        earlier: list = []
        delivered = 0
        for number in range(args.messages):
            raw, _ = message_draw(rng, number, run, people, earlier)
            account.deliver(raw)
            delivered += len(raw)
        delivery = time.perf_counter() - started
        print(
            f"delivered {args.messages} messages ({delivered / 1e6:.0f} MB) into the Maildir "
            f"in {delivery:.1f} s"
        )
        os.environ[PASSWORD_VARIABLE] = account.password
        mailbox = Mailbox.objects.create(
            name=f"Banc d'essai {run}",
            address=f"banc-{run}@tcl-exemple.fr",
            agency=Agency.objects.get(name="Lyon Part-Dieu"),
            kind="imap",
            host=server.host,
            port=server.port,
            use_ssl=False,
            username="lyon",
            password_env=PASSWORD_VARIABLE,
        )
        child = subprocess.run(
            [sys.executable, __file__, "--poll-child", str(mailbox.pk)]
            + (["--profile"] if args.profile else []),
            cwd=ROOT,
            env=dict(os.environ, DATABASE_URL=url),
            capture_output=True,
            text=True,
        )
        if child.returncode != 0:
            sys.exit(child.stderr[-3000:])
        if args.profile:
            print(child.stderr)
        figures = json.loads(child.stdout.strip().splitlines()[-1])
        unseen = len(account.unseen())
    finally:
        imap_server_stop(server)
        shutil.rmtree(root, ignore_errors=True)  # a gigabyte of mail
    statuses = dict(
        InboundMessage.objects.filter(mailbox=mailbox)
        .values_list("status")
        .annotate(count=Count("id"))
        .values_list("status", "count")
    )
    rate = figures["stored"] / figures["seconds"]
    print(
        f"polled over IMAP: {figures['stored']} stored, {figures['already']} already known, "
        f"{figures['failed']} failed, {unseen} left unread, in {figures['seconds']:.1f} s"
    )
    print(f"statuses: {statuses}")
    print(
        f"throughput: {rate:.0f} messages/s; the poller's CPU: "
        f"{figures['cpu'] * 1000 / max(figures['stored'], 1):.0f} ms a message"
    )
    print(
        f"poller process RSS: {figures['rss_before'] / 2**20:.0f} MiB before the poll, "
        f"peak {figures['rss_peak'] / 2**20:.0f} MiB"
    )
    print(f"load average (1, 5, 15 min): {os.getloadavg()}, CPUs: {os.cpu_count()}")


if __name__ == "__main__":
    main()
