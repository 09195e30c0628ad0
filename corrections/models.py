from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

WHAT_MAX_LENGTH = 2000


class CorrectionStatus(models.TextChoices):
    NEW = "new", "New"
    ACCEPTED = "accepted", "Accepted"
    REJECTED = "rejected", "Rejected"
    DUPLICATE = "duplicate", "Duplicate"


class CorrectionQuerySet(models.QuerySet):
    def unresolved(self):
        return self.filter(status=CorrectionStatus.NEW)


class Correction(models.Model):
    """A reader's suggestion about one public record. Stored for the editors, never shown
    on the site; accepting it changes nothing by itself (the editor edits the record and
    links the change)."""

    Status = CorrectionStatus

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    # The record as the reader saw it, kept in case the record is later deleted.
    record_label = models.CharField(max_length=300)
    what_is_wrong = models.TextField(max_length=WHAT_MAX_LENGTH)
    what_is_right = models.TextField(max_length=WHAT_MAX_LENGTH)
    source_url = models.URLField("source URL", max_length=1000, blank=True)
    email = models.EmailField(
        blank=True,
        help_text="Only to tell the reader once how it was resolved; erased after that message is sent.",
    )
    submitted_at = models.DateTimeField(default=timezone.now, editable=False)

    status = models.CharField(max_length=10, choices=Status, default=Status.NEW)
    editor_note = models.TextField(blank=True, help_text="Why it was accepted or rejected. Sent to the reader.")
    change_link = models.URLField(
        max_length=1000,
        blank=True,
        help_text="The change that fixed it: the record's history page in the admin, or the public page.",
    )
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolved_at = models.DateTimeField(null=True, blank=True)
    reader_notified_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects = CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        permissions = [("view_email_address", "Can see the email addresses readers left")]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=CorrectionStatus.values), name="correction_status_valid"),
            models.CheckConstraint(
                condition=Q(status=CorrectionStatus.NEW) | Q(resolved_at__isnull=False),
                name="correction_resolved_has_date",
                violation_error_message="A resolved correction has a resolution date.",
            ),
        ]

    def __str__(self):
        return f"Correction #{self.pk} to {self.record_label}"

    def get_absolute_url(self):
        # Never public: the admin is the only place a correction is shown.
        return reverse("admin:corrections_correction_change", args=[self.pk])

    def clean(self):
        super().clean()
        if self.status == CorrectionStatus.ACCEPTED and not self.change_link:
            raise ValidationError(
                {"change_link": "Accepting changes no data by itself: edit the record, then link the change here."}
            )

    @property
    def is_resolved(self):
        return self.status != CorrectionStatus.NEW
