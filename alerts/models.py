import secrets

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone


def new_key():
    return secrets.token_urlsafe(32)


class SubscriptionQuerySet(models.QuerySet):
    def confirmed(self):
        return self.filter(confirmed_at__isnull=False)

    def unconfirmed_since(self, moment):
        """Requests never confirmed and older than `moment`: their link has expired."""
        return self.filter(confirmed_at__isnull=True, requested_at__lt=moment)


class Subscription(models.Model):
    """One email address following one jurisdiction or condition. Only what the digest
    needs is kept: the address, what it follows, and when it was last sent changes.
    Unsubscribing deletes the row."""

    email = models.EmailField()
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField()
    followed = GenericForeignKey("content_type", "object_id")
    followed_label = models.CharField(max_length=300)
    # Signed into the confirmation and unsubscribe links; a new follow gets a new key, so
    # the links of a deleted one never act on it.
    key = models.CharField(max_length=64, unique=True, default=new_key, editable=False)
    requested_at = models.DateTimeField(default=timezone.now)
    confirmation_sent_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    changes_sent_until = models.DateTimeField(
        null=True, blank=True, help_text="Changes up to this moment have been sent (send_alerts)."
    )

    objects = SubscriptionQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at"]
        permissions = [("view_email_address", "Can see followers' email addresses")]
        constraints = [
            models.UniqueConstraint(fields=["email", "content_type", "object_id"], name="one_follow_per_address"),
            models.CheckConstraint(
                condition=Q(confirmed_at__isnull=True) | Q(changes_sent_until__isnull=False),
                name="confirmed_follow_has_watermark",
            ),
        ]

    def __str__(self):
        return f"Follow of {self.followed_label}"

    def get_absolute_url(self):
        # Never public: followers' addresses are shown only in the admin.
        return reverse("admin:alerts_subscription_change", args=[self.pk])

    def confirm(self):
        """Start the digest from the moment of confirmation; a second confirmation changes nothing."""
        if self.confirmed_at is None:
            self.confirmed_at = self.changes_sent_until = timezone.now()
            self.save(update_fields=["confirmed_at", "changes_sent_until"])


class DeliveryKind(models.TextChoices):
    CONFIRMATION = "confirmation", "Confirmation request"
    DIGEST = "digest", "Digest of changes"


class Delivery(models.Model):
    """A message sent to a follower: what it covered, so that nothing is sent twice."""

    Kind = DeliveryKind

    subscription = models.ForeignKey(Subscription, on_delete=models.CASCADE, related_name="deliveries")
    kind = models.CharField(max_length=12, choices=Kind)
    sent_at = models.DateTimeField(default=timezone.now)
    covers_from = models.DateTimeField(null=True, blank=True)
    covers_until = models.DateTimeField(null=True, blank=True)
    changes = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name_plural = "deliveries"
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DeliveryKind.values), name="delivery_kind_valid"),
            models.UniqueConstraint(
                fields=["subscription", "covers_until"],
                condition=Q(kind=DeliveryKind.DIGEST),
                name="one_digest_per_period",
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} sent {self.sent_at:%Y-%m-%d %H:%M}"
