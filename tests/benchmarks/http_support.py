"""What the HTTP benchmark and the load test share (not a test: pytest collects test_*.py).

- production-like settings for a real server on the loopback (DEBUG=false, collected
  static files, a throwaway SECRET_KEY);
- gunicorn and a Celery worker started as subprocesses, stopped by their own pid;
- a small HTTP client over http.client with a cookie jar, CSRF and timing;
- the bench staff (agents, a network director, an API token) created through the ORM.
"""

import http.client
import os
import platform
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parents[2]
BENCH_DIR = Path(__file__).resolve().parent
PYTHON = sys.executable
BENCH_PASSWORD = "bench-http-2026"
BENCH_TAG = "[bench]"  # every touchpoint the benchmarks log starts with it
LOG_DIR = Path(tempfile.gettempdir()) / "relation-client-bench"  # server and worker logs
if str(ROOT) not in sys.path:  # demo.dataset.createdb: whose databases these are
    sys.path.insert(0, str(ROOT))


# --- settings and processes ------------------------------------------------------------


def server_env(database_url: str, redis_url: str, *, debug: bool = False) -> dict:
    """The environment of gunicorn, the worker and the in-process Django: production
    settings (DEBUG=false) but plain HTTP on the loopback, mails dropped."""
    env = dict(os.environ)
    env.update(
        DATABASE_URL=database_url,
        REDIS_URL=redis_url,
        DEBUG="true" if debug else "false",
        # a fresh key per run is enough: the sessions live for the run only
        SECRET_KEY=env.get("BENCH_SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        # TLS ends at the reverse proxy in production; here the loopback speaks HTTP
        SECURE_SSL_REDIRECT="false",
        STATIC_ROOT=str(ROOT / "staticfiles"),
        EMAIL_URL="dummymail://",
        # one token does hundreds of requests a second here
        API_TOKEN_RATE="1000000/min",
        LOG_LEVEL="WARNING",
        # the bench director signs in with a password only: no authenticator to scan (in
        # production their pages also read their TOTP device, one query more)
        OTP_REQUIRED_ROLES="",
        PYTHONPATH=os.pathsep.join(filter(None, [str(BENCH_DIR), env.get("PYTHONPATH")])),
    )
    return env


def manage(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "manage.py", *args], cwd=ROOT, env=env, check=check)


def prepare_database(env: dict, *, fill_size: str = "medium") -> None:
    """Create the database if missing, migrate it, fill it when it has no customer
    (generate_dataset, or the demo network where that command is missing), and collect
    the static files that DEBUG=false serves from the manifest storage."""
    import psycopg

    from demo.dataset.createdb import database_claim

    url = env["DATABASE_URL"]
    name = urlsplit(url).path.lstrip("/")
    database_claim(url)  # never a database the benchmarks or make dataset did not create
    manage(env, "migrate", "--noinput", "-v0")
    with psycopg.connect(url) as conn:
        empty = conn.execute("SELECT NOT EXISTS (SELECT 1 FROM customers_customer)").fetchone()[0]
    if empty:
        has_generator = manage(env, "help", "generate_dataset", check=False).returncode == 0
        print(f"filling {name} ({fill_size if has_generator else 'demo network'})…", flush=True)
        if has_generator:  # a local bench database: the generator's DEBUG guard lets it
            manage(
                dict(env, DEBUG="true"),
                "generate_dataset",
                "--size",
                fill_size,
                "--with-indicators",
            )
        else:
            manage(env, "seed_demo", "--customers", "5000")
    manage(env, "collectstatic", "--noinput", "-v0")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# the server of docker-compose.yml: gunicorn with uvicorn workers serving the ASGI app
SERVERS = {
    "uvicorn": ("floor_asgi:application", ["--worker-class", "uvicorn_worker.UvicornWorker"]),
    "sync": ("floor_wsgi:application", []),
}


def server_label(server: str, workers: int) -> str:
    kind = "uvicorn workers (ASGI)" if server == "uvicorn" else "sync workers (WSGI)"
    return f"gunicorn, {workers} {kind}"


def machine_facts() -> dict:
    """What every table is printed with: the machine and how loaded it was."""
    model = ""
    try:
        with open("/proc/cpuinfo") as info:
            model = next(
                (line.split(":", 1)[1].strip() for line in info if line.startswith("model name")),
                "",
            )
    except OSError:
        model = platform.processor()
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "host": platform.node(),
        "cpus": os.cpu_count(),
        "cpu_model": model or platform.machine(),
        "load_average": [round(value, 2) for value in os.getloadavg()],
    }


def facts_line(facts: dict) -> str:
    load = ", ".join(f"{value:.2f}" for value in facts["load_average"])
    return (
        f"{facts['date']}; {facts['cpus']} CPUs ({facts['cpu_model']}); "
        f"load average (1, 5, 15 min) {load}"
    )


def start_gunicorn(
    env: dict, *, port: int, workers: int, server: str = "uvicorn", app: str | None = None
):
    """gunicorn as in docker-compose.yml (uvicorn workers; `server="sync"`: the WSGI
    sync workers of before), serving `app` (by default the project's with the floor
    view); ready when /sante/ answers."""
    default_app, worker_class = SERVERS[server]
    app = app or default_app
    LOG_DIR.mkdir(exist_ok=True)
    log = open(LOG_DIR / f"gunicorn-{port}.log", "w")  # noqa: SIM115 (closed in stop)
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "gunicorn",
            app,
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "120",
            "--log-level",
            "warning",
            *worker_class,
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    process.log = log
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited ({process.returncode}), see {log.name}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/sante/")
            if conn.getresponse().status == 200:
                conn.close()
                return process
        except OSError:
            pass
        time.sleep(0.2)  # polling the server's readiness, with a deadline
    stop(process)
    raise RuntimeError("gunicorn did not answer within 60 s")


def start_worker(env: dict, *, concurrency: int = 1):
    """The real Celery worker (prefork) over the run's Redis."""
    LOG_DIR.mkdir(exist_ok=True)
    log = open(LOG_DIR / "celery-worker.log", "w")  # noqa: SIM115 (closed in stop)
    process = subprocess.Popen(
        [
            PYTHON,
            "-m",
            "celery",
            "-A",
            "relation_client",
            "worker",
            "--concurrency",
            str(concurrency),
            "--loglevel",
            "WARNING",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    process.log = log
    return process


def worker_wait_ready(timeout: float = 90) -> None:
    """A real task round trip: the worker consumes and answers (Django set up here)."""
    from relation_client.tasks import heartbeat

    heartbeat.delay().get(timeout=timeout)


def stop(process) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=10)
    log = getattr(process, "log", None)
    if log is not None:
        log.close()


def setup_django(env: dict) -> None:
    """Django in this process with the server's settings (query counts, bench fixtures)."""
    for key in (
        "DATABASE_URL",
        "REDIS_URL",
        "DEBUG",
        "SECRET_KEY",
        "ALLOWED_HOSTS",
        "SECURE_SSL_REDIRECT",
        "STATIC_ROOT",
        "EMAIL_URL",
        "API_TOKEN_RATE",
        "LOG_LEVEL",
        "OTP_REQUIRED_ROLES",
    ):
        os.environ[key] = env[key]
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relation_client.settings")
    for path in (str(ROOT), str(BENCH_DIR)):
        if path not in sys.path:
            sys.path.insert(0, path)
    import django

    django.setup()


# --- statistics ------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    """The q-th percentile (0–100), linear between closest ranks."""
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[int(q) - 1]


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f}"


# --- HTTP client -----------------------------------------------------------------------


class HttpError(Exception):
    pass


class Session:
    """One browser-like user: a connection (reopened when gunicorn's sync worker closes
    it), its cookies, and the CSRF token."""

    def __init__(self, port: int, *, token: str | None = None):
        self.port = port
        self.token = token
        self.cookies: dict[str, str] = {}
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def close(self) -> None:
        self.conn.close()

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict | None = None,
        body: bytes | None = None,
        headers: dict | None = None,
    ) -> tuple[int, bytes, dict, float]:
        """(status, body, headers, seconds); the time covers sending and the whole body."""
        if params:
            path = f"{path}?{urlencode(params)}"
        sent = {"Host": f"127.0.0.1:{self.port}", "Accept-Language": "fr"}
        if self.cookies:
            sent["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if self.token:
            sent["Authorization"] = f"Bearer {self.token}"
        sent.update(headers or {})
        for attempt in range(2):
            start = time.perf_counter()
            try:
                self.conn.request(method, path, body=body, headers=sent)
                response = self.conn.getresponse()
                data = response.read()
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                # the server closed a kept-alive connection between two requests
                self.conn.close()
                if attempt:
                    raise
                continue
            elapsed = time.perf_counter() - start
            break
        if response.getheader("Connection", "").lower() == "close":
            self.conn.close()  # the next request opens a new one (sync workers)
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
        return response.status, data, dict(response.getheaders()), elapsed

    @property
    def csrf(self) -> str:
        return self.cookies.get("csrftoken", "")

    def post_form(self, path: str, fields: dict, headers: dict | None = None):
        body = urlencode({**fields, "csrfmiddlewaretoken": self.csrf}).encode()
        sent = {"Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": self.csrf}
        sent.update(headers or {})
        return self.request("POST", path, body=body, headers=sent)

    def login(self, username: str, password: str = BENCH_PASSWORD) -> None:
        status, _body, _headers, _t = self.request("GET", "/connexion/")
        if status != 200 or not self.csrf:
            raise HttpError(f"login page: HTTP {status}")
        status, _body, headers, _t = self.post_form(
            "/connexion/", {"username": username, "password": password}
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise HttpError(f"login of {username}: HTTP {status}")


# --- bench staff -----------------------------------------------------------------------


def bench_staff(*, prefix: str, count: int, role: str, agencies: list) -> list:
    """`count` users prefix.01… with their Agent (spread over `agencies`) and the role's
    group, all with BENCH_PASSWORD (hashed once). Idempotent."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group

    from agences.models import Agent

    User = get_user_model()
    group = Group.objects.get(name=role)
    hashed = make_password(BENCH_PASSWORD)
    agents = []
    for index in range(1, count + 1):
        username = f"{prefix}.{index:02d}"
        user, _created = User.objects.update_or_create(
            username=username,
            defaults={
                "password": hashed,
                "is_active": True,
                "first_name": "Banc",
                "last_name": f"d'essai {index}",
            },
        )
        user.groups.set([group])
        agent, _created = Agent.objects.update_or_create(
            user=user,
            defaults={
                "agency": agencies[(index - 1) % len(agencies)],
                "display_name": f"Banc d'essai {index}",
            },
        )
        agents.append(agent)
    return agents


def bench_token(agent) -> str:
    """A fresh API token with every scope, in the bench agent's name (the raw value is
    shown once: earlier bench tokens are revoked)."""
    from django.utils import timezone

    from relation_client.api.models import ApiToken, Scope, token_generate

    ApiToken.objects.filter(name="Banc d'essai HTTP", revoked_at__isnull=True).update(
        revoked_at=timezone.now()
    )
    raw, lookup, key_hash = token_generate()
    ApiToken.objects.create(
        name="Banc d'essai HTTP",
        lookup=lookup,
        key_hash=key_hash,
        scopes=list(Scope.values),
        agent=agent,
    )
    return raw
