"""Paging through a UNION ALL of querysets (the timeline) without counting or sorting
the whole union on every page."""

from functools import cached_property

from django.core.paginator import Paginator
from django.db import connections


def is_union_all(rows):
    """A UNION ALL of whole parts, itself not sliced: its rows are its parts' rows."""
    query = getattr(rows, "query", None)
    return (
        query is not None
        and query.combinator == "union"
        and query.combinator_all
        and not query.is_sliced
        and not any(part.is_sliced for part in query.combined_queries)
    )


class UnionAllPaginator(Paginator):
    """A Paginator for `first.union(*others, all=True).order_by(...)`.

    Counting the union materialises every row of every part; a UNION ALL has exactly as
    many rows as its parts together, so `count` sums each part's own COUNT(*), which the
    database answers from its indexes. Where the database accepts LIMIT inside a union's
    parts (PostgreSQL; SQLite does not), a page asks each part only for its first `top`
    rows in the union's order: the union's first `top` rows are all among them. That
    needs the order to be total (its last keys identify a row, as the timeline's do), or
    two pages could each pick different rows among ties; an unordered union is paged as
    it is. Anything else (a sliced union, a sliced part) pages as Paginator does.
    """

    @cached_property
    def count(self):
        if not is_union_all(self.object_list):
            return super().count
        rows = self.object_list
        return sum(part.get_count(using=rows.db) for part in rows.query.combined_queries)

    def page(self, number):
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page
        if top + self.orphans >= self.count:
            top = self.count
        return self._get_page(self.first_rows(top)[bottom:top], number, self)

    def first_rows(self, top):
        """The union with each part limited to its first `top` rows, where allowed."""
        rows = self.object_list
        ordering = rows.query.order_by if is_union_all(rows) else ()
        if not ordering or not connections[rows.db].features.supports_slicing_ordering_in_compound:
            return rows
        limited = rows._chain()
        parts = []
        for part in rows.query.combined_queries:
            part = part.clone()
            part.clear_ordering(force=True)
            part.add_ordering(*ordering)
            part.set_limits(high=top)
            parts.append(part)
        limited.query.combined_queries = tuple(parts)
        return limited
