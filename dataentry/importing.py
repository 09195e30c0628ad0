import contextlib

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from import_export import resources
from import_export.results import Result
from import_export.widgets import ForeignKeyWidget, ManyToManyWidget

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


class LookupWidget(ForeignKeyWidget):
    """A related record by a unique column (slug, code, name). An unknown value is a
    field error of its row, collected with the row's other errors, rather than an
    exception that stops the row at its first problem."""

    def clean(self, value, row=None, **kwargs):
        try:
            return super().clean(value, row, **kwargs)
        except self.model.DoesNotExist:
            raise ValueError(f"{self.model._meta.verbose_name} {value!r} does not exist") from None


class SpreadsheetLineResult(Result):
    """import-export numbers data rows from 1; people read the spreadsheet, whose line 1
    is the header. Rows are reported by that line number."""

    HEADER_LINES = 1

    def append_error_row(self, number, row, errors):
        super().append_error_row(number + self.HEADER_LINES, row, errors)

    def append_invalid_row(self, number, row, validation_error):
        super().append_invalid_row(number + self.HEADER_LINES, row, validation_error)


class TrackerResource(resources.ModelResource):
    """Base for the admin import/export resources.

    Exported text that a spreadsheet would run as a formula is written with a leading
    apostrophe (listing.exports.spreadsheet_safe, in CSV and XLSX alike), and an import
    takes it off again, so an export still imports back unchanged.

    A row's errors are all reported at once, by spreadsheet line: each column's (a bad
    date, an unknown slug, a bad source URL), the row's own (`row_problems`) and the
    model's validation (import-export adds full_clean's errors to those raised here).
    `example_row` is the example line of the downloadable import template."""

    example_row = {}
    # The context every import runs in, inside its transaction. The domain's resources
    # give `compliance.stored.deferred`, so that what rows touch is stored once at the
    # end rather than once per row (this package knows no domain app).
    bulk_writes = staticmethod(contextlib.nullcontext)

    def import_data_inner(self, *args, **kwargs):
        # import_data_inner runs inside import_data's transaction: what the bulk context
        # stores on leaving is written (or, on a dry run or an error, rolled back) with it.
        with self.bulk_writes():
            return super().import_data_inner(*args, **kwargs)

    def import_data(self, dataset, **kwargs):
        # All or nothing: a row with errors keeps every other row out too.
        kwargs.setdefault("rollback_on_validation_errors", True)
        return super().import_data(dataset, **kwargs)

    @classmethod
    def get_result_class(cls):
        return SpreadsheetLineResult

    def row_problems(self, row):
        """{column: [message]} for what no single column's widget can check."""
        return {}

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        # Many-to-many columns are only read when saving, after validation; read them
        # now so that their errors come with the others.
        for field in self.get_import_fields():
            if isinstance(field.widget, ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row, **kwargs)
                except ValueError as error:
                    errors.setdefault(field.attribute, []).append(str(error))
        for column, messages in self.row_problems(row).items():
            errors.setdefault(column, []).extend(messages)
        if errors:
            raise ValidationError(errors)

    @classmethod
    def template_headers(cls):
        return [field.column_name for field in cls().get_import_fields()]

    def export_field(self, field, instance, **kwargs):
        return spreadsheet_safe(super().export_field(field, instance, **kwargs))

    def before_import_row(self, row, **kwargs):
        # Spreadsheets give empty cells as None; text columns store "" (never NULL).
        for column, value in row.items():
            row[column] = "" if value is None else spreadsheet_unescape(value)
        super().before_import_row(row, **kwargs)
