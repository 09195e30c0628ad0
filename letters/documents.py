"""Letter PDFs: validation on upload and text extraction for search."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from pypdf import PdfReader
from pypdf.errors import PdfReadError


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
    try:
        upload.seek(0)
        PdfReader(upload)
    except (PdfReadError, ValueError, OSError) as error:
        raise ValidationError(f"The PDF could not be read ({error}).", code="bad_pdf") from None
    finally:
        upload.seek(0)


def extract_text(upload):
    upload.seek(0)
    reader = PdfReader(upload)
    text = "\n".join(page.extract_text() or "" for page in reader.pages)
    upload.seek(0)
    return text.strip()
