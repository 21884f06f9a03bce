"""The second factor for managers, the DPO and administrators, through the real login
page: sent to the setup page without a device; with one, a wrong code is refused and the
right one (computed from the device's key) lets them in. The admin is behind it too."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def second_factor_on(settings):
    settings.OTP_REQUIRED_ROLES = {"manager", "direction_reseau", "dpo", "administrateur"}
    # django-otp's own growing delay after a wrong code is its business (and tested by
    # it); here the wrong code and the right one follow each other at once
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    cache.clear()
    yield
    cache.clear()


def _code(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, device.step, device.t0, device.digits, device.drift):06d}"


def _sign_in(client, username: str):
    response = client.post(reverse("login"), {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return client.get(response["Location"])


@pytest.fixture
def francois_with_device(manager_lyon):
    return TOTPDevice.objects.create(user=manager_lyon.user, name="Téléphone", confirmed=True)


def test_manager_without_a_device_is_sent_to_setup_and_pairs_one(client, manager_lyon):
    home = _sign_in(client, "francois")
    assert home.status_code == 302
    assert home["Location"].startswith(reverse("otp_setup"))
    page = client.get(home["Location"])
    text = page.content.decode()
    assert "Activer le second facteur" in text
    assert 'src="data:image/svg+xml;base64,' in text
    device = TOTPDevice.objects.get(user=manager_lyon.user, confirmed=False)
    assert device.key  # the key shown is the device's: typed by hand, it gives the same codes

    wrong = client.post(reverse("otp_setup"), {"code": "000000", "next": "/"})
    assert wrong.status_code == 422
    assert "Code incorrect" in wrong.content.decode()
    # still held at the second factor (a manager's home sends them on to their dashboard)
    assert client.get(reverse("home"))["Location"].startswith(reverse("otp_setup"))

    right = client.post(reverse("otp_setup"), {"code": _code(device), "next": "/"})
    assert right.status_code == 302 and right["Location"] == "/"
    device.refresh_from_db()
    assert device.confirmed
    # signed in: the manager lands on their dashboard, the bar naming them
    assert "François Lemaire" in client.get(reverse("home"), follow=True).content.decode()


def test_with_a_device_a_wrong_code_is_refused_and_the_right_one_lets_in(
    client, francois_with_device
):
    home = _sign_in(client, "francois")
    assert home["Location"].startswith(reverse("otp_verify"))
    wrong = client.post(reverse("otp_verify"), {"code": "123456"})
    assert wrong.status_code == 422
    assert client.get(reverse("customers:search")).status_code == 302
    right = client.post(reverse("otp_verify"), {"code": _code(francois_with_device), "next": "/"})
    assert right.status_code == 302
    assert client.get(reverse("customers:search")).status_code == 200


def test_codes_are_braked(client, settings, francois_with_device):
    settings.LOGIN_MAX_FAILURES = 3
    _sign_in(client, "francois")
    for _ in range(3):
        client.post(reverse("otp_verify"), {"code": "123456"})
    refused = client.post(reverse("otp_verify"), {"code": _code(francois_with_device)})
    assert refused.status_code == 422
    assert "Trop de codes erronés" in refused.content.decode()
    # still held at the second factor (a manager's home sends them on to their dashboard)
    assert client.get(reverse("home"))["Location"].startswith(reverse("otp_verify"))


def test_the_admin_is_behind_the_second_factor(client, francois_with_device, manager_lyon):
    manager_lyon.user.is_staff = True
    manager_lyon.user.save(update_fields=["is_staff"])
    response = client.post(
        reverse("admin:login"), {"username": "francois", "password": PASSWORD, "next": "/admin/"}
    )
    assert response.status_code == 302
    admin = client.get("/admin/agences/agent/")
    assert admin.status_code == 302
    assert admin["Location"].startswith(reverse("otp_verify"))


@pytest.mark.parametrize("persona, username", [("dpo", "dpo"), ("director", "isabelle")])
def test_dpo_and_direction_owe_the_second_factor_too(client, request, persona, username):
    request.getfixturevalue(persona)
    assert _sign_in(client, username)["Location"].startswith(reverse("otp_setup"))


def test_an_agent_signs_in_with_the_password_alone(client, agent):
    assert _sign_in(client, "camille").status_code == 200


def test_the_api_answers_json_until_the_second_factor(client, francois_with_device):
    _sign_in(client, "francois")
    response = client.get("/api/v1/customers/")
    assert response.status_code == 403
    assert response.json()["code"] == "second_factor_required"
