"""Admin import and export for data managers: django-import-export with a downloadable
template per resource and an import page that says how rows are numbered."""

import csv

from django.http import HttpResponse
from django.urls import path
from import_export.admin import ImportExportModelAdmin

from listing.exports import spreadsheet_safe


class TrackerImportExportAdmin(ImportExportModelAdmin):
    """ImportExportModelAdmin plus `import-template/`: a CSV with the import columns and
    one example row, linked from the import page."""

    import_template_name = "admin/dataentry/import.html"

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
