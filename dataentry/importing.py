from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from import_export import resources
from import_export.widgets import ManyToManyWidget

from listing.exports import spreadsheet_safe, spreadsheet_unescape
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
    """Base for the admin import/export resources.

    Exported text that a spreadsheet would run as a formula is written with a leading
    apostrophe (listing.exports.spreadsheet_safe, in CSV and XLSX alike), and an import
    takes it off again, so an export still imports back unchanged."""

    def export_field(self, field, instance, **kwargs):
        return spreadsheet_safe(super().export_field(field, instance, **kwargs))

    def before_import_row(self, row, **kwargs):
        # Spreadsheets give empty cells as None; text columns store "" (never NULL).
        for column, value in row.items():
            row[column] = "" if value is None else spreadsheet_unescape(value)
        super().before_import_row(row, **kwargs)
