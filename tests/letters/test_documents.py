"""Letter PDFs within limits: a decompression bomb, a page that takes too long to read
or too many pages is a form error in the admin (never a 500); PDFs are downloaded, not
shown inline; a replaced PDF is deleted."""

import shutil
import tempfile
import time
import zlib
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings
from django.urls import reverse

from letters.models import Letter
from tests import factories as f


def pdf_with_content(stream, flate=False):
    """A one-page PDF whose page content is `stream` (compressed with FlateDecode if asked)."""
    data = zlib.compress(stream, 9) if flate else stream
    filters = b" /Filter /FlateDecode" if flate else b""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(data)).encode() + filters + b" >>\nstream\n" + data + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    body = b"%PDF-1.4\n"
    offsets = []
    for number, content in enumerate(objects, start=1):
        offsets.append(len(body))
        body += f"{number} 0 obj\n".encode() + content + b"\nendobj\n"
    xref = len(body)
    body += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    body += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    body += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return body


class LetterDocumentLimitTests(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.admin = get_user_model().objects.create_superuser("manager", "m@example.org", "long-passphrase-11")
        cls.city = f.make_jurisdiction("City of Stockton")
        cls.program = f.make_program("PSP", kind="technical_assistance")
        cls.condition = f.make_condition("jail_access")

    def setUp(self):
        self.client.force_login(self.admin)
        self.media = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, self.media, True)
        override = self.settings(MEDIA_ROOT=self.media)
        override.enable()
        self.addCleanup(override.disable)

    def post_letter(self, content, letter=None):
        url = (
            reverse("admin:letters_letter_change", args=[letter.pk]) if letter else reverse("admin:letters_letter_add")
        )
        demands = (
            {"demands-INITIAL_FORMS": "1", "demands-0-id": letter.demands.get().pk}
            if letter
            else {"demands-INITIAL_FORMS": "0"}
        )
        sources = (
            {"Letter_sources-INITIAL_FORMS": "1", "Letter_sources-0-id": letter.sources.through.objects.get().pk}
            if letter
            else {"Letter_sources-INITIAL_FORMS": "0"}
        )
        data = {
            "program": self.program.pk, "recipient": self.city.pk, "addressee": "Stockton Police Department",
            "sent_on": "2017-08-03", "deadline": "2017-08-18",
            "document": SimpleUploadedFile("letter.pdf", content, "application/pdf"),
            "demands-TOTAL_FORMS": "1", "demands-0-condition": self.condition.pk, "demands-0-letter": "",
            "Letter_sources-TOTAL_FORMS": "1", "Letter_sources-0-source": self.source.pk,
            "responses-TOTAL_FORMS": "0", "responses-INITIAL_FORMS": "0", **demands, **sources,
        }  # fmt: skip
        if letter:
            data["demands-0-letter"] = letter.pk
            data["Letter_sources-0-letter"] = letter.pk
        return self.client.post(url, data)

    @property
    def source(self):
        if not hasattr(self, "_source"):
            self._source = f.make_source()
        return self._source

    def assert_form_error(self, content, message):
        started = time.monotonic()
        response = self.post_letter(content)
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, message)
        self.assertEqual(Letter.objects.count(), 0)
        self.assertEqual(list(Path(self.media).rglob("*.pdf")), [])
        return time.monotonic() - started

    def test_a_decompression_bomb_is_a_form_error(self):
        bomb = pdf_with_content(b"BT /F1 12 Tf 72 720 Td (x) Tj ET " + b" " * 80_000_000, flate=True)
        self.assertLess(len(bomb), 300_000)
        self.assert_form_error(bomb, "The PDF could not be read (")

    @override_settings(LETTER_DOCUMENT_EXTRACT_SECONDS=1)
    def test_a_pdf_that_takes_too_long_to_read_is_a_form_error_within_the_budget(self):
        slow = pdf_with_content(b"BT /F1 12 Tf 72 720 Td " + b"(x) Tj " * 1_500_000 + b"ET", flate=True)
        elapsed = self.assert_form_error(slow, "could not be read within 1")
        self.assertLess(elapsed, 5)

    @override_settings(LETTER_DOCUMENT_MAX_PAGES=0)
    def test_too_many_pages_is_a_form_error(self):
        self.assert_form_error(f.make_pdf("One page"), "at most 0 can be read")

    def test_a_good_pdf_is_read_downloaded_as_an_attachment_and_deleted_when_replaced(self):
        self.assertEqual(self.post_letter(f.make_pdf("First version")).status_code, 302)
        letter = Letter.objects.get()
        self.assertIn("First version", letter.document_text)
        first = Path(self.media) / letter.document.name
        self.assertTrue(first.exists())
        download = self.client.get(reverse("letters:document", args=[letter.pk]))
        self.assertTrue(download["Content-Disposition"].startswith("attachment;"))
        self.assertEqual(download["Content-Type"], "application/pdf")

        with self.captureOnCommitCallbacks(execute=True):
            response = self.post_letter(f.make_pdf("Second version"), letter=letter)
        self.assertEqual(response.status_code, 302, response.content[:3000])
        letter.refresh_from_db()
        self.assertIn("Second version", letter.document_text)
        self.assertTrue((Path(self.media) / letter.document.name).exists())
        self.assertFalse(first.exists())
