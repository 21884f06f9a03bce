"""The signed-in user, their agent profile and their permissions, cached in Redis.

Every page needed the same look-ups before its view ran: the user, the agent with its
agency and role names, and (for a permission check) the user's and the roles'
permissions. They change rarely, so the authentication backend keeps them in the cache
(one Redis round trip per request) under two version tokens:

- the user's own (`staff:v:<user id>`), replaced when the user, their agent profile
  (agency, name, extension) or their roles change, and when the account is created (so
  an id reused after a rollback never meets an old entry);
- the staff's (`staff:v`), replaced when an agency, a role or a role's permissions
  change: rare, and they touch many users at once.

The tokens are socle/versioned_cache.py's (read with the entry, replaced at once and
again after the change's commit). Writes that bypass
the model signals (`QuerySet.update()` on users or agents) must call
`staff_cache_bump(user_id=…)` themselves; the entries expire after
`STAFF_CACHE_SECONDS` in any case. Redis unreachable: the look-ups go to the database.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import m2m_changed, post_delete, post_save

from agences.models import Agency, Agent
from agences.selectors import agent_for_user
from socle.versioned_cache import cached_under, token_bump

STAFF_VERSION = "staff:v"


def _user_version_key(user_id) -> str:
    return f"staff:v:{user_id}"


def staff_cache_bump(*, user_id=None) -> None:
    """Invalidate one user's cached entry (`user_id`), or every user's (no argument)."""
    token_bump(STAFF_VERSION if user_id is None else _user_version_key(user_id))


class CachedModelBackend(ModelBackend):
    """Django's model backend, whose `get_user` (run once per request by the
    authentication middleware) serves the user from the cache, with their agent
    (`agent_for_user`) and their permissions (`has_perm`) already loaded."""

    def get_user(self, user_id):
        def load():
            user = super(CachedModelBackend, self).get_user(user_id)
            if user is not None:
                user.get_all_permissions()  # fills the user's permission cache (has_perm)
                agent_for_user(user=user)  # and the agent with its agency and role names
            return user

        return cached_under(
            f"staff:user:{user_id}",
            [STAFF_VERSION, _user_version_key(user_id)],
            load,
            timeout=settings.STAFF_CACHE_SECONDS,
        )


# --- What replaces the tokens (connected in AgencesConfig.ready) -------------------------


def _user_saved(sender, instance, **kwargs):
    staff_cache_bump(user_id=instance.pk)


def _agent_saved(sender, instance, **kwargs):
    staff_cache_bump(user_id=instance.user_id)


def _every_user(sender, created=False, **kwargs):
    # a new agency or role is in nobody's cached entry yet
    if not created:
        staff_cache_bump()


def _roles_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if isinstance(instance, get_user_model()):
        staff_cache_bump(user_id=instance.pk)
    else:  # a role's members changed from the role's side: its users, or all of them
        for user_id in pk_set or [None]:
            staff_cache_bump(user_id=user_id)


def _signed_in(sender, request, user, **kwargs):
    # after Django's own receiver saved the last login (which replaced the user's token):
    # the sign-in pays for the look-ups, the pages that follow find them cached
    CachedModelBackend().get_user(user.pk)


def staff_cache_connect() -> None:
    User = get_user_model()
    uid = "agences.staff_cache"
    user_logged_in.connect(_signed_in, dispatch_uid=f"{uid}.signed_in")
    for model, receiver in [(User, _user_saved), (Agent, _agent_saved)]:
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}.save.{model.__name__}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}.delete.{model.__name__}")
    for model in [Agency, Group]:
        post_save.connect(_every_user, sender=model, dispatch_uid=f"{uid}.save.{model.__name__}")
        post_delete.connect(
            _every_user, sender=model, dispatch_uid=f"{uid}.delete.{model.__name__}"
        )
    m2m_changed.connect(_roles_changed, sender=User.groups.through, dispatch_uid=f"{uid}.roles")
    for through in [User.user_permissions.through, Group.permissions.through]:
        m2m_changed.connect(
            _every_user, sender=through, dispatch_uid=f"{uid}.perms.{through.__name__}"
        )
