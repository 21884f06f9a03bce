"""/api/schema/ describes every endpoint without a warning; /api/docs/ works offline."""

import re

import pytest
import yaml
from django.contrib.staticfiles import finders
from django.core.management import call_command
from django.urls import reverse

# 414 on every operation: the HTTP server refuses a URL too long before the application
OPERATIONS = {
    ("/api/v1/customers/", "get"): {"200", "400", "401", "403", "414", "429"},
    ("/api/v1/customers/", "post"): {
        *("201", "400", "401", "403", "409", "413", "415", "422", "414", "429"),
    },
    ("/api/v1/customers/{id}/", "get"): {"200", "401", "403", "404", "414", "429"},
    ("/api/v1/customers/{id}/", "patch"): {
        *("200", "400", "401", "403", "404", "409", "413", "415", "414", "429"),
    },
    ("/api/v1/customers/lookup/", "get"): {"200", "400", "401", "403", "404", "414", "429"},
    ("/api/v1/customers/{id}/timeline/", "get"): {"200", "400", "401", "403", "404", "414", "429"},
    ("/api/v1/touchpoints/", "post"): {
        *("201", "400", "401", "403", "409", "413", "415", "422", "414", "429"),
    },
    ("/api/v1/requests/", "get"): {"200", "400", "401", "403", "414", "429"},
    ("/api/v1/requests/{id}/", "get"): {"200", "401", "403", "404", "414", "429"},
}


@pytest.fixture(scope="module")
def schema(tmp_path_factory):
    path = tmp_path_factory.mktemp("openapi") / "schema.yaml"
    # --fail-on-warn turns any generator warning (an unguessable type, an enum name
    # collision…) into a CommandError; --validate checks it against the OpenAPI spec
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(path))
    return yaml.safe_load(path.read_text())


def test_every_endpoint_is_documented_with_its_errors(schema):
    documented = {
        (path, method): set(operation["responses"])
        for path, item in schema["paths"].items()
        for method, operation in item.items()
    }

    assert {op: documented.get(op) for op in OPERATIONS} == OPERATIONS


def test_errors_share_one_shape(schema):
    error = schema["components"]["schemas"]["Error"]
    duplicate = schema["components"]["schemas"]["DuplicateError"]
    post = schema["paths"]["/api/v1/customers/"]["post"]

    assert set(error["properties"]) == {"code", "field", "detail", "errors"}
    assert set(duplicate["properties"]) == {"code", "field", "detail", "matches"}
    assert post["responses"]["400"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Error"
    }


def test_input_and_output_shapes_are_separate(schema):
    post = schema["paths"]["/api/v1/customers/"]["post"]
    request = post["requestBody"]["content"]["application/json"]["schema"]["$ref"]
    created = post["responses"]["201"]["content"]["application/json"]["schema"]["$ref"]
    fields = schema["components"]["schemas"]["CustomerCreateInputRequest"]["properties"]

    assert request.endswith("/CustomerCreateInputRequest")
    assert created.endswith("/CustomerDetail")
    assert {"phones", "emails", "cards", "contracts", "confirm_duplicate"} <= set(fields)


@pytest.mark.django_db
def test_the_schema_is_served(client):
    response = client.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")

    assert response.status_code == 200
    assert "/api/v1/customers/lookup/" in response.json()["paths"]


@pytest.mark.django_db
def test_swagger_ui_uses_only_local_assets(client):
    response = client.get(reverse("api-docs"))

    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert any("swagger-ui-bundle.js" in asset for asset in assets), assets
    assert not [a for a in assets if re.match(r"(https?:)?//", a)], assets
    # and each one is a file we ship: nothing fetched from a CDN on an intranet; the
    # page's own start-up script is served by the view itself (no inline script: CSP)
    assert "/api/docs/?script=" in assets
    for asset in assets:
        if asset == "/api/docs/?script=":
            assert client.get(asset)["Content-Type"].startswith("application/javascript")
            continue
        assert asset.startswith("/static/"), asset
        assert finders.find(asset.removeprefix("/static/")), asset
