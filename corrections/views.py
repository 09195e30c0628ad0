from django.http import HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_safe

from listing.throttle import rate_limited

from .forms import CorrectionForm
from .records import find_record


def is_post(request):
    return request.method == "POST"


@require_http_methods(["GET", "HEAD", "POST"])
@rate_limited("corrections", "RATE_LIMIT_CORRECTIONS", applies=is_post, template="429_form.html")
def suggest(request):
    reference = request.POST.get("about") if request.method == "POST" else request.GET.get("about")
    record = find_record(reference)
    if record is None:
        message = "The link does not name a record of this site. Use “Suggest a correction” on the record's page."
        return render(request, "400.html", {"message": message}, status=400)
    if request.method == "POST":
        form = CorrectionForm(request.POST)
        if form.is_valid():
            if not form.is_from_a_bot:
                form.instance.record = record
                form.instance.record_label = str(record)[:300]
                form.save()
            return HttpResponseRedirect(reverse("corrections:thanks"))
    else:
        form = CorrectionForm(initial={"about": reference})
    return render(
        request,
        "corrections/correction_form.html",
        {"form": form, "record": record, "record_noun": record._meta.verbose_name},
    )


@require_safe
def thanks(request):
    return render(request, "corrections/thanks.html")
