from django.db import models
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, Subquery
from django.db.models.functions import Coalesce
from django.utils.text import slugify
from simple_history.models import HistoricalRecords

from listing.links import record_path
from sources.models import Provenance, Source, Sourcing

from .states import State, circuit_of, state_name, states_in_circuit


class JurisdictionQuerySet(models.QuerySet):
    def in_circuit(self, *circuits):
        return self.filter(state__in=[state for circuit in circuits for state in states_in_circuit(circuit)])

    def with_jail_control(self, on=None):
        """Annotate `jail_control`, the status on day `on` (today by default)."""
        # The rule's module reads this module's models, so it is imported here.
        from .control import jail_control_expression

        return self.annotate(jail_control=jail_control_expression("pk", on))

    def with_jail_control_joined(self, on=None, name="jail_control_joined"):
        """Annotate `name` with the same status as `with_jail_control(on)`, read by
        joining the period in force: for filters and counts over every row."""
        from .control import in_force_period, joined_status

        alias = f"{name}_period"
        return self.annotate(**{alias: in_force_period(on)}).annotate(**{name: joined_status(alias)})

    def _letters(self):
        # Letters sit in a higher layer; reach them through the reverse relation
        # rather than importing the letters app.
        return self.model.letters_received.rel.related_model.objects

    def targeted(self):
        """Jurisdictions that received at least one letter."""
        return self.filter(Exists(self._letters().filter(recipient=OuterRef("pk"))))

    def not_targeted(self):
        return self.exclude(Exists(self._letters().filter(recipient=OuterRef("pk"))))

    def with_letter_counts(self):
        # A correlated subquery, not JOIN + GROUP BY: a page of 25 then counts 25 rows.
        letters = self._letters().filter(recipient=OuterRef("pk")).order_by().values("recipient")
        return self.annotate(
            letter_count=Coalesce(Subquery(letters.annotate(n=Count("pk")).values("n")), 0),
        )

    def with_bookings(self):
        return self.prefetch_related(
            Prefetch(
                "bookings",
                queryset=Booking.objects.select_related("facility__operator").prefetch_related(
                    "sources", "facility__sources"
                ),
            )
        )

    def for_list(self):
        return (
            self.select_related("parent", "local_jails_source")
            .with_jail_control()
            .with_letter_counts()
            .order_by("state", "name", "pk")
        )

    def for_detail_page(self):
        return self.select_related("parent__parent", "local_jails_source").with_jail_control().with_bookings()


class JurisdictionKind(models.TextChoices):
    STATE = "state", "State"
    COUNTY = "county", "County"
    CITY = "city", "City"
    CONSOLIDATED = "consolidated", "Consolidated city-county"
    INTERGOVERNMENTAL = "intergovernmental", "Intergovernmental agency"


class LocalJailsOperator(models.TextChoices):
    """Who runs a state's local jails, where no single booking row can say it."""

    COUNTIES = "counties", "Each county's sheriff"
    STATE = "state", "The state (a unified system)"


class Jurisdiction(models.Model):
    Kind = JurisdictionKind

    name = models.CharField(max_length=200)
    slug = models.SlugField(max_length=220, unique=True, help_text="Used in the page address.")
    kind = models.CharField(max_length=20, choices=Kind)
    state = models.CharField(max_length=2, choices=State, help_text="USPS code.")
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="The county a city sits in, or the state a county sits in.",
    )
    fips = models.CharField("FIPS / GEOID", max_length=10, blank=True, help_text="Census code, where known.")
    population = models.PositiveIntegerField(null=True, blank=True)
    latitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    longitude = models.DecimalField(max_digits=8, decimal_places=5, null=True, blank=True)
    local_jails_operated_by = models.CharField(
        max_length=10,
        choices=LocalJailsOperator,
        blank=True,
        help_text="States only: who runs the local jails (leave empty if mixed or not researched).",
    )
    local_jails_source = models.ForeignKey(
        Source,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The page that says who runs the state's local jails.",
    )
    local_jails_sourcing = models.CharField(max_length=12, choices=Sourcing, blank=True)
    notes = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, blank=True, related_name="jurisdictions")

    objects = JurisdictionQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["state", "name"]
        indexes = [models.Index(fields=["state", "name"], name="jurisdiction_state_name")]
        permissions = [("import_jurisdiction", "Can import jurisdictions from CSV or XLSX")]
        constraints = [
            models.UniqueConstraint(fields=["name", "state"], name="jurisdiction_unique_name_state"),
            models.CheckConstraint(
                condition=Q(kind__in=JurisdictionKind.values),
                name="jurisdiction_kind_valid",
            ),
            models.CheckConstraint(condition=Q(state__in=State.values), name="jurisdiction_state_valid"),
            models.CheckConstraint(
                condition=Q(local_jails_operated_by="") | Q(kind=JurisdictionKind.STATE),
                name="jurisdiction_local_jails_only_for_states",
                violation_error_message="Only a state records who runs its local jails.",
            ),
        ]

    def __str__(self):
        return f"{self.name}, {self.state}"

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = self.make_slug(self.name, self.state)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return self.url_for(self.slug)

    @staticmethod
    def url_for(slug):
        return record_path("jurisdictions:detail", "slug", slug)

    @staticmethod
    def make_slug(name, state):
        return slugify(f"{name} {state}")

    @property
    def circuit(self):
        return circuit_of(self.state)

    @property
    def is_state_level(self):
        """A state, or DC, which the data codes as a consolidated city-county but whose
        laws are the state-level ones (seed/data/README.md)."""
        return self.kind == JurisdictionKind.STATE or self.state == "DC"

    @property
    def state_name(self):
        return state_name(self.state)


class FacilityType(models.TextChoices):
    CITY_LOCKUP = "city_lockup", "City lockup"
    COUNTY_JAIL = "county_jail", "County jail"
    STATE_JAIL = "state_jail", "State jail"
    REGIONAL_JAIL = "regional_jail", "Regional jail"


class FacilityQuerySet(models.QuerySet):
    def for_operator_page(self):
        """The jails a government runs, with whose arrestees each holds."""
        return self.prefetch_related(
            "sources",
            Prefetch(
                "bookings", queryset=Booking.objects.select_related("jurisdiction").order_by("jurisdiction__name")
            ),
        )


class Facility(Provenance):
    Type = FacilityType

    name = models.CharField(max_length=200, unique=True)
    state = models.CharField(max_length=2, choices=State)
    facility_type = models.CharField(max_length=20, choices=Type)
    operator = models.ForeignKey(
        Jurisdiction,
        on_delete=models.PROTECT,
        related_name="operated_facilities",
        help_text="The government that runs the facility.",
    )
    operator_agency = models.CharField(
        max_length=200,
        blank=True,
        help_text="e.g. “San Joaquin County Sheriff's Office”.",
    )

    objects = FacilityQuerySet.as_manager()

    class Meta(Provenance.Meta):
        ordering = ["state", "name"]
        verbose_name_plural = "facilities"
        permissions = [("import_facility", "Can import facilities from CSV or XLSX")]
        constraints = [
            *Provenance.Meta.constraints,
            models.CheckConstraint(
                condition=Q(facility_type__in=FacilityType.values),
                name="facility_type_valid",
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return self.operator.get_absolute_url()


class BookingStage(models.TextChoices):
    ALL = "all", "All custody"
    PRE_ARRAIGNMENT = "pre_arraignment", "Until arraignment"
    AFTER_ARRAIGNMENT = "after_arraignment", "After arraignment"


class DatePrecision(models.TextChoices):
    DAY = "day", "Exact day"
    MONTH = "month", "Month only"
    YEAR = "year", "Year only"
    APPROXIMATE = "approximate", "Approximate"


class BookingQuerySet(models.QuerySet):
    def in_force_on(self, day):
        """Bookings that applied on `day` (a date or an expression); `Booking.in_force_on`
        is the same test for one loaded row."""
        return self.filter(
            Q(valid_from__isnull=True) | Q(valid_from__lte=day),
            Q(valid_to__isnull=True) | Q(valid_to__gt=day),
        )


class Booking(Provenance):
    """Where a jurisdiction's arrestees are held, at which stage of custody, and from
    when until when (an open bound means since before the sources, or still so)."""

    Stage = BookingStage
    Precision = DatePrecision

    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="bookings")
    facility = models.ForeignKey(Facility, on_delete=models.PROTECT, related_name="bookings")
    stage = models.CharField(max_length=20, choices=Stage, default=Stage.ALL)
    valid_from = models.DateField(null=True, blank=True, help_text="First day this applies (inclusive).")
    valid_to = models.DateField(null=True, blank=True, help_text="Day it stopped applying (exclusive).")
    valid_precision = models.CharField(
        max_length=12,
        choices=Precision,
        blank=True,
        help_text="How precise the less precise of the two dates is; a month or year is stored as its first day.",
    )

    objects = BookingQuerySet.as_manager()

    class Meta(Provenance.Meta):
        ordering = ["jurisdiction", "stage", "facility"]
        permissions = [("import_booking", "Can import bookings from CSV or XLSX")]
        constraints = [
            *Provenance.Meta.constraints,
            # Two partial constraints because NULLs never collide in a plain unique index.
            models.UniqueConstraint(
                fields=["jurisdiction", "facility", "stage", "valid_from"],
                condition=Q(valid_from__isnull=False),
                name="booking_unique_dated_period",
            ),
            models.UniqueConstraint(
                fields=["jurisdiction", "facility", "stage"],
                condition=Q(valid_from__isnull=True),
                name="booking_unique_open_period",
            ),
            models.CheckConstraint(
                condition=Q(valid_from__isnull=True) | Q(valid_to__isnull=True) | Q(valid_from__lt=F("valid_to")),
                name="booking_valid_from_before_to",
                violation_error_message="A booking must start before it ends.",
            ),
            models.CheckConstraint(
                condition=Q(valid_precision__in=[*DatePrecision.values, ""]), name="booking_precision_valid"
            ),
            models.CheckConstraint(condition=Q(stage__in=BookingStage.values), name="booking_stage_valid"),
        ]

    def __str__(self):
        return f"{self.jurisdiction.name} → {self.facility.name} ({self.get_stage_display()})"

    def get_absolute_url(self):
        return self.jurisdiction.get_absolute_url()

    def in_force_on(self, day):
        return booking_in_force(self.valid_from, self.valid_to, day)


def booking_in_force(valid_from, valid_to, day):
    """A booking from `valid_from` until the day before `valid_to` (either open) applies
    on `day`; `BookingQuerySet.in_force_on` is the same test in SQL."""
    return (valid_from is None or valid_from <= day) and (valid_to is None or day < valid_to)


class JailControlPeriod(models.Model):
    """Stored output of the control rule (`jurisdictions.control`): a jurisdiction's
    jail-control status over [valid_from, valid_until). Derived data, never edited:
    `control.store_jail_control` rewrites it in the transaction of every change that
    affects it; `manage.py recompute_control` rebuilds it."""

    # Tells revisions.signals this table is a cache of other rows, not data of its own.
    is_derived_cache = True

    # The reverse name lets a list join the period in force (`control.jail_control_joined`).
    jurisdiction = models.ForeignKey(Jurisdiction, on_delete=models.CASCADE, related_name="control_periods")
    valid_from = models.DateField(help_text="First day (inclusive); the earliest date for 'always'.")
    valid_until = models.DateField(null=True, blank=True, help_text="Day it stops (exclusive); empty: still so.")
    status = models.CharField(max_length=20)

    class Meta:
        ordering = ["jurisdiction", "valid_from"]
        constraints = [
            # Also the index every read goes through: (jurisdiction, valid_from <= day).
            models.UniqueConstraint(fields=["jurisdiction", "valid_from"], name="jail_control_period_once"),
        ]

    def __str__(self):
        return f"{self.jurisdiction_id} {self.status} from {self.valid_from} until {self.valid_until or 'now'}"
