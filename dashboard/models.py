from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class HomeFigures(models.Model):
    """The home page's figures, charts and tables as last computed by `dashboard.stored`
    from the rules (one row). Derived data, never edited: every write to public data
    empties it in the writing transaction and `dashboard.stored` computes it again after
    the commit, or the first reader that finds it empty does."""

    # Tells revisions.signals this table is a cache of other rows, not data of its own.
    is_derived_cache = True

    generation = models.PositiveBigIntegerField(
        default=0,
        help_text="Goes up with every write that empties the figures: a reader stores what it computed only if "
        "no write has come between its start and its store.",
    )
    figures = models.JSONField(null=True, blank=True, encoder=DjangoJSONEncoder, help_text="Empty: to compute.")
    # A column of its own: a list page reads its part without reading the home page's
    # 800 kB of charts (3-5 ms at national scale when it was a key of `figures`).
    list_facets = models.JSONField(
        null=True,
        blank=True,
        encoder=DjangoJSONEncoder,
        help_text="The lists' facet counts with nothing chosen (dashboard.stored.LISTS); emptied with the figures.",
    )
    valid_until = models.DateField(
        null=True,
        blank=True,
        help_text="The first day on which the calendar alone can change a figure (a deadline passing, a control "
        "period or stored answer ending); from that day the row counts as empty.",
    )
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "home page figures"
        verbose_name_plural = "home page figures"
        ordering = ["pk"]

    def __str__(self):
        return f"home page figures, generation {self.generation}"
