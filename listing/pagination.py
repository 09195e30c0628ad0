"""Paging through a UNION ALL of querysets (the timeline) without counting or sorting
the whole union on every page."""

from functools import cached_property

from django.core.paginator import Paginator
from django.db import connections
from django.db.models.expressions import Col, OuterRef, RawSQL, ResolvedOuterRef
from django.db.models.sql import Query
from django.db.models.sql.constants import INNER
from django.db.models.sql.datastructures import Join
from django.db.models.sql.where import WhereNode


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
        return sum(without_idle_joins(part).get_count(using=rows.db) for part in rows.query.combined_queries)

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


def without_idle_joins(query):
    """`query` without the joins that cannot change which rows it has, for counting them.

    A part's columns join its parents (a letter's program and recipient for its title),
    but an INNER join along a NOT NULL foreign key that the database enforces matches
    each row exactly once: unless its WHERE reads the joined table, COUNT(*) is the
    same without it, and over 50,000 letters the joins are half the count's time."""
    used = aliases_read_by(query.where)
    if used is None or query.distinct or query.group_by is not None or query.is_sliced or query.extra:
        return query
    if any(a.contains_aggregate or a.contains_over_clause for a in query.annotations.values()):
        return query  # counted over a subquery that keeps its columns, and their joins
    idle = []
    for alias in reversed(list(query.alias_map)):  # the joins built on a join come after it
        join = query.alias_map[alias]
        if not query.alias_refcount[alias] or alias in used:
            continue
        if is_one_parent_row(join) and not any(
            query.alias_refcount[other] and other not in idle and query.alias_map[other].parent_alias == alias
            for other in query.alias_map
            if isinstance(query.alias_map[other], Join)
        ):
            idle.append(alias)
    if not idle:
        return query
    query = query.clone()
    for alias in idle:
        query.alias_refcount[alias] = 0
    return query


def is_one_parent_row(join):
    """An INNER join from a row to the one row its NOT NULL, enforced foreign key names."""
    if not isinstance(join, Join):
        return False
    field = join.join_field
    return (
        join.join_type == INNER
        and not join.nullable
        and join.filtered_relation is None
        and getattr(field, "concrete", False)
        and (field.many_to_one or field.one_to_one)
        and not field.null
        and field.db_constraint
    )


def aliases_read_by(node):
    """The table aliases a WHERE clause reads, subqueries included (which can only add
    aliases: reading too many keeps a join); None if some part of it cannot be read."""
    aliases = set()
    pending = [node]
    while pending:
        node = pending.pop()
        if isinstance(node, Col):
            aliases.add(node.alias)
        elif isinstance(node, WhereNode):
            pending.extend(node.children)
        elif isinstance(node, Query):
            pending.append(node.where)
            pending.extend(node.annotations.values())
        elif isinstance(node, (OuterRef, ResolvedOuterRef, RawSQL)):
            return None  # names a column by its path or in raw SQL, not by its alias
        elif hasattr(node, "get_source_expressions"):
            pending.extend(expression for expression in node.get_source_expressions() if expression is not None)
        elif not isinstance(node, (str, int, float, bool, bytes)) and node is not None:
            return None
    return aliases
