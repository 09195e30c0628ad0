"""Admin import and export for data managers: django-import-export with a downloadable
template per resource and an import page that says how rows are numbered."""

import csv

from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import HttpResponse
from django.urls import path
from import_export.admin import ImportExportModelAdmin

from listing.exports import spreadsheet_safe

from .limits import LimitedImportForm

# A file kept after a failed preview can be checked again for this long.
KEPT_FILE_SECONDS = 60 * 60
KEPT_FILE_SALT = "dataentry.kept-import-file"


class TrackerImportExportAdmin(ImportExportModelAdmin):
    """ImportExportModelAdmin plus `import-template/`: a CSV with the import columns and
    one example row, linked from the import page; and a file whose preview had errors is
    kept, so that it can be checked again (after fixing the records it refers to)
    without choosing it again.

    import-export already stores every uploaded file in its temporary storage; the page
    carries a signed token naming it (a bare name would let a user read any temporary
    file), valid for an hour."""

    import_template_name = "admin/dataentry/import.html"
    # Size and row limits, checked before the file is parsed (dataentry.limits).
    import_form_class = LimitedImportForm

    def get_urls(self):
        opts = self.model._meta
        template_url = path(
            "import-template/",
            self.admin_site.admin_view(self.import_template_view),
            name=f"{opts.app_label}_{opts.model_name}_import_template",
        )
        return [template_url, *super().get_urls()]

    def import_template_view(self, request):
        if not self.has_import_permission(request):
            return HttpResponse(status=403)
        resource_class = self.get_import_resource_classes(request)[0]
        headers = resource_class.template_headers()
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{self.model._meta.model_name}-import-template.csv"'
        writer = csv.writer(response)
        writer.writerow(headers)
        writer.writerow([spreadsheet_safe(resource_class.example_row.get(column, "")) for column in headers])
        return response

    def import_action(self, request, **kwargs):
        token = request.POST.get("kept_file")
        if request.method == "POST" and token and not request.FILES.get("import_file"):
            kept = self.kept_upload(token)
            if kept is not None:
                request.FILES["import_file"] = kept
        response = super().import_action(request, **kwargs)
        context = getattr(response, "context_data", None) or {}
        upload = request.FILES.get("import_file")
        stored = getattr(upload, "tmp_storage_name", None)
        if context.get("result") is not None and "confirm_form" not in context and stored:
            context["kept_file"] = signing.dumps({"name": stored, "file": upload.name}, salt=KEPT_FILE_SALT)
            context["kept_file_name"] = upload.name
            # The file need not be chosen again, so the browser must not insist on one.
            context["form"].use_required_attribute = False
        return response

    def kept_upload(self, token):
        try:
            kept = signing.loads(token, salt=KEPT_FILE_SALT, max_age=KEPT_FILE_SECONDS)
            storage = self.get_tmp_storage_class()(
                name=kept["name"], read_mode="rb", encoding=None, **self.get_tmp_storage_class_kwargs()
            )
            content = storage.read()
        except (signing.BadSignature, OSError, KeyError, TypeError):
            return None
        if content is None:  # expired from a cache storage
            return None
        return SimpleUploadedFile(kept["file"], content if isinstance(content, bytes) else content.encode())
