from django.utils.encoding import escape_uri_path

from listing.links import absolute_url


def canonical_url(request):
    """<link rel="canonical"> in base.html: SITE_ORIGIN and the path, without the query."""
    return {"canonical_url": absolute_url(escape_uri_path(request.path))}
