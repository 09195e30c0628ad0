"""Published "sanctuary jurisdiction" lists: who was named on which list, when, in which
section, and who disputed it (issue 16)."""

from django.db import models
from django.db.models import Count, F, Q
from django.urls import reverse
from simple_history.models import HistoricalRecords

from jurisdictions.states import State
from sources.models import Provenance


class PublishedListQuerySet(models.QuerySet):
    def with_entry_counts(self):
        return self.annotate(entry_count=Count("entries", distinct=True))

    def for_index(self):
        """The lists page and its export: newest first, with entry counts and sources."""
        return (
            self.with_entry_counts()
            .select_related("superseded_by")
            .prefetch_related("sources")
            .order_by("-published_on", "title")
        )


class PublishedList(Provenance):
    """One published list, e.g. DOJ's list of August 5, 2025 under Executive Order 14287."""

    publisher = models.CharField(
        max_length=200, help_text="The agency that published it, e.g. “U.S. Department of Justice”."
    )
    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=120, unique=True, help_text="Used in the page address.")
    published_on = models.DateField()
    withdrawn_on = models.DateField(
        null=True, blank=True, help_text="The first day it was no longer published (taken down or replaced)."
    )
    superseded_by = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supersedes",
        help_text="The later list that replaced this one, where the publisher or reporting says so.",
    )
    section_label = models.CharField(
        max_length=100,
        blank=True,
        help_text="The header of the list's own grouping column in the import file, e.g. doj_list_section.",
    )
    entries_complete = models.BooleanField(
        default=True,
        help_text="Off when the entries recorded here are not the whole list, e.g. when no source for them was found.",
    )

    objects = PublishedListQuerySet.as_manager()

    class Meta(Provenance.Meta):
        ordering = ["-published_on", "title"]
        constraints = [
            *Provenance.Meta.constraints,
            models.CheckConstraint(
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=F("published_on")),
                name="sanctuary_list_withdrawn_after_published",
                violation_error_message="A list cannot be withdrawn before it was published.",
            ),
        ]

    def __str__(self):
        return f"{self.title} ({self.published_on:%Y-%m-%d})"

    def get_absolute_url(self):
        return reverse("sanctuary_lists:detail", kwargs={"slug": self.slug})


class ListEntryQuerySet(models.QuerySet):
    def for_list_page(self):
        return (
            self.select_related("jurisdiction", "published_list")
            .prefetch_related("sources")
            .order_by("section", "name_as_printed", "pk")
        )

    def naming(self, jurisdiction):
        """The entries that name `jurisdiction`, oldest list first."""
        return (
            self.filter(jurisdiction=jurisdiction)
            .select_related("published_list")
            .prefetch_related("sources")
            .order_by("published_list__published_on", "published_list__title", "section")
        )


class ListEntry(Provenance):
    """One line of a published list: the jurisdiction it names, the section it puts it
    in and the name exactly as printed."""

    published_list = models.ForeignKey(PublishedList, on_delete=models.CASCADE, related_name="entries")
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction", on_delete=models.PROTECT, related_name="list_entries"
    )
    section = models.CharField(max_length=100, blank=True, help_text="The list's own section or category, as printed.")
    name_as_printed = models.CharField(max_length=200)

    objects = ListEntryQuerySet.as_manager()

    class Meta(Provenance.Meta):
        ordering = ["published_list", "section", "name_as_printed"]
        verbose_name_plural = "list entries"
        constraints = [
            *Provenance.Meta.constraints,
            models.UniqueConstraint(
                fields=["published_list", "jurisdiction", "section"], name="sanctuary_list_entry_unique"
            ),
        ]

    def __str__(self):
        return f"{self.name_as_printed} on {self.published_list.title}"

    def get_absolute_url(self):
        return self.published_list.get_absolute_url()


class DisputeKind(models.TextChoices):
    DISPUTED = "disputed", "Disputed its listing"
    REMOVED = "removed", "Removed from the list"


class ListDispute(Provenance):
    """A jurisdiction contesting its listing, or its removal from a list."""

    Kind = DisputeKind

    published_list = models.ForeignKey(PublishedList, on_delete=models.CASCADE, related_name="disputes")
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction", on_delete=models.PROTECT, related_name="list_disputes"
    )
    kind = models.CharField(max_length=10, choices=DisputeKind, default=DisputeKind.DISPUTED)
    occurred_on = models.DateField()
    who = models.CharField(max_length=200, help_text="Who said it, e.g. “County Executive Kathy Klausmeier”.")
    statement = models.TextField(help_text="What they said or did, in our words or briefly quoted.")

    class Meta(Provenance.Meta):
        ordering = ["occurred_on", "pk"]
        constraints = [
            *Provenance.Meta.constraints,
            models.CheckConstraint(condition=Q(kind__in=DisputeKind.values), name="sanctuary_list_dispute_kind_valid"),
        ]

    def __str__(self):
        return f"{self.jurisdiction.name} on {self.published_list.title}: {self.get_kind_display()}"

    def get_absolute_url(self):
        return self.published_list.get_absolute_url()


class JurisdictionAlias(models.Model):
    """Another name a list printed for a jurisdiction, confirmed by an editor, so that the
    next import matches it without asking again."""

    jurisdiction = models.ForeignKey("jurisdictions.Jurisdiction", on_delete=models.CASCADE, related_name="aliases")
    alias = models.CharField(max_length=200)
    state = models.CharField(max_length=2, choices=State, help_text="USPS code of the state the list gave.")

    history = HistoricalRecords()

    class Meta:
        ordering = ["state", "alias"]
        verbose_name_plural = "jurisdiction aliases"
        constraints = [
            models.UniqueConstraint(fields=["alias", "state"], name="sanctuary_list_alias_unique"),
            models.CheckConstraint(condition=Q(state__in=State.values), name="sanctuary_list_alias_state_valid"),
        ]

    def __str__(self):
        return f"{self.alias}, {self.state} → {self.jurisdiction.name}"
