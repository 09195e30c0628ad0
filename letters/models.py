from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Prefetch, Q, Value, When
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from jurisdictions.models import Booking, ControlStatus, Jurisdiction, jail_control
from programs.models import Condition, Program
from sources.models import Source, Sourcing

from .documents import extract_text, letter_document_path, validate_pdf


class Batch(models.Model):
    """Letters DOJ sent together, e.g. the 29 preliminary-assessment letters of Nov 15, 2017."""

    code = models.SlugField(max_length=60, unique=True, help_text="e.g. B2017-08-03_PSP")
    label = models.CharField(max_length=200)
    is_partial = models.BooleanField(default=False, help_text="Only some recipients are known.")
    notes = models.TextField(blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["code"]
        verbose_name_plural = "batches"

    def __str__(self):
        return self.label

    def get_absolute_url(self):
        return reverse("letters:list") + f"?batch={self.code}"


class LetterStatus(models.TextChoices):
    OPEN = "open", "Open"
    DEADLINE_PASSED = "deadline_passed", "Deadline passed"
    RESPONDED = "responded", "Responded"


class LetterQuerySet(models.QuerySet):
    def with_status(self, today=None):
        """Responded if the recipient answered (a Response, or a response event about
        the recipient dated on or after the letter); else passed or open by deadline."""
        today = today or timezone.localdate()
        answered = Exists(Response.objects.filter(letter=OuterRef("pk"))) | Exists(
            Event.objects.filter(
                kind=Event.Kind.RESPONSE,
                jurisdictions=OuterRef("recipient"),
                occurred_on__gte=OuterRef("sent_on"),
            )
        )
        return self.annotate(
            status=Case(
                When(answered, then=Value(LetterStatus.RESPONDED)),
                When(deadline__lt=today, then=Value(LetterStatus.DEADLINE_PASSED)),
                default=Value(LetterStatus.OPEN),
                output_field=models.CharField(),
            )
        )

    def with_deadline_passed(self, today=None):
        return self.filter(deadline__lt=today or timezone.localdate())

    def with_demands(self):
        return self.prefetch_related(
            Prefetch(
                "demands",
                queryset=Demand.objects.with_control().select_related("condition"),
            ),
            Prefetch(
                "recipient__bookings",
                queryset=Booking.objects.select_related("facility__operator"),
            ),
        )

    def for_list(self):
        return (
            self.select_related("program", "recipient", "batch")
            .with_status()
            .with_demands()
            .prefetch_related("sources")
        )

    def for_detail_page(self):
        return self.for_list().select_related("recipient__parent").prefetch_related("responses__sources")


class Letter(models.Model):
    batch = models.ForeignKey(Batch, on_delete=models.PROTECT, related_name="letters", null=True, blank=True)
    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="letters")
    program_context = models.CharField(
        max_length=200,
        blank=True,
        help_text="Award years named by the letter, e.g. “FY2016 award condition”.",
    )
    sender_name = models.CharField(max_length=200, blank=True)
    sender_title = models.CharField(max_length=300, blank=True)
    sender_office = models.CharField(max_length=200, blank=True, help_text="e.g. Office of Justice Programs.")
    sent_on = models.DateField(null=True, blank=True, help_text="Leave empty if no source gives the date.")
    deadline = models.DateField(null=True, blank=True, help_text="Response deadline.")
    recipient = models.ForeignKey(Jurisdiction, on_delete=models.PROTECT, related_name="letters_received")
    addressee = models.CharField(
        max_length=300,
        help_text="The agency or official it was addressed to, e.g. Baltimore Police Department.",
    )
    addressee_confirmed = models.BooleanField(default=True)
    document_url = models.URLField(max_length=1000, blank=True, help_text="Link to the letter's text.")
    document = models.FileField(
        upload_to=letter_document_path,
        blank=True,
        validators=[FileExtensionValidator(["pdf"]), validate_pdf],
        help_text="The letter as a PDF (10 MB at most). Its text is extracted for search.",
    )
    document_text = models.TextField(blank=True, editable=False)
    conditions = models.ManyToManyField(Condition, through="Demand", related_name="letters")
    notes = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, related_name="letters")

    objects = LetterQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = [F("sent_on").desc(nulls_last=True), "-pk"]
        indexes = [
            models.Index(fields=["sent_on"], name="letter_sent_on"),
            models.Index(fields=["deadline"], name="letter_deadline"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__isnull=True) | Q(sent_on__isnull=True) | Q(deadline__gte=F("sent_on")),
                name="letter_deadline_not_before_sent",
                violation_error_message="The response deadline cannot be before the date the letter was sent.",
            ),
        ]
        permissions = [("import_letter", "Can import letters from CSV or XLSX")]

    def __str__(self):
        sent = self.sent_on.isoformat() if self.sent_on else "undated"
        return f"{self.program} letter to {self.recipient.name} ({sent})"

    def save(self, *args, **kwargs):
        if self.document and not self.document._committed:
            self.document_text = extract_text(self.document)
        elif not self.document:
            self.document_text = ""
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("letters:detail", kwargs={"pk": self.pk})


class DemandQuerySet(models.QuerySet):
    def with_control(self):
        """Annotate `control`: who controls compliance with this demand. Own-policy
        conditions are the recipient's; jail conditions follow `jail_control`."""
        return self.annotate(
            control=Case(
                When(
                    condition__control_locus=Condition.ControlLocus.OWN_POLICY,
                    then=Value(ControlStatus.CONTROLS),
                ),
                default=jail_control("letter__recipient"),
                output_field=models.CharField(),
            )
        )


class Demand(models.Model):
    """One condition demanded by one letter."""

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="demands")
    condition = models.ForeignKey(Condition, on_delete=models.PROTECT, related_name="demands")

    objects = DemandQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["condition__code"]
        constraints = [
            models.UniqueConstraint(fields=["letter", "condition"], name="demand_condition_once_per_letter"),
        ]

    def __str__(self):
        return f"{self.condition.code} in {self.letter}"

    def get_absolute_url(self):
        return self.letter.get_absolute_url()

    def controllers(self):
        """Who runs what the demand depends on: the recipient itself for its own
        policies, else the operators of the jails that hold its arrestees."""
        if self.condition.depends_on_jail:
            return self.letter.recipient.jail_operators()
        return [self.letter.recipient]

    def get_control_display(self):
        return ControlStatus(self.control).label


class ResponseStance(models.TextChoices):
    CERTIFIED_COMPLIANCE = "certified_compliance", "Certified compliance"
    COMPLIED = "complied", "Sent what was asked"
    DISPUTED = "disputed", "Disputed the demand"
    REFUSED = "refused", "Refused"
    SUED = "sued", "Sued"
    NO_RESPONSE_FOUND = "no_response_found", "No response found"
    CLEARED_BY_DOJ = "cleared_by_doj", "Cleared by DOJ"


class Response(models.Model):
    """One answer to one letter: the recipient's statement or reply, or DOJ's later
    clearance of it. A recipient can have several for one letter."""

    Stance = ResponseStance

    letter = models.ForeignKey(Letter, on_delete=models.CASCADE, related_name="responses")
    responded_on = models.DateField(
        null=True,
        blank=True,
        help_text="Leave empty if the source says a reply was sent but not when; give the bound in notes.",
    )
    responder = models.CharField(
        max_length=200,
        help_text="Who answered, e.g. the county attorney; for a clearance, the DOJ official.",
    )
    stance = models.CharField(
        max_length=20,
        choices=Stance,
        help_text="“Certified compliance”: asserted or certified 1373 compliance. “Disputed”: rejected DOJ's "
        "premise or said the questions concern jails it does not run. “Cleared by DOJ”: DOJ found no "
        "evidence of non-compliance.",
    )
    summary = models.TextField()
    sourcing = models.CharField(
        max_length=12,
        choices=Sourcing,
        default=Sourcing.SOURCED,
        help_text="“Partly sourced” when part of the fact rests on general knowledge or a page named only in notes.",
    )
    notes = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, related_name="responses")

    history = HistoricalRecords()

    class Meta:
        ordering = [F("responded_on").asc(nulls_last=True), "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(stance__in=ResponseStance.values),
                name="response_stance_valid",
            ),
            models.CheckConstraint(condition=Q(sourcing__in=Sourcing.values), name="response_sourcing_valid"),
        ]

    def __str__(self):
        when = self.responded_on.isoformat() if self.responded_on else "undated"
        return f"{self.responder} ({when})"

    def get_absolute_url(self):
        return self.letter.get_absolute_url()


class EventQuerySet(models.QuerySet):
    def touching(self, jurisdiction):
        """Events about the jurisdiction, its parent chain, or a court ruling in its circuit."""
        related = [jurisdiction.pk]
        parent = jurisdiction.parent
        while parent is not None:
            related.append(parent.pk)
            parent = parent.parent
        circuit_states = Jurisdiction.objects.in_circuit(jurisdiction.circuit).values("pk")
        return self.filter(
            Q(jurisdictions__in=related) | Q(kind=Event.Kind.COURT_RULING, jurisdictions__in=circuit_states)
        ).distinct()

    def for_list(self):
        return self.prefetch_related("jurisdictions", "programs", "sources")


class EventKind(models.TextChoices):
    COURT_RULING = "court_ruling", "Court ruling"
    POLICY_CHANGE = "policy_change", "Policy change"
    RESPONSE = "response", "Response"
    ANNOUNCEMENT = "announcement", "Announcement"


class Event(models.Model):
    Kind = EventKind

    occurred_on = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind)
    title = models.CharField(max_length=300)
    summary = models.TextField()
    actor = models.CharField(max_length=200, blank=True, help_text="Court or official who acted.")
    outcome = models.TextField(blank=True)
    jurisdictions = models.ManyToManyField(Jurisdiction, blank=True, related_name="events")
    programs = models.ManyToManyField(Program, blank=True, related_name="events")
    conditions = models.ManyToManyField(Condition, blank=True, related_name="events")
    sourcing = models.CharField(
        max_length=12,
        choices=Sourcing,
        default=Sourcing.SOURCED,
        help_text="“Partly sourced” when e.g. the date is derived from a weekday or comes from a second page.",
    )
    notes = models.TextField(blank=True)
    sources = models.ManyToManyField(Source, related_name="events")

    objects = EventQuerySet.as_manager()

    history = HistoricalRecords()

    class Meta:
        ordering = ["-occurred_on", "title"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_valid"),
            models.CheckConstraint(condition=Q(sourcing__in=Sourcing.values), name="event_sourcing_valid"),
        ]

    def __str__(self):
        return f"{self.occurred_on:%Y-%m-%d}: {self.title}"

    def get_absolute_url(self):
        return reverse("letters:timeline") + f"#event-{self.pk}"
