from urllib.parse import urlsplit

from django.db import models
from simple_history.models import HistoricalRecords


class Sourcing(models.TextChoices):
    """How well a stored fact is backed by its cited source (seed `source_type`)."""

    SOURCED = "sourced", "Sourced"
    PARTLY = "partly", "Partly sourced"
    UNVERIFIED = "unverified", "General knowledge, not verified"

    @classmethod
    def weakest(cls, values):
        """How well a fact resting on several records is sourced: as well as the weakest."""
        order = [cls.UNVERIFIED, cls.PARTLY, cls.SOURCED]
        present = [v for v in values if v in order]
        return min(present, key=order.index) if present else cls.UNVERIFIED


def distinct_sources(records, sources_of=lambda record: record.sources.all()):
    """The sources of several records, each once, in order of first citation.
    `sources_of(record)`: its sources, when they were read otherwise than prefetched."""
    seen = {}
    for record in records:
        for source in sources_of(record):
            seen.setdefault(source.url, source)
    return list(seen.values())


class Source(models.Model):
    """A published page that states a fact. Every public fact links to at least one."""

    url = models.URLField(max_length=1000, unique=True)
    title = models.CharField(max_length=300, blank=True)
    publisher = models.CharField(
        max_length=200,
        blank=True,
        help_text="Outlet or agency; defaults to the URL's host.",
    )
    published_on = models.DateField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["publisher", "url"]

    def __str__(self):
        return self.title or self.url

    def save(self, *args, **kwargs):
        if not self.publisher:
            self.publisher = self.host
        super().save(*args, **kwargs)

    @property
    def host(self):
        return urlsplit(self.url).netloc.removeprefix("www.")

    @property
    def label(self):
        return self.title or self.host


class Provenance(models.Model):
    """What every fact-bearing record carries: its sources, how well they back it,
    the research notes behind it, and its change history."""

    sourcing = models.CharField(
        max_length=12,
        choices=Sourcing,
        default=Sourcing.SOURCED,
        help_text="“Partly sourced” when part of the fact rests on general knowledge or a page named only in notes.",
    )
    notes = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, related_name="%(app_label)s_%(class)s_set")

    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=models.Q(sourcing__in=Sourcing.values),
                name="%(app_label)s_%(class)s_sourcing_valid",
            )
        ]
