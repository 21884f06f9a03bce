"""Account pages: the second factor (setup and code), the session's keep-alive, the
supervisor's unlocking of a locked-out agent, and the staff audit for the DPO."""

import base64
import io
import time
from urllib.parse import urlencode

import django_otp
import qrcode
import qrcode.image.svg
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice

from agences.accounts import agent_unlock
from agences.brake import (
    SECOND_FACTOR,
    accounts_braked,
    brake_blocked,
    brake_clear_account,
    brake_failed,
)
from agences.decorators import permission_required
from agences.forms import OneTimeCodeForm
from agences.models import Agent, StaffChange
from agences.otp import confirmed_device
from agences.permissions import UNLOCK_AGENT, USE_PRIVACY_TOOLS, VIEW_NETWORK_FIGURES
from agences.sessions import SEEN, session_seconds_left


def _next_url(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return target if allowed else settings.LOGIN_REDIRECT_URL


def _qr_svg(url: str) -> str:
    image = qrcode.make(url, image_factory=qrcode.image.svg.SvgPathImage, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer)
    # an <img> with a data: URL: the CSP allows data: images, not inline SVG scripts
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def _check_code(request, device: TOTPDevice, form: OneTimeCodeForm) -> bool:
    """The code, under the brake: six digits cannot be left to unlimited guessing."""
    username = request.user.get_username()
    if brake_blocked(request=request, username=username, scope=SECOND_FACTOR):
        form.add_error(None, _("Trop de codes erronés. Réessayez dans un quart d'heure."))
        return False
    if not form.is_valid():
        return False
    if not device.verify_token(form.cleaned_data["code"]):
        brake_failed(request=request, username=username, scope=SECOND_FACTOR)
        form.add_error("code", _("Code incorrect ou expiré. Saisissez le code affiché maintenant."))
        return False
    brake_clear_account(username=username, scope=SECOND_FACTOR)
    return True


@login_required
def otp_setup(request):
    """Pair an authenticator application: scan the QR code (or type the key), then
    confirm with a first code. A confirmed device is not shown again."""
    if confirmed_device(request.user) is not None:
        return redirect(f"{reverse('otp_verify')}?{urlencode({'next': _next_url(request)})}")
    device, _created = TOTPDevice.objects.get_or_create(
        user=request.user, confirmed=False, defaults={"name": _("Application d'authentification")}
    )
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and _check_code(request, device, form):
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        django_otp.login(request, device)
        messages.success(request, _("Second facteur activé."))
        return redirect(_next_url(request))
    secret = base64.b32encode(device.bin_key).decode()
    context = {
        "form": form,
        "qr": _qr_svg(device.config_url),
        "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "next": _next_url(request),
    }
    return render(request, "agences/accounts/otp_setup.html", context, status=_status(form))


def _status(form) -> int:
    return 422 if form.is_bound and form.errors else 200


@login_required
def otp_verify(request):
    device = confirmed_device(request.user)
    if device is None:
        return redirect("otp_setup")
    form = OneTimeCodeForm(request.POST or None)
    if request.method == "POST" and _check_code(request, device, form):
        django_otp.login(request, device)
        return redirect(_next_url(request))
    context = {"form": form, "next": _next_url(request)}
    return render(request, "agences/accounts/otp_verify.html", context, status=_status(form))


@require_POST
@login_required
def session_keepalive(request):
    """The warning's "stay signed in" button: a request, so the idle time starts again."""
    request.session[SEEN] = int(time.time())
    return JsonResponse({"seconds_left": session_seconds_left(request)})


def _team(request):
    agents = Agent.objects.select_related("user", "agency").order_by("display_name")
    if request.user.has_perm(VIEW_NETWORK_FIGURES):
        return agents
    return agents.filter(agency=request.agent.agency_id)


@permission_required(UNLOCK_AGENT, _("Seul un superviseur de l'agence peut débloquer un compte."))
def team_accounts(request):
    """The supervisor's list of their agency's accounts, the locked ones first."""
    agents = list(_team(request))
    braked = accounts_braked(usernames=[agent.user.get_username() for agent in agents])
    rows = sorted(
        ((agent, agent.user.get_username() in braked) for agent in agents),
        key=lambda row: not row[1],
    )
    return render(request, "agences/accounts/team_accounts.html", {"rows": rows})


@require_POST
@permission_required(UNLOCK_AGENT, _("Seul un superviseur de l'agence peut débloquer un compte."))
def account_unlock(request, pk: int):
    agent = _team(request).filter(pk=pk).first()
    if agent is None:  # another agency's agent: not theirs to know
        raise Http404
    agent_unlock(actor=request.user, agent=agent)
    messages.success(
        request, _("Le compte de %(name)s est débloqué.") % {"name": agent.display_name}
    )
    return redirect("agences:team_accounts")


@permission_required(USE_PRIVACY_TOOLS, _("Le journal des accès est réservé au DPO."))
def staff_changes(request):
    changes = StaffChange.objects.select_related("agent__agency", "actor")[:500]
    return render(request, "agences/accounts/staff_changes.html", {"changes": changes})
