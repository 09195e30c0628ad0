"""Letter PDFs: validation on upload and text extraction for search.

The text is extracted while the upload is validated, in a child process with a time,
memory, page and text budget (letters/pdftext.py), so a PDF that exceeds any of them is
a form error, never a 500 from Letter.save()."""

import subprocess
import sys
import uuid
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError

EXTRACTOR = Path(__file__).with_name("pdftext.py")
MAX_TEXT_CHARS = 2_000_000


def letter_document_path(letter, filename):
    """Never trust the uploaded name: store under a random one."""
    return f"letters/{uuid.uuid4().hex}.pdf"


def validate_pdf(upload):
    if upload.size > settings.LETTER_DOCUMENT_MAX_BYTES:
        limit = settings.LETTER_DOCUMENT_MAX_BYTES // (1024 * 1024)
        raise ValidationError(f"The file is larger than {limit} MB.", code="too_large")
    upload.seek(0)
    if upload.read(5) != b"%PDF-":
        raise ValidationError("The file is not a PDF.", code="not_pdf")
    if getattr(upload, "_committed", False):
        return  # already stored and read when it was uploaded
    upload.extracted_text = extract_text(upload)


def extract_text(upload):
    """The PDF's text, within the budget; a ValidationError saying why otherwise. The
    text extracted during validation is reused."""
    if getattr(upload, "extracted_text", None) is not None:
        return upload.extracted_text
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    seconds = settings.LETTER_DOCUMENT_EXTRACT_SECONDS
    try:
        result = subprocess.run(
            [sys.executable, "-I", str(EXTRACTOR), str(settings.LETTER_DOCUMENT_MAX_PAGES), str(MAX_TEXT_CHARS)],
            input=data,
            capture_output=True,
            timeout=seconds,
        )
    except subprocess.TimeoutExpired:
        raise ValidationError(
            f"The PDF could not be read within {seconds} seconds; is it a scan with millions of drawing operations?",
            code="pdf_too_slow",
        ) from None
    if result.returncode != 0:
        reason = result.stderr.decode(errors="replace").strip() or "it exceeds the reading limits"
        raise ValidationError(f"The PDF could not be read ({reason}).", code="bad_pdf")
    return result.stdout.decode(errors="replace")
