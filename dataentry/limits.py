"""Admin imports are size- and row-limited before anything is parsed.

An import runs inside one web request; these limits keep it well inside gunicorn's
worker timeout (a 60,000-row file used to be killed at 30 s with no message). Bigger
files go through django-import-export's `manage.py import` (README, "Large imports").
"""

import io
import zipfile

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.html import format_html
from import_export.forms import ImportForm
from openpyxl import load_workbook

LARGE_IMPORT_HINT = "For a bigger file, ask an administrator to run it with `manage.py import` (see the README)."


def data_rows(upload):
    """How many data rows the upload holds, read cheaply: lines of a text file, or the
    dimension an XLSX sheet declares (openpyxl's read-only mode reads no cells for it)."""
    head = upload.read(4)
    upload.seek(0)
    if head == b"PK\x03\x04":  # a zip container: XLSX
        try:
            sheet = load_workbook(io.BytesIO(upload.read()), read_only=True).active
            rows = sheet.max_row or 0
        except (zipfile.BadZipFile, KeyError, OSError, ValueError):
            rows = 0  # not readable as XLSX: the import's own parser reports it
        finally:
            upload.seek(0)
        return max(rows - 1, 0)
    lines = sum(chunk.count(b"\n") for chunk in upload.chunks())
    upload.seek(0)
    return max(lines - 1, 0)  # the header line; a missing final newline costs one row at most


class LimitedImportForm(ImportForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["import_file"].help_text = format_html(
            "CSV or XLSX, at most {} and {} data rows. {}",
            filesizeformat(settings.IMPORT_MAX_BYTES),
            f"{settings.IMPORT_MAX_ROWS:,}",
            LARGE_IMPORT_HINT,
        )

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > settings.IMPORT_MAX_BYTES:
            raise forms.ValidationError(
                f"This file is {filesizeformat(upload.size)}; the admin imports at most "
                f"{filesizeformat(settings.IMPORT_MAX_BYTES)}. {LARGE_IMPORT_HINT}"
            )
        rows = data_rows(upload)
        if rows > settings.IMPORT_MAX_ROWS:
            raise forms.ValidationError(
                f"This file has {rows:,} data rows; the admin imports at most "
                f"{settings.IMPORT_MAX_ROWS:,} at a time. Split it, or: {LARGE_IMPORT_HINT}"
            )
        return upload
