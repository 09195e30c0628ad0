from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Coalesce

from sources.models import Provenance


class Level(models.TextChoices):
    STATE = "state", "State law"
    LOCAL = "local", "Local policy"


class MeasureKind(models.TextChoices):
    STATUTE = "statute", "Statute"
    EXECUTIVE_ORDER = "executive_order", "Executive order"
    AG_DIRECTIVE = "ag_directive", "Attorney general directive"
    COURT_DECISION = "court_decision", "Court decision"
    REGULATION = "regulation", "Regulation"
    ORDINANCE = "ordinance", "Ordinance"
    RESOLUTION = "resolution", "Resolution"
    SHERIFF_POLICY = "sheriff_policy", "Sheriff policy"
    OTHER = "other", "Other (police order, board policy, memo)"


class Effect(models.TextChoices):
    RESTRICTS = "restricts", "Restricts cooperation"
    REQUIRES = "requires", "Requires cooperation"
    FORBIDS_RESTRICTIONS = "forbids_restrictions", "Forbids local restrictions"
    NONE_FOUND = "none_found", "No state law found"
    NONE = "none", "No effect (symbolic, or practice allowing access)"


class LegalMeasureQuerySet(models.QuerySet):
    def of_jurisdiction_page(self, jurisdiction):
        """A state's laws, or a local government's own policies, oldest first."""
        return (
            self.filter(jurisdiction=jurisdiction)
            .with_start()
            .prefetch_related("conditions", "sources")
            .order_by(models.F("starts_on").asc(nulls_first=True), "name")
        )

    def with_start(self):
        """Annotate `starts_on`: the effective date, else the enactment date."""
        return self.annotate(starts_on=Coalesce("effective_on", "enacted_on"))

    def in_force_on(self, day):
        """Measures in force on `day`: started on or before it (or no start known) and
        not ended on or before it. Same rule as `LegalMeasure.is_in_force_on`."""
        return (
            self.with_start()
            .filter(Q(starts_on__isnull=True) | Q(starts_on__lte=day))
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=day))
        )


class LegalMeasure(Provenance):
    """A state law or a local policy on the conditions: what it does to each, and when
    it was in force (state_laws.csv and local_policies.csv)."""

    Level = Level
    Kind = MeasureKind
    Effect = Effect

    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction",
        on_delete=models.PROTECT,
        related_name="legal_measures",
        help_text="For a state law, the “State of …” (or DC) row; for a local policy, the government that adopted it.",
    )
    level = models.CharField(max_length=5, choices=Level)
    name = models.CharField(
        max_length=200, help_text="Short official or common name; “No state law found” for a negative finding."
    )
    citation = models.CharField(
        max_length=200, blank=True, help_text="Code section, act or case citation; empty if none was confirmed."
    )
    kind = models.CharField(max_length=20, choices=MeasureKind)
    enacted_on = models.DateField(
        null=True,
        blank=True,
        help_text="Signing, issue, adoption or decision date. If only a month or year is known, leave empty "
        "and give it in notes.",
    )
    effective_on = models.DateField(null=True, blank=True, help_text="Date it took effect, where known.")
    ended_on = models.DateField(
        null=True,
        blank=True,
        help_text="Date it stopped governing (repealed or superseded); the first day it no longer applied.",
    )
    effect = models.CharField(
        max_length=20,
        choices=Effect,
        help_text="“No state law found” is for state rows only, “No effect” for local rows only.",
    )
    conditions = models.ManyToManyField(
        "programs.Condition",
        blank=True,
        related_name="legal_measures",
        help_text="The conditions it bears on; may be empty (e.g. courthouse arrests match no condition).",
    )
    summary = models.TextField(help_text="What it does to each listed condition, with key exceptions, in our words.")
    applies_to = models.CharField(
        max_length=300, blank=True, help_text="Whom it binds, e.g. all state and local law enforcement."
    )

    objects = LegalMeasureQuerySet.as_manager()

    class Meta(Provenance.Meta):
        ordering = ["jurisdiction__state", "level", "jurisdiction__name", "name"]
        constraints = [
            *Provenance.Meta.constraints,
            models.UniqueConstraint(fields=["jurisdiction", "name"], name="laws_measure_unique_name"),
            models.CheckConstraint(condition=Q(level__in=Level.values), name="laws_measure_level_valid"),
            models.CheckConstraint(condition=Q(kind__in=MeasureKind.values), name="laws_measure_kind_valid"),
            models.CheckConstraint(condition=Q(effect__in=Effect.values), name="laws_measure_effect_valid"),
            models.CheckConstraint(
                condition=~Q(effect=Effect.NONE_FOUND, level=Level.LOCAL) & ~Q(effect=Effect.NONE, level=Level.STATE),
                name="laws_measure_effect_fits_level",
                violation_error_message="“No state law found” is for state laws, “No effect” for local policies.",
            ),
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True)
                | (Q(effective_on__isnull=True) & (Q(enacted_on__isnull=True) | Q(enacted_on__lt=F("ended_on"))))
                | Q(effective_on__lt=F("ended_on")),
                name="laws_measure_starts_before_it_ends",
                violation_error_message="A measure must take effect before it ends.",
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.jurisdiction.name}, {self.jurisdiction.state})"

    def get_absolute_url(self):
        return self.jurisdiction.get_absolute_url()

    @property
    def start(self):
        return self.effective_on or self.enacted_on

    def is_in_force_on(self, day):
        start = self.start
        return (start is None or start <= day) and (self.ended_on is None or day < self.ended_on)
