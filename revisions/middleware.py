import hashlib

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponseNotModified

from .models import DataVersion


class PublicPageCacheMiddleware:
    """Cache rendered public pages under the current data version, and answer
    conditional GETs from it.

    Public pages look the same to every visitor and change only when the data does, so
    (data version, full path) identifies a response exactly. Any edit bumps the version
    (revisions.signals), which changes every key and ETag at once. The version lives in
    the database, so every gunicorn worker and container agrees on it.
    """

    def __init__(self, get_response):
        self.get_response = get_response
        self.skip_prefixes = ("/" + settings.ADMIN_URL, settings.STATIC_URL, "/healthz", settings.MEDIA_URL)

    def __call__(self, request):
        if request.method not in ("GET", "HEAD") or request.path.startswith(self.skip_prefixes):
            return self.get_response(request)
        version = DataVersion.current()
        digest = hashlib.sha256(request.get_full_path().encode()).hexdigest()[:32]
        etag = f'"{version}-{digest[:16]}"'
        if etag in request.headers.get("If-None-Match", ""):
            response = HttpResponseNotModified()
            response["ETag"] = etag
            return response
        key = f"page:{version}:{digest}"
        response = cache.get(key)
        if response is None:
            response = self.get_response(request)
            if self.cacheable(response):
                response["ETag"] = etag
                response["Cache-Control"] = "public, max-age=0, must-revalidate"
                cache.set(key, response, settings.PAGE_CACHE_SECONDS)
        return response

    @staticmethod
    def cacheable(response):
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "Cache-Control" not in response
        )
