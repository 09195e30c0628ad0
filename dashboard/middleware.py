import re

from django.conf import settings
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
