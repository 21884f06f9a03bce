"""Values cached in Redis until what they were built from changes: the one mechanism.

A value is stored with the version tokens it was built under; whatever changes its
sources replaces a token (`token_bump`), and the next read rebuilds it. Reading the
tokens and the value is one Redis round trip. The tokens are read before the sources,
so a change made while a value is being built leaves it stale under an old token; a
change inside a transaction replaces its token at once and again after the commit, so
a value built from the state before the commit cannot outlive it.

Users: the signed-in staff (agences/staff_cache.py) and the dashboards rendered from
their snapshots (reconquete, satisfaction). Redis unreachable: everything is built
from the database, nothing is cached.
"""

import contextlib
import uuid
from collections.abc import Callable, Sequence
from typing import Any

from django.core.cache import cache
from django.db import transaction
from redis.exceptions import RedisError


def _replace(key: str) -> None:
    # Redis down: nothing cached can be read back either, the values are rebuilt on return
    with contextlib.suppress(RedisError):
        cache.set(key, uuid.uuid4().hex, None)


def token_bump(key: str) -> None:
    """Whatever was cached under this token is stale from now on."""
    _replace(key)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _replace(key))


def _token(key: str, found: dict) -> str:
    """The current token, created if Redis has none (first use, or evicted)."""
    if key in found:
        return found[key]
    token = uuid.uuid4().hex
    if not cache.add(key, token, None):
        token = cache.get(key, token)
    return token


def cached_under(key: str, tokens: Sequence[str], build: Callable[[], Any], *, timeout: int) -> Any:
    """The value cached under `key` if the `tokens` are still those it was built under,
    else `build()`, cached for `timeout` seconds at most. `build` must not return None."""
    try:
        found = cache.get_many([*tokens, key])
        current = tuple(_token(token, found) for token in tokens)
    except RedisError:
        return build()
    entry = found.get(key)
    if entry is not None and entry[0] == current:
        return entry[1]
    value = build()
    if value is not None:
        # Redis down: built from the database this time, the next read tries again
        with contextlib.suppress(RedisError):
            cache.set(key, (current, value), timeout)
    return value
