"""Staff roles as Django groups, and the permissions each one carries.

Roles are cumulative: a supervisor can do what an agent does, and so on up to
the network director. The data-protection officer is apart: privacy tools and
read access, no operational figures. Administrators get every permission.
Partner staff are apart too: no agent profile, only the requests escalated to their
partner (the partner space checks their PartnerMember link).
"""

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

AGENT = "agent"
SUPERVISOR = "superviseur"
MANAGER = "manager"
NETWORK_DIRECTOR = "direction_reseau"
DPO = "dpo"
ADMINISTRATOR = "administrateur"
PARTNER = "partenaire"

LABELS = {
    AGENT: _("Agent"),
    SUPERVISOR: _("Superviseur"),
    MANAGER: _("Manager d'agence"),
    NETWORK_DIRECTOR: _("Direction réseau"),
    DPO: _("Délégué à la protection des données"),
    ADMINISTRATOR: _("Administrateur"),
    PARTNER: _("Personnel d'un partenaire"),
}

_AGENT_PERMISSIONS = [
    "agences.view_agency",
    "agences.view_agent",
    # the network's disruptions and their riders (relation_client/network)
    "network.view_disruption",
]
_SUPERVISOR_PERMISSIONS = [
    *_AGENT_PERMISSIONS,
    "agences.approve_gesture",
    "agences.merge_customers",
    "agences.view_agency_figures",
    # a locked-out agent of their agency: the brake lifted (agences/views/accounts.py)
    "agences.unlock_agent",
    "cycle.view_round",
    # the canned answers agents pick when they answer by e-mail (/reponses-types/)
    "messaging.change_answertemplate",
    # enter a disruption, warn its riders (relation_client/network)
    "network.add_disruption",
    "network.change_disruption",
]
# managers tune the workspace's reference lists in the admin (they are staff users)
_REFERENCE_LISTS = [
    f"{app}.{action}_{model}"
    for app, model in [
        ("customers", "segment"),
        ("touchpoints", "reason"),
        ("touchpoints", "channelcommitment"),
        ("touchpoints", "gesturelimit"),
        ("agences", "partner"),
        ("agences", "agentabsence"),
        ("agences", "partnercommitment"),
        ("agences", "partnermember"),
        ("agences", "skill"),
        ("agences", "trainingsession"),
        ("agences", "trainingattendance"),
    ]
    for action in ("view", "add", "change")
]
_MANAGER_PERMISSIONS = [
    *_SUPERVISOR_PERMISSIONS,
    "agences.change_agent",
    "agences.change_agency",
    "agences.manage_campaigns",
    "cycle.steer_cycle",
    *_REFERENCE_LISTS,
]

# roles that may open the Django admin (for the reference lists above)
STAFF_ROLES = {"manager", "direction_reseau", "administrateur"}
# roles that work the agencies' customers, requests and figures: not the DPO's alone
WORKSPACE_ROLES = {AGENT, SUPERVISOR, MANAGER, NETWORK_DIRECTOR, ADMINISTRATOR}


def works_in_workspace(role_names) -> bool:
    """Whether these roles work the agencies' customers, requests and figures: the rule
    of `workspace_required`, of the navigation and of the actions a page offers."""
    return bool(WORKSPACE_ROLES.intersection(role_names))


ROLE_PERMISSIONS: dict[str, list[str]] = {
    AGENT: _AGENT_PERMISSIONS,
    SUPERVISOR: _SUPERVISOR_PERMISSIONS,
    MANAGER: _MANAGER_PERMISSIONS,
    NETWORK_DIRECTOR: [
        *_MANAGER_PERMISSIONS,
        "agences.view_network_figures",
        "agences.add_agency",
        "agences.add_agent",
    ],
    DPO: ["agences.view_agency", "agences.view_agent", "agences.use_privacy_tools"],
    ADMINISTRATOR: [],  # every permission, filled in by roles_sync
    PARTNER: ["agences.answer_escalated_requests"],
}

# highest first: the role a person is shown with when they hold several
PRECEDENCE = [ADMINISTRATOR, NETWORK_DIRECTOR, DPO, MANAGER, SUPERVISOR, AGENT, PARTNER]


def _permissions(labels: list[str]) -> list[Permission]:
    query = Q(pk__in=[])
    for label in labels:
        app_label, codename = label.split(".")
        query |= Q(content_type__app_label=app_label, codename=codename)
    found = list(Permission.objects.filter(query))
    missing = set(labels) - {f"{p.content_type.app_label}.{p.codename}" for p in found}
    if missing:
        raise LookupError(f"Unknown permissions for roles: {sorted(missing)}")
    return found


def roles_sync() -> None:
    """Create or update the role groups so they hold exactly their permissions."""
    with transaction.atomic():
        for role, labels in ROLE_PERMISSIONS.items():
            group, _created = Group.objects.get_or_create(name=role)
            if role == ADMINISTRATOR:
                group.permissions.set(Permission.objects.all())
            else:
                group.permissions.set(_permissions(labels))


def roles_sync_after_migrate(sender, app_config=None, **kwargs) -> None:
    # post_migrate fires once per app that has models, in INSTALLED_APPS order: the
    # last one's signal comes after every app's permissions were created
    with_models = [config for config in apps.get_app_configs() if config.models_module]
    if app_config is with_models[-1]:
        roles_sync()


def role_of(user) -> str | None:
    names = {group.name for group in user.groups.all()}
    return next((role for role in PRECEDENCE if role in names), None)


def roles_grant(role_names, permission: str) -> bool:
    """Whether these roles carry the permission, read from the table above without a
    query: for what a page offers from the role names loaded with the agent
    (agences.selectors.agent_for_user). Administrators hold every permission."""
    names = set(role_names)
    return ADMINISTRATOR in names or any(
        permission in ROLE_PERMISSIONS.get(name, []) for name in names
    )
