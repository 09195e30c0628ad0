from django.shortcuts import render

from listing.exports import bad_request, detail_json
from listing.links import absolute_url
from listing.throttle import rate_limited

from .selectors import KINDS, QUERY_MAX_CHARS, search_site


@rate_limited("search", "RATE_LIMIT_SEARCH")
def search(request):
    query = request.GET.get("q", "")[:QUERY_MAX_CHARS]
    kinds = [kind for kind in request.GET.getlist("kind") if kind in KINDS]
    hits = search_site(query=query, kinds=kinds)
    export_format = request.GET.get("format")
    if export_format not in (None, "html", "json"):
        return bad_request(f"Unknown format {export_format!r}; search takes format=json.")
    if export_format == "json":
        return detail_json(
            {
                "query": query,
                "results": [
                    {
                        "kind": h.kind,
                        "title": h.title,
                        "url": absolute_url(h.url),
                        "snippet": str(h.snippet),
                        "rank": h.rank,
                    }
                    for h in hits
                ],
            }
        )
    return render(request, "search/search.html", {"query": query, "hits": hits, "kinds": KINDS, "chosen": kinds})
