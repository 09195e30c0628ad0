from django.shortcuts import render

from listing.exports import detail_json
from listing.links import absolute_url
from listing.throttle import rate_limited

from .selectors import search_site

KINDS = {"letter": "Letters", "response": "Responses", "event": "Events", "jurisdiction": "Jurisdictions"}


@rate_limited("search", "RATE_LIMIT_SEARCH")
def search(request):
    query = request.GET.get("q", "")[:200]
    kinds = [kind for kind in request.GET.getlist("kind") if kind in KINDS]
    hits = search_site(query=query, kinds=kinds)
    if request.GET.get("format") == "json":
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
