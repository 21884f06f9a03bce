import logging

from redis.exceptions import RedisError
from rest_framework.throttling import SimpleRateThrottle

from relation_client.api.models import ApiToken

logger = logging.getLogger(__name__)


class FailOpenRateThrottle(SimpleRateThrottle):
    """Fails open: with Redis unreachable the count cannot be read, and refusing every
    call (or answering 500) would turn a cache outage into an API outage, while letting
    calls through only loses the rate limit for the outage's length."""

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except (RedisError, OSError) as error:
            logger.warning("API throttle skipped, cache unreachable: %s", error)
            return True


class ApiTokenRateThrottle(FailOpenRateThrottle):
    """Per token (REST_FRAMEWORK DEFAULT_THROTTLE_RATES["token"]); staff sessions have
    their own (SessionUserRateThrottle). The 429 carries Retry-After."""

    scope = "token"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.lookup}


class SessionUserRateThrottle(FailOpenRateThrottle):
    """Per staff account reading the API through its session (REST_FRAMEWORK
    DEFAULT_THROTTLE_RATES["session"]): a script in a logged-in browser gets the same
    brake as a partner's token. Tokens have their own budget (ApiTokenRateThrottle)."""

    scope = "session"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken) or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
