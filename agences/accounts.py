"""Staff access: who may change whose agency and role, unlocking, and the audit of both.

Every change of an agent's agency, role or login account, and every unlock, writes a
StaffChange row in the same transaction as the change itself.
"""

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils.translation import gettext as _

from agences import roles
from agences.brake import brake_clear_account
from agences.models import Agent, StaffChange, StaffChangeField
from socle.errors import DomainError

# the operational ladder: a person may hand out the roles up to their own rung
LADDER = [roles.AGENT, roles.SUPERVISOR, roles.MANAGER, roles.NETWORK_DIRECTOR]


def is_administrator(user) -> bool:
    return user.is_superuser or user.groups.filter(name=roles.ADMINISTRATOR).exists()


def roles_grantable(*, user) -> list[str]:
    """The roles this person may give: administrators every one; others the ladder's rungs
    up to their own highest (a manager: agent, supervisor, manager)."""
    if is_administrator(user):
        return list(roles.LABELS)
    held = {group.name for group in user.groups.all()}
    rungs = [index for index, role in enumerate(LADDER) if role in held]
    return LADDER[: max(rungs) + 1] if rungs else []


def role_names(*, user) -> list[str]:
    return sorted(group.name for group in user.groups.all())


def staff_change_record(*, actor, agent: Agent, field: str, old: str, new: str) -> StaffChange:
    return StaffChange.objects.create(actor=actor, agent=agent, field=field, old=old, new=new)


def agent_roles_set(*, actor, agent: Agent, new_roles: list[str]) -> None:
    """Give the agent exactly these roles. The roles added or removed must all be
    grantable by the actor: a manager neither promotes above their rung nor demotes a
    director."""
    grantable = set(roles_grantable(user=actor))
    old_roles = role_names(user=agent.user)
    touched = set(old_roles).symmetric_difference(new_roles)
    if not touched:
        return
    if not touched <= grantable:
        raise DomainError(
            "role_not_grantable",
            _("Vous ne pouvez pas attribuer ou retirer ce rôle."),
            field="roles",
        )
    with transaction.atomic():
        agent.user.groups.set(Group.objects.filter(name__in=new_roles))
        staff_change_record(
            actor=actor,
            agent=agent,
            field=StaffChangeField.ROLE,
            old=", ".join(old_roles),
            new=", ".join(sorted(new_roles)),
        )


def agent_unlock(*, actor, agent: Agent) -> None:
    """Lift the login brake from the agent's account (a supervisor's gesture)."""
    with transaction.atomic():
        staff_change_record(
            actor=actor,
            agent=agent,
            field=StaffChangeField.UNLOCK,
            # codes, said in the reader's language (StaffChange.old_text)
            old=StaffChange.LOCKED,
            new=StaffChange.UNLOCKED,
        )
        transaction.on_commit(lambda: brake_clear_account(username=agent.user.get_username()))
