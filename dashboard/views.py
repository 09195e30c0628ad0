import datetime
import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.core.files.storage import default_storage
from django.db import connection
from django.http import FileResponse, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control, never_cache
from django.views.decorators.http import require_safe

from listing.exports import REGISTRY
from listing.links import absolute_url
from programs.models import Condition

from . import apidocs, datafiles, datapackage, glossary, openapi, selectors, stored

logger = logging.getLogger(__name__)
HEALTH_KEY = "healthz"


@require_safe
def home(request):
    # The figures are stored on write (dashboard.stored): one indexed read.
    context = {**stored.home_context(), "events": selectors.latest_events()}
    return render(request, "dashboard/home.html", context)


@require_safe
def about_data(request):
    exports = sorted(REGISTRY.values(), key=lambda export: export.title)
    return render(request, "dashboard/about_data.html", {"exports": exports})


@require_safe
def about_glossary(request):
    """The glossary; a condition's term links to its page when the condition is in the data."""
    known = set(Condition.objects.values_list("code", flat=True))
    terms = [(term, term.condition in known) for term in glossary.TERMS]
    return render(request, "dashboard/glossary.html", {"terms": terms})


@require_safe
def about_api(request):
    context = {
        "lists": apidocs.list_endpoints(),
        "details": apidocs.DETAIL_ENDPOINTS,
        "search_path": apidocs.SEARCH_PATH,
        "search_description": apidocs.SEARCH_DESCRIPTION,
        "search_kinds": apidocs.SEARCH_KINDS,
        "origin": absolute_url("/")[:-1],
    }
    return render(request, "dashboard/about_api.html", context)


@require_safe
def openapi_json(request):
    """The API's OpenAPI 3.1 document, generated from the lists' own forms and exports."""
    return JsonResponse(openapi.document(absolute_url("/")[:-1]), json_dumps_params={"indent": 2})


@require_safe
@cache_control(no_cache=True)  # it says which built file is offered: not kept per data version
def data_download(request):
    current = datapackage.version()
    context = {
        "version": current,
        "offered_version": datafiles.offered_version(),
        "license": datapackage.LICENSE,
        "resources": datapackage.descriptor(current)["resources"],
    }
    return render(request, "dashboard/data_download.html", context)


@require_safe
def data_zip(request):
    """The whole data set as a zip (dashboard.datapackage), from its kept file."""
    return data_file(request, "zip", "application/zip")


@require_safe
def data_sqlite(request):
    """The same tables as one SQLite database, from its kept file."""
    return data_file(request, "sqlite3", "application/vnd.sqlite3")


def data_file(request, kind, content_type):
    """The newest built file of `kind` (`dashboard.datafiles`), or a 503 asking to come
    back while none has been built yet."""
    path = datafiles.file_to_serve(kind, request)
    try:
        file = default_storage.open(path, "rb") if path else None
    except FileNotFoundError:  # a newer build removed it just now: serve that one
        path = datafiles.file_to_serve(kind, request)
        file = default_storage.open(path, "rb") if path else None
    if file is None:
        response = render(request, "dashboard/data_not_ready.html", status=503)
        response["Retry-After"] = "3600"
        return response
    return FileResponse(
        file,
        as_attachment=True,
        filename=Path(path).name,
        content_type=content_type,
    )


@require_safe
@never_cache
def healthz(request):
    """Each dependency's state. 503 only when the site cannot serve (no database); a
    cache that is down degrades speed, not pages (revisions.middleware fails open)."""
    health = {"status": "ok", "database": "ok", "cache": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # any database failure means "not ready"
        logger.warning("health check: database unavailable", exc_info=True)
        health["database"] = health["status"] = "unavailable"
    try:
        cache.set(HEALTH_KEY, "ok", 10)
        if cache.get(HEALTH_KEY) != "ok":
            raise RuntimeError("the cache did not keep a value")
    except Exception:
        logger.warning("health check: cache unavailable", exc_info=True)
        health["cache"] = "degraded"
        if health["status"] == "ok":
            health["status"] = "degraded"
    return JsonResponse(health, status=503 if health["database"] != "ok" else 200)


def plain_text(lines):
    return HttpResponse("".join(f"{line}\n" for line in lines), content_type="text/plain; charset=utf-8")


@require_safe
def robots_txt(request):
    """Everything public may be crawled; the admin may not."""
    return plain_text(
        [
            "User-agent: *",
            f"Disallow: /{settings.ADMIN_URL}",
            "Allow: /",
            f"Sitemap: {absolute_url(reverse('dashboard:sitemap'))}",
        ]
    )


@require_safe
@never_cache
def security_txt(request):
    """RFC 9116. Expires is a year from now, computed per request (hence never cached)."""
    expires = timezone.now().astimezone(datetime.UTC).replace(microsecond=0) + datetime.timedelta(days=365)
    return plain_text(
        [
            f"Contact: {settings.SECURITY_CONTACT}",
            f"Expires: {expires:%Y-%m-%dT%H:%M:%SZ}",
            f"Canonical: {absolute_url(reverse('dashboard:security_txt'))}",
            "Preferred-Languages: en",
        ]
    )


@require_safe
def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; the icon is an SVG."""
    return redirect(static("favicon.svg"))  # not permanent: the hashed name changes


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: the site's own page instead of Django's, without the reason
    (which is for the log, not the reader)."""
    logger.warning("CSRF failure on %s: %s", request.path, reason)
    return render(request, "403_csrf.html", status=403)
