"""The "Cite this" block of record pages."""

from django import template

from ..models import DataVersion

register = template.Library()


@register.inclusion_tag("includes/_cite_this.html", takes_context=True)
def cite_this(context, title):
    """A citation for the page: its title, the site, the data version and when that
    version was made, and the permalink (SITE_ORIGIN + path, from the canonical URL).

    The page is cached per data version, so everything printed here stays true while
    the cached copy is served. The access date is not printed by the server: a copy
    can be revalidated (304) for days, so the reader's browser fills in today's date
    (static/js/cite.js) and without JavaScript the reader is asked to add it."""
    version = DataVersion.objects.filter(pk=1).values("counter", "changed_at").first()
    return {
        "title": title,
        "url": context.get("canonical_url", ""),
        "version": version["counter"] if version else 0,
        "changed_at": version["changed_at"] if version else None,
    }
