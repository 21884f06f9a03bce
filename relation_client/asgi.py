"""The ASGI application: what uvicorn (`make run`) and gunicorn's uvicorn workers
(docker-compose.yml, Dockerfile) serve. Pages and the API run as under WSGI, each request
in a thread of its own; the live event stream (relation_client/live/views.py) is async
and holds no thread while a page listens."""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relation_client.settings")
# Under ASGI each request runs in a new thread: a connection kept for CONN_MAX_AGE in a
# thread that then ends would never be used again (Django's docs: disable persistent
# connections under ASGI). The request threads share a pool of connections instead
# (settings.DATABASE_POOL_SIZE), sized for one process's concurrent requests. Explicit
# values in the environment still win.
os.environ.setdefault("CONN_MAX_AGE", "0")
os.environ.setdefault("DATABASE_POOL_SIZE", "10")

from django.core.asgi import get_asgi_application  # noqa: E402 (after the environment)

application = get_asgi_application()
