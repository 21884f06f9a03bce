"""The public contact form and its thank-you page: no login, French or English.

The language: ?langue=fr|en when the visitor chose it on the page, else the one their
browser asks for (LocaleMiddleware), French otherwise. After a submission the visitor is
sent on (post/redirect/get) to the thank-you page, whose link carries the request's number
signed: it shows the reference and the deadline, and nobody can read another's by changing
the link."""

from functools import wraps
from urllib.parse import urlencode

from django.core import signing
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from agences.brake import client_address
from relation_client.messaging.acknowledgements import LANGUAGES, deadline_words
from relation_client.messaging.contact.forms import HONEYPOT, ContactForm
from relation_client.messaging.contact.services import contact_submit
from relation_client.touchpoints.models import Channel, ChannelCommitment, Request
from socle.errors import DomainError

THANKS_SALT = "contact-form-thanks"
THANKS_MAX_AGE = 24 * 3600  # the thank-you link shows the reference for a day


def _language(request) -> str:
    chosen = request.GET.get("langue")
    if chosen in LANGUAGES:
        return chosen
    browser = (translation.get_language() or "").split("-")[0]
    return browser if browser in LANGUAGES else "fr"


def _commitment_words() -> str:
    """The web form's response-time commitment, as managers set it: "2 jours ouvrés"."""
    commitment = ChannelCommitment.objects.filter(channel=Channel.WEB_FORM).first()
    if commitment is None:
        return ""
    amount = commitment.amount
    if commitment.unit == ChannelCommitment.Unit.WORKING_HOURS:
        words = ngettext("%(n)s heure ouvrée", "%(n)s heures ouvrées", amount)
    else:
        words = ngettext("%(n)s jour ouvré", "%(n)s jours ouvrés", amount)
    # "2 jours" never split across two lines
    return (words % {"n": amount}).replace(f"{amount} ", f"{amount}\u00a0", 1)


def same_origin_referrer(view):
    """Said here rather than left to the site-wide default, which may change: a POST sent
    under "no-referrer" carries "Origin: null" and fails Django's CSRF check (the survey
    pages learnt it in a real browser)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response["Referrer-Policy"] = "same-origin"
        return response

    return wrapped


def _thanks_url(language: str, request_id: int | None = None) -> str:
    query = {"langue": language}
    if request_id is not None:
        query = {"demande": signing.dumps(request_id, salt=THANKS_SALT), **query}
    return reverse("contact:thanks") + "?" + urlencode(query)


@never_cache
@same_origin_referrer
@require_http_methods(["GET", "POST"])
def contact(request):
    language = _language(request)
    with translation.override(language):
        if request.method == "POST" and request.POST.get(HONEYPOT, "").strip():
            # a robot: the same thank-you page, nothing stored, nothing counted
            return redirect(_thanks_url(language))
        form = ContactForm(request.POST if request.method == "POST" else None)
        status = 200
        if request.method == "POST":
            if form.is_valid():
                data = form.cleaned_data
                try:
                    message = contact_submit(
                        name=data["name"],
                        email=data["email"],
                        phone=data["phone"],
                        reason=data["reason"],
                        body=data["body"],
                        line=data["line"],
                        stop=data["stop"],
                        language=language,
                        address=client_address(request),
                    )
                except DomainError as error:
                    form.add_error(
                        error.field if error.field in form.fields else None, str(error.message)
                    )
                    status = 429 if error.code == "rate_limited" else 400
                else:
                    return redirect(_thanks_url(language, message.request_id))
            else:
                status = 400
        form.accessible()
        context = {
            "form": form,
            "fields_in_error": [field for field in form.visible_fields() if field.errors],
            "commitment": _commitment_words(),
            "language": language,
            "languages": LANGUAGES,
            "switch_query": "",
        }
        response = render(request, "messaging/contact/form.html", context, status=status)
    response["Content-Language"] = language  # LocaleMiddleware only sets it when absent
    return response


@never_cache
@same_origin_referrer
@require_GET
def thanks(request):
    language = _language(request)
    token = request.GET.get("demande", "")
    found = None
    if token:
        try:
            request_id = signing.loads(token, salt=THANKS_SALT, max_age=THANKS_MAX_AGE)
        except signing.BadSignature:
            request_id = None
        if isinstance(request_id, int):
            found = Request.objects.filter(pk=request_id).only("pk", "deadline").first()
    with translation.override(language):
        context = {
            "language": language,
            "languages": LANGUAGES,
            "reference": found.reference if found else "",
            "deadline": deadline_words(found.deadline, language) if found else "",
            "switch_query": urlencode({"demande": token}) + "&" if found else "",
        }
        response = render(request, "messaging/contact/thanks.html", context)
    response["Content-Language"] = language
    return response
