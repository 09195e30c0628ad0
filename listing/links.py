"""Absolute URLs come from settings.SITE_ORIGIN, never from the request's Host header,
so a cached page or export cannot carry a visitor's Host (README, "Environment variables");
record pages' paths are reversed once per shape (`record_path`)."""

import re

from django.conf import settings
from django.urls import NoReverseMatch, get_script_prefix, get_urlconf, reverse
from django.utils.encoding import iri_to_uri


def absolute_url(path):
    """SITE_ORIGIN + a site path such as reverse() or get_absolute_url() returns."""
    if not path.startswith("/"):
        raise ValueError(f"not a site path: {path!r}")
    return settings.SITE_ORIGIN + iri_to_uri(path)


# A value reverse() would put in a path unchanged: any path converter (int, slug, str)
# accepts it and quoting leaves it alone.
PLAIN_VALUE = re.compile(r"[-a-zA-Z0-9_]+")
PLACEHOLDER = "8675309000111"  # an int, a slug and a str alike
_path_shapes = {}


def record_path(viewname, name, value):
    """reverse(viewname, kwargs={name: value}) for a record page, reversed once per URL
    shape: a list page asks for the same few shapes a hundred times (a letter, its
    recipient, its program and each demanded condition per row), and each reverse()
    cost 20-50 µs, a third of the letter table's rendering (issue 15). Values with
    characters reverse() would quote or a converter might refuse go through reverse()."""
    if value is None:  # an unsaved record: reverse() says so
        return reverse(viewname, kwargs={name: value})
    value = str(value)
    if not PLAIN_VALUE.fullmatch(value):
        return reverse(viewname, kwargs={name: value})
    key = (viewname, name, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    shape = _path_shapes.get(key)
    if shape is None:
        try:
            shape = reverse(viewname, kwargs={name: PLACEHOLDER}).split(PLACEHOLDER)
        except NoReverseMatch:  # a converter that refuses the placeholder
            shape = []
        if len(shape) != 2:
            return reverse(viewname, kwargs={name: value})
        _path_shapes[key] = shape
    return value.join(shape)


def fixed_path(viewname):
    """reverse(viewname) for a view that takes no arguments, reversed once per script
    prefix and URLconf, as `record_path` does: a record page links the correction form
    once per record it shows."""
    key = (viewname, None, get_script_prefix(), get_urlconf() or settings.ROOT_URLCONF)
    path = _path_shapes.get(key)
    if path is None:
        path = _path_shapes[key] = reverse(viewname)
    return path
