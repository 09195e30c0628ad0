from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from import_export import resources
from import_export.widgets import ManyToManyWidget

from sources.models import Source


class SourceUrlsWidget(ManyToManyWidget):
    """Sources as space-separated URLs; an import creates sources it has not seen."""

    def __init__(self):
        super().__init__(Source, separator=" ", field="url")

    def clean(self, value, row=None, **kwargs):
        urls = [url for url in str(value or "").split() if url]
        validate = URLValidator()
        for url in urls:
            try:
                validate(url)
            except ValidationError:
                raise ValueError(f"{url!r} is not a valid URL") from None
        return [Source.objects.get_or_create(url=url)[0] for url in urls]


class TrackerResource(resources.ModelResource):
    """Base for the admin import/export resources."""

    def before_import_row(self, row, **kwargs):
        # Spreadsheets give empty cells as None; text columns store "" (never NULL).
        for column, value in row.items():
            if value is None:
                row[column] = ""
        super().before_import_row(row, **kwargs)
