from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse

from jurisdictions.states import Circuit
from sources.models import Provenance

FIRST_FISCAL_YEAR, LAST_FISCAL_YEAR = 1990, 2100


def validate_fiscal_years(value):
    """A list of distinct fiscal years as integers, e.g. [2017, 2018]; may be empty."""
    if not isinstance(value, list):
        raise ValidationError("Fiscal years must be a list of years, e.g. [2017, 2018].")
    for year in value:
        if type(year) is not int or not FIRST_FISCAL_YEAR <= year <= LAST_FISCAL_YEAR:
            raise ValidationError(f"{year!r} is not a fiscal year between {FIRST_FISCAL_YEAR} and {LAST_FISCAL_YEAR}.")
    if len(set(value)) != len(value):
        raise ValidationError("A fiscal year is listed twice.")


class Holding(models.TextChoices):
    BLOCKED = "blocked", "Blocked the conditions"
    UPHELD = "upheld", "Upheld the conditions"
    MIXED = "mixed", "Mixed (blocked some)"
    NOT_DECIDED = "not_decided", "Not decided"
    NOT_ADDRESSED = "not_addressed", "Not addressed (executive-order case)"
    IMPOSED = "imposed", "Imposed (DOJ action)"
    RESCINDED = "rescinded", "Rescinded (DOJ action)"


class BindingEffect(models.TextChoices):
    GRANTS_RELIEF = "grants_relief", "Grants relief"
    KEEPS_RELIEF = "keeps_relief", "Keeps earlier relief"
    NARROWS_RELIEF = "narrows_relief", "Narrows relief"
    ENDS_RELIEF = "ends_relief", "Ends relief"
    PROCEDURAL = "procedural", "Procedural"
    NO_RELIEF = "no_relief", "No relief"
    IMPOSES_CONDITIONS = "imposes_conditions", "Imposes conditions (DOJ)"
    ENDS_CONDITIONS = "ends_conditions", "Ends conditions (DOJ)"


RELIEF = [BindingEffect.GRANTS_RELIEF, BindingEffect.KEEPS_RELIEF, BindingEffect.NARROWS_RELIEF]


class Covered(models.TextChoices):
    PLAINTIFFS = "plaintiffs", "The listed jurisdictions"
    NATIONWIDE = "nationwide", "Nationwide"
    MEMBERS = "members", "Members of an organisation"


class CourtDecision(Provenance):
    """A court decision (or DOJ action) on the conditions, with who it protected, for
    which programs, conditions and fiscal years, and from when until when (litigation.csv)."""

    Holding = Holding
    BindingEffect = BindingEffect
    Covered = Covered

    case_name = models.CharField(max_length=300)
    court = models.CharField(max_length=100, help_text="e.g. N.D. Ill., 7th Cir.; “U.S. DOJ (agency action)”.")
    decided_on = models.DateField(null=True, blank=True, help_text="Empty only for a “no ruling found” entry.")
    decision_kind = models.CharField(max_length=100, help_text="e.g. preliminary injunction, appeal decision, stay.")
    outcome = models.TextField()
    plaintiffs = models.TextField(blank=True, help_text="As the sources name them (some are not jurisdictions here).")
    scope = models.TextField(blank=True, help_text="The order's reach as the sources put it, for readers.")
    programs = models.ManyToManyField("programs.Program", blank=True, related_name="court_decisions")
    all_federal_funds = models.BooleanField(
        default=False, help_text="The executive-order cases: about all federal funds, not one program."
    )
    conditions = models.ManyToManyField(
        "programs.Condition",
        blank=True,
        related_name="court_decisions",
        help_text="Conditions the order barred (blocked/mixed: only the barred ones) or upheld; "
        "empty if it concerns none of them.",
    )
    holding = models.CharField(max_length=20, choices=Holding)
    binding_effect = models.CharField(
        max_length=20,
        choices=BindingEffect,
        help_text="Grants/keeps/narrows relief are the effects that cover jurisdictions.",
    )
    fiscal_years = models.JSONField(
        default=list,
        blank=True,
        validators=[validate_fiscal_years],
        help_text="Byrne JAG fiscal years concerned, as a list, e.g. [2017, 2018].",
    )
    covered = models.CharField(
        max_length=10, choices=Covered, blank=True, help_text="Empty for DOJ actions and placeholders."
    )
    covered_organisation = models.CharField(
        max_length=200,
        blank=True,
        help_text="Only for “members”: the organisation, e.g. U.S. Conference of Mayors.",
    )
    covered_jurisdictions = models.ManyToManyField(
        "jurisdictions.Jurisdiction",
        blank=True,
        related_name="court_decisions_covering",
        help_text="Plaintiffs the order protects, or members a source names.",
    )
    in_force_from = models.DateField(null=True, blank=True, help_text="When the order started to bind.")
    in_force_until = models.DateField(
        null=True,
        blank=True,
        help_text="When it stopped binding (stayed, narrowed, vacated, reversed, superseded); empty if no end found.",
    )
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="supersedes"
    )
    precedent_circuit = models.CharField(
        max_length=4,
        choices=Circuit,
        blank=True,
        help_text="Appellate holdings only: the circuit where it binds as precedent.",
    )

    class Meta(Provenance.Meta):
        ordering = [F("decided_on").asc(nulls_last=True), "court", "case_name"]
        constraints = [
            *Provenance.Meta.constraints,
            models.UniqueConstraint(fields=["case_name", "court", "decided_on"], name="courts_decision_unique"),
            models.CheckConstraint(condition=Q(holding__in=Holding.values), name="courts_decision_holding_valid"),
            models.CheckConstraint(
                condition=Q(binding_effect__in=BindingEffect.values), name="courts_decision_binding_effect_valid"
            ),
            models.CheckConstraint(
                condition=Q(covered__in=[*Covered.values, ""]), name="courts_decision_covered_valid"
            ),
            models.CheckConstraint(
                condition=Q(precedent_circuit__in=[*Circuit.values, ""]), name="courts_decision_circuit_valid"
            ),
            models.CheckConstraint(
                condition=Q(covered=Covered.MEMBERS, covered_organisation__gt="")
                | (~Q(covered=Covered.MEMBERS) & Q(covered_organisation="")),
                name="courts_decision_organisation_only_for_members",
                violation_error_message="Name the organisation exactly when members are covered.",
            ),
            models.CheckConstraint(
                condition=Q(in_force_from__isnull=True)
                | Q(in_force_until__isnull=True)
                | Q(in_force_from__lt=F("in_force_until")),
                name="courts_decision_in_force_from_before_until",
                violation_error_message="An order must start to bind before it stops.",
            ),
            models.CheckConstraint(
                condition=~Q(binding_effect__in=RELIEF) | Q(in_force_from__isnull=False),
                name="courts_decision_relief_has_start",
                violation_error_message="An order that grants, keeps or narrows relief needs an in-force-from date.",
            ),
        ]

    def __str__(self):
        when = self.decided_on.isoformat() if self.decided_on else "undated"
        return f"{self.case_name} ({self.court}, {when})"

    def get_absolute_url(self):
        program = self.programs.first()
        return program.get_absolute_url() if program else reverse("letters:timeline")

    @property
    def key(self):
        """The `case | court | date` text litigation.csv uses in superseded_by."""
        return f"{self.case_name} | {self.court} | {self.decided_on.isoformat() if self.decided_on else ''}"

    def clean(self):
        super().clean()
        if self.superseded_by_id and self.superseded_by_id == self.pk:
            raise ValidationError({"superseded_by": "A decision cannot supersede itself."})
