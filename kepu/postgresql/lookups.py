"""`__in` a list of values as one array parameter: `col = ANY(%s::integer[])`.

Django compiles `filter(pk__in=values)` as `col IN (%s, %s, …)`, one parameter per value.
Bound on the server a statement carries at most 65,535 parameters, so a filter over every
attempt of a national quiz would fail; and each list length is a statement text of its own,
which psycopg prepares (and keeps in its cache of 100 per connection) separately.

PostgreSQL plans `col IN (1, 2, 3)` as `col = ANY('{1,2,3}'::integer[])` itself, so the
array form is the same plan with any number of values in a single parameter, for every list:
there is no threshold. A threshold would keep per-length statement texts below it and leave
the array form to the rare lists above 65,535 values, the one path the everyday tests would
never run. Under a custom plan (psycopg's first executions, and PostgreSQL's first five of
a prepared statement) the planner sees the array's values and length, as with the literal
list; a generic plan assumes about ten elements, which only matters if the same statement
mostly runs with huge lists. The cast names the column's own type (`cast_db_type`: integer,
bigint, uuid, varchar(64), date…), so `col = ANY(…)` compares like with like and an index
on the column serves it as it served `IN`.

Only Django's own `In` and `RelatedIn` are replaced (`In.as_postgresql` is not patched), so
lookups that subclass them for their own SQL (JSON key transforms, contrib.postgres
arrays) keep it. A right-hand side that is a subquery or holds expressions, a field whose
placeholder is not a plain `%s`, a bilateral transform, and a multi-column relation
(values as tuples, Django's `TupleIn`) all keep Django's SQL.
"""

from django.core.exceptions import EmptyResultSet
from django.db.models import Field, ForeignObject
from django.db.models.expressions import ColPairs
from django.db.models.fields.related_lookups import RelatedIn
from django.db.models.lookups import In
from django.utils.datastructures import OrderedSet


class ArrayInMixin:
    """`lhs = ANY(%s::<type>[])` on PostgreSQL, with values prepared as Django's `In` would."""

    def as_postgresql(self, compiler, connection):
        if not self.rhs_is_direct_value() or isinstance(self.lhs, ColPairs):
            return self.as_sql(compiler, connection)
        db_type = self.array_element_type(connection)
        if not db_type:
            return self.as_sql(compiler, connection)
        # As In.process_rhs: NULL is never equal to anything, duplicates go, nothing left
        # matches no row (EmptyResultSet, so no query is sent at all).
        try:
            values = OrderedSet(self.rhs)
            values.discard(None)
        except TypeError:  # unhashable values
            values = [value for value in self.rhs if value is not None]
        if not values:
            raise EmptyResultSet
        sqls, params = self.batch_process_rhs(compiler, connection, values)
        if len(params) != len(sqls) or any(sql != "%s" for sql in sqls):
            return self.as_sql(compiler, connection)
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        return f"{lhs_sql} = ANY(%s::{db_type}[])", (*lhs_params, list(params))

    def array_element_type(self, connection) -> str | None:
        field = self.lhs.output_field
        if not hasattr(field, "cast_db_type"):
            # A reverse relation (`quiz_attempts__in=`) compares its remote field's column.
            field = getattr(field, "target_field", None)
        return field.cast_db_type(connection) if hasattr(field, "cast_db_type") else None


class ArrayIn(ArrayInMixin, In):
    pass


class RelatedArrayIn(ArrayInMixin, RelatedIn):
    pass


def register() -> None:
    """Make every field's `__in` (and every relation's) the array form on PostgreSQL.

    Idempotent. Class-level, as Django registers `In` itself: other backends never reach
    `as_postgresql` and compile these lookups as Django's (and only the test suite, whose
    PostgreSQL tests import the backend, imports this package under SQLite).
    """
    Field.register_lookup(ArrayIn)
    ForeignObject.register_lookup(RelatedArrayIn)
