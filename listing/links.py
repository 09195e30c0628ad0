"""Absolute URLs come from settings.SITE_ORIGIN, never from the request's Host header,
so a cached page or export cannot carry a visitor's Host (README, "Environment variables")."""

from django.conf import settings
from django.utils.encoding import iri_to_uri


def absolute_url(path):
    """SITE_ORIGIN + a site path such as reverse() or get_absolute_url() returns."""
    if not path.startswith("/"):
        raise ValueError(f"not a site path: {path!r}")
    return settings.SITE_ORIGIN + iri_to_uri(path)
