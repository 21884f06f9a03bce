from rest_framework.throttling import SimpleRateThrottle

from relation_client.api.models import ApiToken


class ApiTokenRateThrottle(SimpleRateThrottle):
    """Per token (REST_FRAMEWORK DEFAULT_THROTTLE_RATES["token"]); staff sessions are not
    throttled here. The 429 carries Retry-After."""

    scope = "token"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiToken):
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.auth.lookup}


class SessionUserRateThrottle(SimpleRateThrottle):
    """Per staff account reading the API through its session (REST_FRAMEWORK
    DEFAULT_THROTTLE_RATES["session"]): a script in a logged-in browser gets the same
    brake as a partner's token. Tokens have their own budget (ApiTokenRateThrottle)."""

    scope = "session"

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken) or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
