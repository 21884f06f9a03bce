"""GET /api/v1/requests/{id}/: one request and the touchpoints attached to it."""

from django.urls import reverse

from relation_client.touchpoints.models import Outcome, Reason
from relation_client.touchpoints.services import touchpoint_log
from tests.api.conftest import error_of


def url(request_id: int) -> str:
    return reverse("api:request-detail", args=[request_id])


def test_shows_the_request_and_its_touchpoints(api_client, agent, helene):
    reason = Reason.objects.get(code="complaint")
    opening = touchpoint_log(
        agent=agent,
        customer=helene,
        channel="email",
        reason=reason,
        summary="Ascenseur de la station Bellecour en panne depuis une semaine.",
        outcome=Outcome.FOLLOW_UP,
    )
    follow_up = touchpoint_log(
        agent=agent,
        customer=helene,
        channel="phone",
        direction="outbound",
        reason=reason,
        summary="Rappelée : réparation prévue jeudi.",
        request=opening.request,
    )

    response = api_client.get(url(opening.request_id))

    assert response.status_code == 200
    body = response.json()
    assert body["customer"] == {"id": helene.pk, "salutation": "Mme Hélène Dupont-Lefèvre"}
    assert body["channel"] == "email"
    assert body["subject"].startswith("Ascenseur de la station Bellecour")
    assert body["overdue"] is False
    assert body["partner"] is None
    assert [t["id"] for t in body["touchpoints"]] == [follow_up.pk, opening.pk]


def test_unknown_request_is_a_json_404(api_client):
    response = api_client.get(url(987654))

    assert response.status_code == 404
    assert error_of(response)["code"] == "not_found"


def test_anonymous_cannot_read_a_request(anonymous_client, agent, helene):
    opening = touchpoint_log(
        agent=agent,
        customer=helene,
        channel="phone",
        reason=Reason.objects.get(code="fare"),
        summary="Tarif solidaire",
        outcome="follow_up",  # a fare question opens no request by default
    )

    response = anonymous_client.get(url(opening.request_id))

    assert response.status_code == 401
    assert "solidaire" not in response.content.decode()
