import logging

from redis.exceptions import RedisError
from rest_framework.throttling import SimpleRateThrottle

from relation_client.api.models import ApiToken

logger = logging.getLogger(__name__)


class ApiTokenRateThrottle(SimpleRateThrottle):
    """Per token (REST_FRAMEWORK DEFAULT_THROTTLE_RATES["token"]); staff sessions are not
    throttled here. The 429 carries Retry-After.

    Fails open: with Redis unreachable the count cannot be read, and refusing every
    partner call (or answering 500) would turn a cache outage into an API outage, while
    letting calls through only loses the rate limit for the outage's length."""

    scope = "token"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.lookup}

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except (RedisError, OSError) as error:
            logger.warning("API throttle skipped, cache unreachable: %s", error)
            return True
