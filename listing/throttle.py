"""Rate limits on the expensive uncached paths (search, exports), per client address.

django-ratelimit counts requests in the cache, so every worker shares one count. The
cache is optional on this site: when it is down the limit is lifted (fail open, logged),
never enforced by refusing everyone. django-ratelimit's own fail-open covers a cache
that answers None, not Django's Redis backend raising ConnectionError, hence the guard.
"""

import json
import logging
from functools import wraps

from django.conf import settings
from django.http import HttpResponse
from django.shortcuts import render
from django_ratelimit.core import get_usage

from .exports import FORMATS

logger = logging.getLogger(__name__)


def client_ip(request):
    """The client's address: REMOTE_ADDR, or with PROXY_COUNT proxies in front, the
    address the outermost trusted proxy saw (X-Forwarded-For counted from the right,
    as django-axes does with the same setting)."""
    if settings.PROXY_COUNT:
        forwarded = [part.strip() for part in request.headers.get("X-Forwarded-For", "").split(",") if part.strip()]
        if len(forwarded) >= settings.PROXY_COUNT:
            return forwarded[-settings.PROXY_COUNT]
    return request.META.get("REMOTE_ADDR") or "0.0.0.0"


def seconds_to_wait(request, group, rate):
    """Count this request against `rate` for its address; the seconds until the window
    resets if it is over the limit, else None (also when the cache cannot count)."""
    try:
        usage = get_usage(request, group=group, key="ip", rate=rate, increment=True)
    except Exception:
        logger.warning("cache unavailable counting requests for %s; not limiting", group, exc_info=True)
        return None
    if usage is None or not usage["should_limit"]:
        return None
    return max(usage["time_left"], 1)


def too_many_requests(request, retry_after, template="429.html"):
    """429 with Retry-After: JSON for export requests (as their 400s are), else the page."""
    if request.GET.get("format") in FORMATS:
        message = f"Too many requests from your address; retry in {retry_after} seconds."
        response = HttpResponse(json.dumps({"error": message}), status=429, content_type="application/json")
    else:
        response = render(request, template, {"retry_after": retry_after}, status=429)
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


def rate_limited(group, rate_setting, applies=lambda request: True, template="429.html"):
    """View decorator: at most settings.<rate_setting> requests per address for the
    requests `applies` selects (all by default), else a 429 (`template`) with Retry-After."""

    def decorator(view):
        @wraps(view)
        def limited(request, *args, **kwargs):
            if applies(request):
                wait = seconds_to_wait(request, group, getattr(settings, rate_setting))
                if wait is not None:
                    return too_many_requests(request, wait, template)
            return view(request, *args, **kwargs)

        return limited

    return decorator
