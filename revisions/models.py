from django.db import models
from django.utils import timezone


class DataVersion(models.Model):
    """One row whose counter goes up on every change to public data.

    Public pages are cached and given ETags under this number, so an edit shows up on
    the very next request on every server (see revisions.middleware).
    """

    counter = models.PositiveBigIntegerField(default=0)
    changed_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "data version"

    def __str__(self):
        return f"data version {self.counter}"

    @classmethod
    def current(cls):
        return cls.objects.filter(pk=1).values_list("counter", flat=True).first() or 0

    @classmethod
    def bump(cls):
        updated = cls.objects.filter(pk=1).update(counter=models.F("counter") + 1, changed_at=timezone.now())
        if not updated:
            cls.objects.get_or_create(pk=1, defaults={"counter": 1})
