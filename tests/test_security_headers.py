import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/connexion/", "/api/docs/"])
def test_pages_carry_a_csp_without_inline_scripts(client, path):
    response = client.get(path)
    policy = response["Content-Security-Policy"]
    script = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
    assert "'unsafe-inline'" not in script and "'unsafe-eval'" not in script
    assert "frame-ancestors 'none'" in policy
    assert b"<script>" not in response.content  # no inline script element either
