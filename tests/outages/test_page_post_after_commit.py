"""A page POST whose change is committed answers a success even when the database
connection is lost while the answer is read: a 500 would have the agent log it twice."""

import pytest
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.urls import reverse

from relation_client.customers import views as customer_views
from relation_client.touchpoints.models import Touchpoint

FORM = {
    "channel": "phone",
    "direction": "inbound",
    "reason": "fare",
    "summary": "Demande le tarif solidaire",
    "outcome": "",
    "mood": "neutral",
}


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_logging_answers_a_success_when_the_reread_loses_the_connection(
    agent_client, helene, monkeypatch
):
    real_read = customer_views.open_requests_of

    def read_on_a_cut_connection(**kwargs):
        # the server ends this request's session for real, as a failover or a proxy would
        pid = connection.connection.info.backend_pid
        side = connections.create_connection(DEFAULT_DB_ALIAS)
        with side.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        side.close()
        return list(real_read(**kwargs))

    monkeypatch.setattr(customer_views, "open_requests_of", read_on_a_cut_connection)
    agent_client.raise_request_exception = False
    response = agent_client.post(
        reverse("customers:log_touchpoint", args=[helene.pk]),
        FORM,
        headers={"HX-Request": "true"},
    )
    connection.close()  # the test's own connection was the one cut
    assert response.status_code == 204
    assert response["HX-Redirect"] == helene.get_absolute_url()
    assert Touchpoint.objects.filter(customer=helene).count() == 1
    # the agent sees the confirmation on the page htmx loads next
    page = agent_client.get(helene.get_absolute_url())
    assert "Échange enregistré." in page.content.decode()
