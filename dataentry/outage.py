"""An admin save that fails because the database is unreachable.

Django's admin saves a change form and its inlines in one transaction, so a failure
mid-save leaves nothing half-written; what it would lose is what the editor typed. This
middleware answers such a failure with a 503 page that says nothing was saved and carries
every submitted value back in a form that re-sends it when the database is back.
"""

import logging

from django.conf import settings
from django.contrib import admin
from django.contrib.sessions.middleware import SessionMiddleware
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

RETRY_AFTER_SECONDS = 30
# Never echoed into the page: the editor types these again.
SECRET_FIELD_MARKERS = ("password",)


class AdminDatabaseOutageMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/" + settings.ADMIN_URL

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if (
            request.method != "POST"
            or not request.path.startswith(self.admin_prefix)
            or not isinstance(exception, OperationalError | InterfaceError)
        ):
            return None
        logger.error("database unavailable saving %s", request.path, exc_info=exception)
        return unsaved_form_response(request)


class OutageTolerantSessionMiddleware(SessionMiddleware):
    """Saving the session (which SESSION_SAVE_EVERY_REQUEST does on every admin request,
    to renew the idle timeout) must not turn an outage page into a bare 500: while the
    database is unreachable the session is simply not renewed."""

    def process_response(self, request, response):
        try:
            return super().process_response(request, response)
        except (OperationalError, InterfaceError):
            logger.warning("database unavailable saving the session for %s", request.path, exc_info=True)
            return response


def unsaved_form_response(request):
    """Rendered without the request's context processors: they read the session and
    messages from the database that just failed."""
    submitted = [
        (name, value)
        for name, values in request.POST.lists()
        if name != "csrfmiddlewaretoken" and not any(marker in name.lower() for marker in SECRET_FIELD_MARKERS)
        for value in values
    ]
    context = {
        "title": "Not saved: the database is unreachable",
        "site_header": admin.site.site_header,
        "site_title": admin.site.site_title,
        "action": request.get_full_path(),
        "csrf_value": request.POST.get("csrfmiddlewaretoken", ""),
        "submitted": submitted,
        "files": sorted(request.FILES),
        "left_out": sorted(
            name for name in request.POST if any(marker in name.lower() for marker in SECRET_FIELD_MARKERS)
        ),
    }
    response = HttpResponse(render_to_string("admin/database_unavailable.html", context), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response
