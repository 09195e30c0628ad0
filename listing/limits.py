"""Per-address rate limits on the reader forms, counted in the shared cache (django-ratelimit)
so every worker sees the same count, and failing open: with the cache down a reader is let
through rather than shown an error."""

import logging

from django.shortcuts import render
from django_ratelimit.core import is_ratelimited

logger = logging.getLogger(__name__)

# The forms' limits are per hour; a reader told to wait should not have to guess how long.
RETRY_AFTER_SECONDS = 3600


def over_limit(request, *, group, rate):
    """Count this request against the client address's `rate` (e.g. "10/h") for `group`,
    and say whether it is one too many. The address is read as django-axes reads it
    (settings.RATELIMIT_IP_META_KEY)."""
    try:
        return is_ratelimited(request, group=group, key="ip", rate=rate, increment=True)
    except Exception:  # noqa: BLE001 - any cache failure (Redis down, hung, refused) must not cost the reader
        logger.warning("rate limit for %s not checked: the cache failed", group, exc_info=True)
        return False


def too_many_requests(request, message):
    """The 429 page: what happened, that nothing was stored, and when to try again."""
    response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
