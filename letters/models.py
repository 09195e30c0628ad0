from django.core.validators import FileExtensionValidator
from django.db import models, transaction
from django.db.models import Case, Exists, F, OuterRef, Prefetch, Q, Value, When
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import cached_property
from simple_history.models import HistoricalRecords

from jurisdictions.control import ControlStatus, JailControl, jail_control_expression
from jurisdictions.models import Booking, Jurisdiction
from listing.links import record_path
from programs.models import Condition, Program, depends_on_jail
from sources.models import Provenance, Source

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
    """Where a letter stands, from its own responses only (never from later events)."""

    OPEN = "open", "Open"
    DEADLINE_PASSED = "deadline_passed", "No response found by the deadline"
    RESPONDED = "responded", "Responded"
    CLEARED = "cleared", "Cleared by DOJ"


def control_date(letter="letter"):
    """SQL, for use inside a subquery: the day a letter's control question is asked on,
    the outer query's letter at path `letter`: sent, else due, else today.
    `Letter.control_date` is the same rule for a loaded letter."""
    return Coalesce(OuterRef(f"{letter}__sent_on"), OuterRef(f"{letter}__deadline"), Value(timezone.localdate()))


def control_day(sent_on, deadline):
    return sent_on or deadline or timezone.localdate()


class LetterQuerySet(models.QuerySet):
    def with_status(self, today=None):
        """Annotate `status`, from this letter's own responses only: cleared if DOJ
        cleared it, responded if any other response is recorded, else whether its
        deadline has passed. The only definition of a letter's status."""
        today = today or timezone.localdate()
        # A row saying "no response found" records research, not an answer.
        responses = Response.objects.filter(letter=OuterRef("pk")).exclude(stance=ResponseStance.NO_RESPONSE_FOUND)
        return self.annotate(
            status=Case(
                When(Exists(responses.filter(stance=ResponseStance.CLEARED_BY_DOJ)), then=Value(LetterStatus.CLEARED)),
                When(Exists(responses), then=Value(LetterStatus.RESPONDED)),
                When(deadline__lt=today, then=Value(LetterStatus.DEADLINE_PASSED)),
                default=Value(LetterStatus.OPEN),
                output_field=models.CharField(),
            )
        )

    # Conditions on the `status` annotation, shared by the methods below and by
    # aggregates that count several of them in one query (the home page).
    DEADLINE_PASSED = Q(status=LetterStatus.DEADLINE_PASSED)
    UPCOMING = Q(status=LetterStatus.OPEN, deadline__isnull=False)
    RESPONDED = Q(status=LetterStatus.RESPONDED)
    CLEARED = Q(status=LetterStatus.CLEARED)

    def deadline_passed(self, today=None):
        """Deadline passed with no response recorded: the home page figure and the filter."""
        return self.with_status(today).filter(self.DEADLINE_PASSED)

    def upcoming(self, today=None):
        return self.with_status(today).filter(self.UPCOMING)

    def deadlines(self, today=None):
        """How many letters await an answer before their deadline, the next such deadline
        and the latest deadline of all, in one query: an archive of old letters says
        "every deadline has passed" rather than "0 upcoming"."""
        return self.with_status(today).aggregate(
            upcoming=models.Count("pk", filter=self.UPCOMING),
            next_deadline=models.Min("deadline", filter=self.UPCOMING),
            last_deadline=models.Max("deadline"),
        )

    def responded(self):
        return self.with_status().filter(self.RESPONDED)

    def cleared(self):
        return self.with_status().filter(self.CLEARED)

    def with_demands(self, on=None):
        """Prefetch demands with their control status (as of each letter's date, or
        `on`) and what `Demand.control_answer` needs to name who controls."""
        return self.with_demand_controls(on).prefetch_related(
            Prefetch(
                "recipient__bookings",
                queryset=Booking.objects.select_related("facility__operator").prefetch_related("sources"),
            ),
        )

    def with_demand_controls(self, on=None):
        """Prefetch demands with their condition and control status (as of each
        letter's date, or `on`), without what naming who controls needs."""
        return self.prefetch_related(
            Prefetch("demands", queryset=Demand.objects.with_control(on).select_related("condition"))
        )

    def for_list(self, on=None):
        return self.for_answers(on).prefetch_related("sources")

    def for_recipient_list(self, on=None):
        """`for_list` for one recipient's letters read through `jurisdiction.letters_received`:
        Django sets each letter's recipient to that very jurisdiction, so its row and its
        bookings (when `Jurisdiction.objects.with_bookings()` loaded them) are read once for
        the page, not again with the letters (issue 15)."""
        return self.select_related("program", "batch").with_status().with_demands(on).prefetch_related("sources")

    def for_table(self, on=None):
        """What `includes/_letter_table.html` shows, and no more: `for_list` also reads
        each recipient's bookings and every letter's sources, which answers and detail
        pages need and a table row does not (issue 15: three queries and ~250 objects a
        page)."""
        return self.select_related("recipient", "program").with_status().with_demand_controls(on)

    def for_answers(self, on=None):
        """`for_list` without the letters' sources: what `compliance.answer` reads of a
        letter, for a page that shows no Source rows of the letter's own (its JSON lists
        their URLs in citation order from a column of the letter's row, issue 15)."""
        return self.select_related("recipient__local_jails_source", "program", "batch").with_status().with_demands(on)

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
        help_text="The agency or official it was addressed to, e.g. Baltimore Police Department. "
        "Say whether it is confirmed with the box below, not in this text.",
    )
    # Off by default: an addressee is confirmed only when a source names them (issue 14).
    addressee_confirmed = models.BooleanField(
        default=False, help_text="Tick only when a source names this addressee; the pages say so otherwise."
    )
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
            # A jurisdiction's page reads its oldest letters: from this index, already in
            # order, instead of walking `letter_sent_on` over every letter (issue 15).
            models.Index(fields=["recipient", "sent_on", "id"], name="letter_recipient_oldest"),
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
        # A replaced or cleared PDF is deleted once the change is committed.
        previous, current = getattr(self, "_stored_document", ""), self.document.name or ""
        if previous and previous != current:
            storage = self.document.storage
            transaction.on_commit(lambda: storage.delete(previous))
        self._stored_document = current

    def get_absolute_url(self):
        return record_path("letters:detail", "pk", self.pk)

    @property
    def title(self):
        """The page's title, as a citation names it."""
        sent = f"{self.sent_on:%B} {self.sent_on.day}, {self.sent_on.year}" if self.sent_on else "undated"
        return f"{self.program.short_name} letter to {self.recipient.name} of {sent}"

    @classmethod
    def from_db(cls, db, field_names, values, *args, **kwargs):
        # The stored PDF's name, so that save() can delete it once it is replaced.
        instance = super().from_db(db, field_names, values, *args, **kwargs)
        stored = instance.__dict__.get("document")
        instance._stored_document = getattr(stored, "name", stored) or ""
        return instance

    @property
    def control_date(self):
        return control_day(self.sent_on, self.deadline)


class DemandQuerySet(models.QuerySet):
    def with_control(self, on=None):
        """Annotate `control`: how far the recipient controls compliance with this
        demand on the letter's date (or `on`). Own-policy conditions are the
        recipient's; jail conditions follow the jail-control rule."""
        if on is not None:
            # The day travels with the row, so the names match the status (`control_answer`).
            self = self.annotate(control_on=Value(on, output_field=models.DateField()))
        day = control_date() if on is None else on
        by_rule = Case(
            When(depends_on_jail(), then=jail_control_expression("letter__recipient", day)),
            default=Value(ControlStatus.CONTROLS),
            output_field=models.CharField(),
        )
        if on is not None:
            return self.annotate(control=by_rule)
        # On the letter's date the answer is stored (compliance.stored, which writes it
        # from this same rule); the rule answers only where no current row is stored.
        today = timezone.localdate()
        stored = Q(stored_answer__isnull=False) & (
            Q(stored_answer__valid_until__isnull=True) | Q(stored_answer__valid_until__gt=today)
        )
        from_store = When(stored, then=F("stored_answer__control"))
        return self.annotate(control=Case(from_store, default=by_rule, output_field=models.CharField()))


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

    @cached_property
    def control_answer(self):
        """The JailControl for this demand, from the `with_control` annotation and the
        recipient data `LetterQuerySet.with_demands` prefetches."""
        recipient = self.letter.recipient
        day = getattr(self, "control_on", None) or self.letter.control_date
        return JailControl.for_condition(
            recipient, self.condition.depends_on_jail, self.control, recipient.bookings.all(), day
        )


class ResponseStance(models.TextChoices):
    CERTIFIED_COMPLIANCE = "certified_compliance", "Certified compliance"
    COMPLIED = "complied", "Sent what was asked"
    DISPUTED = "disputed", "Disputed the demand"
    REFUSED = "refused", "Refused"
    SUED = "sued", "Sued"
    NO_RESPONSE_FOUND = "no_response_found", "No response found"
    CLEARED_BY_DOJ = "cleared_by_doj", "Cleared by DOJ"


class Response(Provenance):
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

    class Meta(Provenance.Meta):
        ordering = [F("responded_on").asc(nulls_last=True), "pk"]
        constraints = [
            *Provenance.Meta.constraints,
            models.CheckConstraint(
                condition=Q(stance__in=ResponseStance.values),
                name="response_stance_valid",
            ),
        ]

    def __str__(self):
        when = self.responded_on.isoformat() if self.responded_on else "undated"
        return f"{self.responder} ({when})"

    def get_absolute_url(self):
        return self.letter.get_absolute_url()


class EventQuerySet(models.QuerySet):
    def involving(self, jurisdiction):
        """Events about the jurisdiction or the governments it sits in."""
        related = [jurisdiction.pk]
        parent = jurisdiction.parent
        while parent is not None:
            related.append(parent.pk)
            parent = parent.parent
        return self.filter(jurisdictions__in=related).distinct()

    def circuit_rulings(self, jurisdiction):
        """Court rulings about any government in the jurisdiction's circuit."""
        circuit_states = Jurisdiction.objects.in_circuit(jurisdiction.circuit).values("pk")
        return self.filter(kind=Event.Kind.COURT_RULING, jurisdictions__in=circuit_states).distinct()

    def for_list(self):
        """What `includes/_event_list.html` shows: the governments involved and the
        sources, as plain lists (`jurisdiction_list`, `source_list`): prefetched into the
        related managers they cost a manager and a queryset per event, and another
        manager per read in the template (issue 15)."""
        return self.prefetch_related(
            Prefetch("jurisdictions", to_attr="jurisdiction_list"), Prefetch("sources", to_attr="source_list")
        )

    def for_page(self):
        return self.prefetch_related("jurisdictions", "programs", "conditions", "sources")


class EventKind(models.TextChoices):
    COURT_RULING = "court_ruling", "Court ruling"
    POLICY_CHANGE = "policy_change", "Policy change"
    RESPONSE = "response", "Response"
    ANNOUNCEMENT = "announcement", "Announcement"


class Event(Provenance):
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

    objects = EventQuerySet.as_manager()

    class Meta(Provenance.Meta):
        ordering = ["-occurred_on", "title"]
        constraints = [
            *Provenance.Meta.constraints,
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_valid"),
        ]

    def __str__(self):
        return f"{self.occurred_on:%Y-%m-%d}: {self.title}"

    def get_absolute_url(self):
        return record_path("letters:event", "pk", self.pk)

    def related_letters(self):
        """Letters to the governments the event involves, under the programs it names
        (any program when it names none), oldest first."""
        letters = Letter.objects.filter(recipient__in=self.jurisdictions.all())
        programs = [program.pk for program in self.programs.all()]
        if programs:
            letters = letters.filter(program__in=programs)
        return letters.for_list().order_by(F("sent_on").asc(nulls_last=True), "pk")
