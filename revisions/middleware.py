import hashlib
import logging
import time
from urllib.parse import unquote_plus

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpResponse, HttpResponseNotModified, QueryDict
from django.middleware.gzip import re_accepts_gzip
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.encoding import escape_uri_path

from .models import DataVersion

logger = logging.getLogger(__name__)

# A query longer than this, or with more parameters, is answered but never cached, so
# junk parameters cannot fill the cache or buy a fresh render per request.
MAX_CACHED_QUERY_LENGTH = 512
MAX_CACHED_QUERY_PARAMETERS = 20
# Tracking parameters that never change a page: left out of the cache key.
TRACKING_PARAMETERS = frozenset({"fbclid", "gclid", "dclid", "msclkid", "mc_cid", "mc_eid"})

# Pages are kept as sent: compressed or not, so each kind of client has its own entry.
CACHE_CONTROL = "public, max-age=0, must-revalidate"
VARY = ("Accept-Encoding",)

# How long a page may be served stale while the database is down.
STALE_SECONDS = 24 * 60 * 60
RETRY_AFTER_SECONDS = 30


class PublicPageCacheMiddleware:
    """Cache rendered public pages under the current data version, and answer
    conditional GETs from it.

    Public pages look the same to every visitor and change only when the data does, so
    (data version, path and query, whether the client takes gzip) identifies a response
    exactly. It sits near the top of MIDDLEWARE: a hit skips the session, CSRF, auth and
    GZip middleware, and the cache keeps what GZip produced, so a compressed page is
    compressed once (its ETag is weak, W/"...": gzip output is not byte-stable across
    renders; the test is Django's own, `re_accepts_gzip`). A response that sets a cookie
    is never kept, and neither is one rendered for a request that carries a session (an
    editor signed in): GZip and CORS treat such requests apart, so it is not the page
    anonymous visitors get. Such a request is still served what the cache holds, the
    page every visitor gets, so a made-up session cookie cannot buy a fresh render. The
    Host header is not in the key (CommonMiddleware, above, has checked it against
    ALLOWED_HOSTS), and pages never print it: absolute URLs come from SITE_ORIGIN.
    Tracking parameters (utm_*, fbclid, gclid, ...) are left out of the key; a query
    too long or with too many parameters is answered uncached (`cache_key`), and so is
    one with a parameter the page never read (`ReadTrackingQueryDict`): junk parameters
    can neither fill the cache nor steer what it holds. Any edit bumps the version
    (revisions.signals), which changes every key and ETag at once. The version is read
    from the cache, with the database as fallback (DataVersion.cached).

    The cache is optional: any cache error is logged and the page is rendered as if
    nothing were cached. Each path has one entry, holding the version and time it was
    rendered at; it is fresh for PAGE_CACHE_SECONDS under the same version, and is kept
    longer so that it can be served, marked `X-Cache-Stale: 1`, when the database is
    unreachable. Without a cached copy that case is a 503 with Retry-After.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.skip_prefixes = ("/" + settings.ADMIN_URL, settings.STATIC_URL, "/healthz", settings.MEDIA_URL)

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or request.path.startswith(self.skip_prefixes):
            return self.get_response(request)
        request._page_cache = True  # a public page: a database outage answers 503, not 500
        address = cache_key(request)
        if address is None:
            return self.get_response(request)
        compressed = bool(re_accepts_gzip.search(request.headers.get("Accept-Encoding", "")))
        if compressed:
            address += " gzip"
        version = current_version()
        digest = hashlib.sha256(address.encode()).hexdigest()[:32]
        etag = f'{"W/" if compressed else ""}"{version}-{digest[:16]}"'
        if version is not None and etag.removeprefix("W/") in request.headers.get("If-None-Match", ""):
            # What the 200 would have said about caching, as RFC 9110 asks of a 304.
            response = HttpResponseNotModified()
            response["ETag"] = etag
            response["Cache-Control"] = CACHE_CONTROL
            patch_vary_headers(response, VARY)
            return response
        key = f"page:{digest}"
        entry = cache_get(key) if settings.PAGE_CACHE_SECONDS else None
        if entry is not None:
            cached_version, rendered_at, response = entry
            if cached_version == version and time.time() - rendered_at < settings.PAGE_CACHE_SECONDS:
                return response
            request._stale_page = response
        request.GET = ReadTrackingQueryDict(request.META.get("QUERY_STRING", ""), encoding=request.encoding)
        response = self.get_response(request)
        signed_in = settings.SESSION_COOKIE_NAME in request.COOKIES
        if version is not None and not signed_in and self.cacheable(response) and not request.GET.unread():
            response["ETag"] = etag
            response["Cache-Control"] = CACHE_CONTROL
            if settings.PAGE_CACHE_SECONDS:
                timeout = max(settings.PAGE_CACHE_SECONDS, STALE_SECONDS)
                cache_set(key, (version, time.time(), response), timeout)
        return response

    def process_exception(self, request, exception):
        """A public page that fails because the database is unreachable: the last copy
        of the page if the cache has one, else a 503 that says to retry."""
        if not getattr(request, "_page_cache", False) or not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning("database unavailable rendering %s", request.path, exc_info=exception)
        stale = getattr(request, "_stale_page", None)
        if stale is not None:
            stale["X-Cache-Stale"] = "1"
            stale["Cache-Control"] = "no-cache"
            del stale["ETag"]
            return stale
        return service_unavailable(request)

    @staticmethod
    def cacheable(response):
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "Cache-Control" not in response
        )


class ReadTrackingQueryDict(QueryDict):
    """request.GET that remembers which parameters the page looked up (get, getlist,
    [], `in`: what forms, FilterSets and templates use). Copies and iteration do not
    count, so a parameter only carried along into links is not one the page read."""

    def __init__(self, *args, **kwargs):
        self.read = set()  # QueryDict's own __init__ already asks `in`
        super().__init__(*args, **kwargs)
        self.read = set()

    def __getitem__(self, key):
        self.read.add(key)
        return super().__getitem__(key)

    def getlist(self, key, default=None):
        self.read.add(key)
        return super().getlist(key, default)

    def __contains__(self, key):
        self.read.add(key)
        return super().__contains__(key)

    def unread(self):
        """Parameters in the query that the page never looked at, tracking ones aside."""
        return {name for name in self if name not in self.read and not is_tracking(name)}


def cache_key(request):
    """The path and query a page is cached under, without tracking parameters; None
    when the query is too long or has too many parameters to be worth a cache entry."""
    query = request.META.get("QUERY_STRING", "")
    if len(query) > MAX_CACHED_QUERY_LENGTH:
        return None
    pairs = [pair for pair in query.split("&") if pair]
    if len(pairs) > MAX_CACHED_QUERY_PARAMETERS:
        return None
    kept = [pair for pair in pairs if not is_tracking(pair.split("=", 1)[0])]
    path = escape_uri_path(request.path)
    return f"{path}?{'&'.join(kept)}" if kept else path


def is_tracking(name):
    name = unquote_plus(name).lower()
    return name.startswith("utm_") or name in TRACKING_PARAMETERS


def current_version():
    """With the page cache off (development, the tests) the version, which only makes
    ETags then, is read from the database and nothing is written to the cache."""
    if settings.PAGE_CACHE_SECONDS:
        return DataVersion.cached()
    try:
        return DataVersion.current()
    except DatabaseError:
        logger.warning("database unavailable reading the data version", exc_info=True)
        return None


def service_unavailable(request):
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def cache_get(key):
    try:
        return cache.get(key)
    except Exception:
        logger.warning("cache unavailable reading a page", exc_info=True)
        return None


def cache_set(key, value, timeout):
    try:
        cache.set(key, value, timeout)
    except Exception:
        logger.warning("cache unavailable storing a page", exc_info=True)
