"""The brake on password and code guessing, shared by every login path.

Failures are counted in the cache per account and per client address, for
LOGIN_WINDOW_SECONDS. An account is braked after LOGIN_MAX_FAILURES, an address after
LOGIN_MAX_FAILURES_PER_ADDRESS: invented usernames from one counter (or one proxy) can
no longer lock everyone else out, and one account cannot be guessed from many addresses.

With the cache down the brake fails open and logs a warning: staff must still be able to
sign in; the password check itself never depended on it.
"""

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)

# scopes keep the counters of different doors apart: asking for reset mails does not
# lock the login, and a wrong second-factor code counts against the account's codes
LOGIN, RESET, SECOND_FACTOR = "login", "reset", "otp"
_CACHE_ERRORS = (RedisError, OSError)


def client_address(request) -> str:
    """REMOTE_ADDR, or the address the trusted proxies put in CLIENT_ADDRESS_HEADER.

    Each trusted proxy appends the address it received the request from: the client is
    TRUSTED_PROXY_COUNT entries from the right. Entries further left came from the client
    and are not believed."""
    remote = request.META.get("REMOTE_ADDR", "")
    header, proxies = settings.CLIENT_ADDRESS_HEADER, settings.TRUSTED_PROXY_COUNT
    if not header or not proxies:
        return remote
    meta_name = "HTTP_" + header.upper().replace("-", "_").removeprefix("HTTP_")
    hops = [hop.strip() for hop in request.META.get(meta_name, "").split(",") if hop.strip()]
    if len(hops) < proxies:  # did not come through every proxy: only the socket is known
        return remote
    return hops[-proxies]


def _digest(value: str) -> str:
    # hashed: the cache holds no username or address in clear
    return hashlib.sha256(value.encode()).hexdigest()[:32]


def _account_key(scope: str, username: str) -> str:
    return f"brake:{scope}:account:{_digest(username.strip().casefold())}"


def _address_key(scope: str, address: str) -> str:
    return f"brake:{scope}:address:{_digest(address)}"


def _limits(scope: str, request, username: str) -> dict[str, int]:
    return {
        _account_key(scope, username): settings.LOGIN_MAX_FAILURES,
        _address_key(scope, client_address(request)): settings.LOGIN_MAX_FAILURES_PER_ADDRESS,
    }


def _cache_down(error: Exception) -> None:
    logger.warning("login brake: cache unreachable, attempts not counted (%s)", error)


def brake_blocked(*, request, username: str, scope: str = LOGIN) -> bool:
    limits = _limits(scope, request, username)
    try:
        counts = cache.get_many(list(limits))
    except _CACHE_ERRORS as error:
        _cache_down(error)
        return False
    return any(counts.get(key, 0) >= limit for key, limit in limits.items())


def brake_failed(*, request, username: str, scope: str = LOGIN) -> None:
    window = settings.LOGIN_WINDOW_SECONDS
    try:
        for key in _limits(scope, request, username):
            # add then incr: the window starts with the first failure, not the last
            cache.add(key, 0, window)
            try:
                cache.incr(key)
            except ValueError:  # expired between the two calls
                cache.set(key, 1, window)
    except _CACHE_ERRORS as error:
        _cache_down(error)


def brake_clear_account(*, username: str, scope: str = LOGIN) -> None:
    """After a successful sign-in, or a supervisor's unlock: the account's count starts
    again. The address's count stays: one valid account must not reset a guesser's."""
    try:
        cache.delete(_account_key(scope, username))
    except _CACHE_ERRORS as error:
        _cache_down(error)


def accounts_braked(*, usernames: list[str]) -> set[str]:
    """Which of these accounts the login brake holds now (for the supervisor's page)."""
    keys = {_account_key(LOGIN, name): name for name in usernames}
    try:
        counts = cache.get_many(list(keys))
    except _CACHE_ERRORS as error:
        _cache_down(error)
        return set()
    return {keys[key] for key, count in counts.items() if count >= settings.LOGIN_MAX_FAILURES}
