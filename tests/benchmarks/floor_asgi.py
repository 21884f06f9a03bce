"""The project's ASGI application (what docker-compose.yml serves: gunicorn with uvicorn
workers) plus the benchmark-only floor view of floor_wsgi.py, in the benchmark's
processes only."""

import floor_wsgi  # noqa: E402, F401 (the floor's URLconf becomes ROOT_URLCONF)

from relation_client.asgi import application  # noqa: F401 (first: its CONN_MAX_AGE default)
