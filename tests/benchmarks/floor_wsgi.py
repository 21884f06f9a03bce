"""The project's WSGI application plus one benchmark-only view: the framework's floor.

gunicorn serves `floor_wsgi:application` (tests/benchmarks on PYTHONPATH). Every project
URL answers as in production; GET /bench/floor/ goes through the same middleware stack
(sessions, CSRF, authentication, idempotency, CSP…) and returns a constant, touching
neither the database nor a template. The production URLconf is unchanged: this module
becomes ROOT_URLCONF in the benchmark's processes only.
"""

import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse
from django.urls import path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relation_client.settings")
application = get_wsgi_application()  # sets Django up before the project's URLs load

from relation_client import urls as project_urls  # noqa: E402

FLOOR_PATH = "/bench/floor/"


def floor(request):
    return HttpResponse("plancher", content_type="text/plain; charset=utf-8")


urlpatterns = [path(FLOOR_PATH.lstrip("/"), floor), *project_urls.urlpatterns]
handler404 = project_urls.handler404
handler500 = project_urls.handler500

settings.ROOT_URLCONF = __name__
