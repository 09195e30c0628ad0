from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from listing.links import record_path
from sources.models import Provenance, Source


class ProgramKind(models.TextChoices):
    GRANT = "grant", "Grant"
    TECHNICAL_ASSISTANCE = "technical_assistance", "Technical assistance"


class Program(models.Model):
    Kind = ProgramKind

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=50, unique=True)
    slug = models.SlugField(max_length=60, unique=True)
    administering_office = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=25, choices=Kind)
    funding_note = models.TextField(blank=True)
    description = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, related_name="programs")

    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ProgramKind.values), name="program_kind_valid"),
        ]

    def __str__(self):
        return self.short_name

    def get_absolute_url(self):
        return record_path("programs:detail", "slug", self.slug)


class ControlLocus(models.TextChoices):
    JAIL_OPERATOR = "jail_operator", "Whoever runs the jail holding the arrestees"
    OWN_POLICY = "own_policy", "The jurisdiction's own policies"


# seed/data/README.md: jail access, release notice and detainers "can only be met by
# whoever runs the jail"; 1373 and document production fall on the recipient itself.
# The locus each code gets when it is first created (by load_seed or a test).
JAIL_CONDITION_CODES = frozenset({"jail_access", "release_notice_48h", "detainer_48h"})


def default_locus(code):
    return ControlLocus.JAIL_OPERATOR if code in JAIL_CONDITION_CODES else ControlLocus.OWN_POLICY


def depends_on_jail(path="condition"):
    """Q: the condition at `path` (the Condition itself when "") can only be met by
    whoever runs the jail. The one spelling of the locus test;
    `Condition.depends_on_jail` reads the same field."""
    return Q(**{f"{path}__control_locus" if path else "control_locus": ControlLocus.JAIL_OPERATOR})


class Condition(models.Model):
    ControlLocus = ControlLocus

    code = models.SlugField(max_length=50, unique=True, help_text="Short code, e.g. jail_access.")
    name = models.CharField(max_length=200)
    legal_basis = models.TextField(blank=True)
    who_controls = models.TextField(blank=True, help_text="Who can comply, in the source's words.")
    description = models.TextField(blank=True)
    control_locus = models.CharField(
        max_length=20,
        choices=ControlLocus,
        help_text="Decides who controls compliance on every page and export.",
    )
    notes = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, related_name="conditions")

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(control_locus__in=ControlLocus.values),
                name="condition_locus_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return record_path("programs:condition_detail", "code", self.code)

    @property
    def depends_on_jail(self):
        return self.control_locus == self.ControlLocus.JAIL_OPERATOR


class Requirement(models.TextChoices):
    AWARD_CONDITION = "award_condition", "Award condition"
    CERTIFICATION = "certification", "Certification at application"
    ELIGIBILITY = "eligibility", "Eligibility for new sites"
    MONITORING = "monitoring", "Grant-monitoring request"
    SCORING = "scoring", "Scoring preference"


class ProgramCondition(models.Model):
    """A condition a program attaches to every applicant, from a given fiscal year."""

    Requirement = Requirement

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="program_conditions")
    condition = models.ForeignKey(Condition, on_delete=models.PROTECT, related_name="program_conditions")
    requirement = models.CharField(max_length=20, choices=Requirement)
    effective = models.CharField(max_length=20, help_text="Fiscal year or year, e.g. FY2017.")
    announced_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, related_name="program_conditions")

    history = HistoricalRecords()

    class Meta:
        ordering = ["program", "effective", "condition"]
        constraints = [
            models.UniqueConstraint(
                fields=["program", "condition", "requirement", "effective"],
                name="program_condition_unique",
            ),
            models.CheckConstraint(
                condition=Q(requirement__in=Requirement.values),
                name="program_condition_requirement_valid",
            ),
        ]

    def __str__(self):
        return f"{self.program}: {self.condition.code} ({self.effective})"

    def get_absolute_url(self):
        return self.program.get_absolute_url()


class Award(Provenance):
    """A Byrne JAG award and what was withheld, per jurisdiction and fiscal year
    (byrne_jag_awards.csv). National and per-batch aggregates have no jurisdiction,
    only a label, and are shown as context, never attached to a jurisdiction."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="awards")
    jurisdiction = models.ForeignKey(
        "jurisdictions.Jurisdiction",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="awards",
        help_text="Leave empty for a national or group total, and name it in label.",
    )
    label = models.CharField(
        max_length=200,
        blank=True,
        help_text="Only for aggregates: e.g. “United States” or “Group total: April 2017 nine”.",
    )
    fiscal_year = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1990), MaxValueValidator(2100)],
        help_text="e.g. 2017 for FY2017. Leave empty when the source gives no single year, and say so in period.",
    )
    period = models.CharField(
        max_length=50,
        blank=True,
        help_text="Only when there is no single fiscal year: as the source gives it, e.g. “FY2016-FY2017”, "
        "“multi-year”, “unspecified”.",
    )
    amount_awarded = models.PositiveBigIntegerField(
        null=True,
        blank=True,
        help_text="Whole dollars, as the source states the award or allocation; empty if not stated.",
    )
    amount_withheld = models.PositiveBigIntegerField(
        null=True,
        blank=True,
        help_text="Whole dollars, only where a source says money was withheld, frozen, held up or threatened; "
        "empty if not stated (never 0 for unknown).",
    )
    award_number = models.CharField(max_length=50, blank=True, help_text="e.g. 2016-DJ-BX-0217.")
    what = models.CharField(max_length=300, help_text="What the amount is, in the source's terms.")

    class Meta(Provenance.Meta):
        ordering = [F("fiscal_year").asc(nulls_last=True), "jurisdiction__state", "jurisdiction__name", "label", "pk"]
        constraints = [
            *Provenance.Meta.constraints,
            models.CheckConstraint(
                condition=(Q(jurisdiction__isnull=False) & Q(label="")) | (Q(jurisdiction__isnull=True) & ~Q(label="")),
                name="programs_award_jurisdiction_or_label",
                violation_error_message="Give either a jurisdiction or, for an aggregate, a label.",
            ),
            models.CheckConstraint(
                condition=(Q(fiscal_year__isnull=False) & Q(period="")) | (Q(fiscal_year__isnull=True) & ~Q(period="")),
                name="programs_award_fiscal_year_or_period",
                violation_error_message="Give either a fiscal year or, if the source gives none, the period.",
            ),
        ]

    def __str__(self):
        who = self.jurisdiction.name if self.jurisdiction_id else self.label
        when = f"FY{self.fiscal_year}" if self.fiscal_year else self.period
        return f"{self.program} {when}: {who}"

    def get_absolute_url(self):
        return self.jurisdiction.get_absolute_url() if self.jurisdiction_id else self.program.get_absolute_url()
