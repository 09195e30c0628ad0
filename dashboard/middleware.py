import re

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.shortcuts import render

from listing.exports import FORMATS, bad_request


class PermissionsPolicyMiddleware:
    """Django has no setting for Permissions-Policy, so it is added here."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class PublicGZipMiddleware(GZipMiddleware):
    """Gzip responses that carry no secret, and only those.

    Compression leaks the length of a page, which BREACH turns into a way to guess a
    secret the page holds (a CSRF token, a signed-in user's data) when it also reflects
    attacker-chosen text. So nothing from the admin, no response that sets a cookie (a
    page that rendered a CSRF token sets the CSRF cookie), nothing private or no-store,
    and nothing for a request that carries a session: public pages and exports only,
    which look the same to every visitor. Django's GZipMiddleware also pads each
    response with random bytes (Heal The BREACH).

    It sits below the page cache in MIDDLEWARE, which keeps one entry for clients that
    take gzip and one for those that do not, so a cached page is compressed once, when
    it is rendered, not on every hit.
    """

    def __init__(self, get_response):
        super().__init__(get_response)
        self.admin_prefix = "/" + settings.ADMIN_URL

    def process_response(self, request, response):
        if self.carries_secrets(request, response) or response.get("Content-Type") == "application/zip":
            return response  # a zip is compressed already
        return super().process_response(request, response)

    def carries_secrets(self, request, response):
        cache_control = response.get("Cache-Control", "")
        return (
            request.path.startswith(self.admin_prefix)
            or bool(response.cookies)
            or "private" in cache_control
            or "no-store" in cache_control
            or settings.SESSION_COOKIE_NAME in request.COOKIES
        )


class PublicDataCorsMiddleware:
    """`Access-Control-Allow-Origin: *` on public data (JSON and CSV answers to GET, the
    OpenAPI document included), so any web page may read the API; never on HTML pages,
    the admin, or a response that sets a cookie or answers a signed-in session."""

    DATA_TYPES = ("application/json", "text/csv")

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = "/" + settings.ADMIN_URL

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method in ("GET", "HEAD")
            and not request.path.startswith(self.admin_prefix)
            and response.get("Content-Type", "").startswith(self.DATA_TYPES)
            and not response.cookies
            and settings.SESSION_COOKIE_NAME not in request.COOKIES
        ):
            response["Access-Control-Allow-Origin"] = "*"
        return response


# C0 controls other than tab, newline and carriage return, DEL, and C1 controls: no
# legitimate address or filter value holds them, and PostgreSQL refuses NUL outright.
CONTROL_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


class RejectControlCharactersMiddleware:
    """Every request's path and query parameters are checked here, once, before any
    view or filter sends them to the database: control characters get a 400 that says
    so (JSON for ?format=csv|json, the branded 400 page otherwise)."""

    MESSAGE = "The address contains control characters (such as NUL); remove them and try again."

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if CONTROL_CHARACTERS.search(request.path_info) or any(
            CONTROL_CHARACTERS.search(key) or any(CONTROL_CHARACTERS.search(value) for value in values)
            for key, values in request.GET.lists()
        ):
            if request.GET.get("format") in FORMATS:
                return bad_request(self.MESSAGE)
            return render(request, "400.html", {"message": self.MESSAGE}, status=400)
        return self.get_response(request)
