import logging

from django.core.cache import cache
from django.db import DatabaseError, models
from django.utils import timezone

logger = logging.getLogger(__name__)

# The counter as last seen, kept in the cache so that pages can be served from the cache
# without asking the database (and while the database is down). VERSION_KEY expires so
# that a write that lost a race (two bumps at once) heals itself; LAST_VERSION_KEY never
# does, for serving stale pages when both the short-lived key and the database are gone.
VERSION_KEY = "data-version"
LAST_VERSION_KEY = "data-version:last"
VERSION_CACHE_SECONDS = 60


class DataVersion(models.Model):
    """One row whose counter goes up on every change to public data.

    Public pages are cached and given ETags under this number, so an edit shows up on
    the very next request on every server (see revisions.middleware).
    """

    counter = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "data version"

    def __str__(self):
        return f"data version {self.counter}"

    @classmethod
    def current(cls):
        """The counter, read from the database."""
        return cls.objects.filter(pk=1).values_list("counter", flat=True).first() or 0

    @classmethod
    def cached(cls):
        """The counter from the cache, else from the database (and then cached), else the
        last version the cache saw; None when neither the cache nor the database answers."""
        try:
            version = cache.get(VERSION_KEY)
        except Exception:
            logger.warning("cache unavailable reading the data version", exc_info=True)
            cache_up = False
        else:
            if version is not None:
                return version
            cache_up = True
        try:
            version = cls.current()
        except DatabaseError:
            logger.warning("database unavailable reading the data version", exc_info=True)
            return _last_known() if cache_up else None
        if cache_up:
            _remember(version)
        return version

    @classmethod
    def bump(cls):
        updated = cls.objects.filter(pk=1).update(counter=models.F("counter") + 1, changed_at=timezone.now())
        if not updated:
            cls.objects.get_or_create(pk=1, defaults={"counter": 1})
        _remember(cls.current())


def _remember(version):
    try:
        cache.set(VERSION_KEY, version, VERSION_CACHE_SECONDS)
        cache.set(LAST_VERSION_KEY, version, None)
    except Exception:
        logger.warning("cache unavailable writing the data version", exc_info=True)


def _last_known():
    try:
        return cache.get(LAST_VERSION_KEY)
    except Exception:
        logger.warning("cache unavailable reading the last data version", exc_info=True)
        return None
