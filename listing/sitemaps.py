"""Sitemaps whose URLs start with SITE_ORIGIN, not with the request's host."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap


class SiteSitemap(Sitemap):
    """Django's sitemap view passes the request's site and scheme; these ignore both."""

    @property
    def protocol(self):
        return urlsplit(settings.SITE_ORIGIN).scheme

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_ORIGIN).netloc
