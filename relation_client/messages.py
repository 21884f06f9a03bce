"""The core's alert and audit texts (the mechanism: socle.messages). Registered from
touchpoints' AppConfig.ready(); the satellites register theirs from their own.

An alert's code is its kind when the kind says which text it is, "kind.variant" when a
kind has several texts; the audit's codes start with "audit.".
"""

from django.utils.translation import gettext_lazy as _

from relation_client.customers.models import (
    Civility,
    ConsentChannel,
    ConsentPurpose,
    ConsentSource,
)
from relation_client.touchpoints.models import GestureKind
from socle import messages
from socle.messages import as_amount, as_date, as_datetime, label


def salutation_params(customer) -> dict:
    """How an alert keeps a customer's greeting: the chosen name, else the civility's code
    and the full name, so that the civility is said in the reader's language."""
    if customer.preferred_name:
        return {"name": customer.preferred_name}
    return {"civility": customer.civility or "", "name": customer.full_name}


def salutation(value) -> str:
    if not isinstance(value, dict):
        return str(value)  # a converted row: the greeting as it was written
    civility = label(Civility)(value["civility"]) if value.get("civility") else ""
    return f"{civility} {value.get('name', '')}".strip()


def or_default(default) -> messages.Formatter:
    """An optional parameter: the default's words, in the reader's language, when empty."""

    def formatter(value) -> str:
        return str(value) if value else str(default)

    return formatter


def joined(value) -> str:
    return ", ".join(str(v) for v in value) if isinstance(value, list) else str(value)


def decision(value) -> str:
    if isinstance(value, bool):
        return str(_("accordé") if value else _("retiré"))
    return str(value)


def register() -> None:
    r = messages.register
    # --- alerts ------------------------------------------------------------------------
    r(
        "social_media",
        _("%(customer)s : %(reason)s sur les réseaux sociaux — %(summary)s"),
        customer=salutation,
    )
    r(
        "social_media.disruption",
        _(
            "%(count)s réclamations sur les réseaux sociaux en %(minutes)s minutes pendant la "
            "perturbation « %(header)s » (ligne(s) %(lines)s)."
        ),
        lines=joined,
    )
    r(
        "repeat_contact",
        _("%(customer)s a pris contact %(count)s fois en 7 jours."),
        customer=salutation,
    )
    r(
        "handover",
        _("%(agent)s vous confie %(customer)s : %(note)s"),
        customer=salutation,
        note=or_default(_("le client souhaite vous parler")),
    )
    r("handover.request", _("%(by)s vous attribue la demande « %(subject)s »."))
    r(
        "breach",
        _("Échéance dépassée (%(deadline)s) : %(customer)s — « %(subject)s »"),
        deadline=as_datetime,
        customer=salutation,
    )
    r(
        "breach.no_customer",
        _("Échéance dépassée (%(deadline)s) : « %(subject)s »"),
        deadline=as_datetime,
    )
    r(
        "deadline_soon",
        _("Échéance proche (%(deadline)s) : %(customer)s — « %(subject)s »"),
        deadline=as_datetime,
        customer=salutation,
    )
    r(
        "deadline_soon.no_customer",
        _("Échéance proche (%(deadline)s) : « %(subject)s »"),
        deadline=as_datetime,
    )
    r(
        "gesture_budget",
        _(
            "Gestes commerciaux de %(agency)s : %(granted)s € accordés sur %(allotted)s € "
            "ce mois-ci (%(percent)s %%). Au-delà du budget, chaque geste attendra votre "
            "approbation."
        ),
        granted=as_amount,
        allotted=as_amount,
    )
    gesture = {"value": as_amount, "customer": salutation, "kind": label(GestureKind, lower=True)}
    r(
        "gesture_approval",
        _("%(agent)s propose un geste de %(value)s € pour %(customer)s (%(kind)s) : %(reason)s"),
        **gesture,
    )
    r(
        "gesture_approval.over_budget",
        _(
            "Budget du mois dépassé : %(agent)s propose un geste de %(value)s € pour "
            "%(customer)s (%(kind)s) : %(reason)s"
        ),
        **gesture,
    )
    r(
        "retention",
        _(
            "Purge de conservation : %(count)s fiche(s) sans contact ni activité "
            "depuis le %(date)s anonymisée(s)."
        ),
        date=as_date,
    )
    r(
        "bulk_read",
        _(
            "%(author)s a consulté %(count)s fiches clients en moins d'une heure (seuil : "
            "%(limit)s). Vérifiez dans le journal des accès que cette lecture est légitime."
        ),
    )
    r(
        "send_failed",
        _(
            "Le message à %(address)s (%(reference)s) n'a pas pu être envoyé : %(error)s. "
            "Réessayez depuis la demande."
        ),
        error=or_default(_("erreur inconnue")),
    )
    # --- the audit trail ---------------------------------------------------------------
    r("audit.incoming_call", _("appel entrant"))
    r("audit.history", _("historique"))
    r("audit.access", _("droit d'accès"))
    # the changed fields' names, as the form or the API call named them
    r("audit.fields", "%(fields)s", fields=joined)
    r("audit.admin_fields", _("admin : %(fields)s"), fields=joined)
    # the erasure's reason, as the DPO typed it
    r("audit.erase", "%(reason)s")
    r(
        "audit.retention",
        _("conservation : relation terminée depuis plus de %(years)s ans"),
    )
    r(
        "audit.merge",
        _("n° %(absorbed)s fusionnée dans n° %(survivor)s (fusion %(merge)s)"),
    )
    r(
        "audit.unmerge",
        _("fusion %(merge)s annulée : n° %(absorbed)s séparée de n° %(survivor)s"),
    )
    r(
        "audit.consent",
        _("%(purpose)s par %(channel)s : %(decision)s (%(source)s)"),
        purpose=label(ConsentPurpose),
        channel=label(ConsentChannel, lower=True),
        decision=decision,
        source=label(ConsentSource, lower=True),
    )
    r(
        "audit.walkin_attached",
        _("Échange sans nom n° %(pk)s du %(date)s rattaché"),
        date=as_date,
    )
    r(
        "audit.message_attached",
        _("Message reçu n° %(pk)s du %(date)s rattaché"),
        date=as_date,
    )
    r("audit.message_read", _("message reçu n° %(pk)s"))
    r("audit.attachment_read", _("pièce jointe « %(name)s » du message reçu n° %(pk)s"))
    r("audit.partner_read", _("%(partner)s, demande n° %(number)s"))
    r("audit.list.search", _("recherche « %(query)s »"))
    r("audit.list.page", _("page %(page)s"))
    r("audit.list.search_page", _("recherche « %(query)s », page %(page)s"))
