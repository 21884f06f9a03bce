import pytest

from relation_client import handlers


@pytest.mark.django_db
def test_unknown_api_url_answers_the_json_error_shape(agent_client):
    response = agent_client.get("/api/v1/nulle-part/")
    assert response.status_code == 404
    assert response.json() == {
        "code": "not_found",
        "field": None,
        "detail": "Ressource introuvable.",
    }


@pytest.mark.django_db
def test_unknown_page_stays_html(agent_client):
    response = agent_client.get("/nulle-part/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_server_error_under_api_is_json_without_details(rf):
    response = handlers.server_error(rf.get("/api/v1/customers/"))
    assert response.status_code == 500
    assert b'"code": "server_error"' in response.content
