"""Django's PostgreSQL backend, kept under the protocol's parameter limit.

With parameters bound on the server (`server_side_binding`, kepu/settings/base.py) a statement
carries at most 65,535 of them, where client-side binding had no limit. Django 5.2 knows the
limit only for Oracle and SQLite, so a `bulk_update` of, say, 30,000 rows (three parameters
each) would fail as a single UPDATE; `bulk_create` mostly sends one array per column
(`UNNEST`) but not for every kind of field. Here the limit is declared and `bulk_create` and
`bulk_update` split their rows under it, as later Django releases do (ticket #36822).

A filter `__in` a list of values (`pk__in=ids`, `user__in=users`) is sent as one array
parameter, `col = ANY(%s::integer[])`, whatever the list's length (kepu/postgresql/lookups.py).
The lookups are registered when this module is imported, which is earlier than any query can
exist: Django loads the default connection's backend while it defines the first model (its
table name is truncated to `connection.ops.max_name_length()`), during `django.setup()`, and
an AppConfig.ready would come later. Other backends never import it.
"""

from django.db.backends.postgresql import base, features, operations
from django.utils.functional import cached_property

from kepu.postgresql import lookups

lookups.register()

# The Bind message counts parameters in a 16-bit field.
MAX_SERVER_SIDE_PARAMS = 2**16 - 1


class DatabaseFeatures(features.DatabaseFeatures):
    @cached_property
    def max_query_params(self):
        return MAX_SERVER_SIDE_PARAMS if self.uses_server_side_binding else None


class DatabaseOperations(operations.DatabaseOperations):
    def bulk_batch_size(self, fields, objs):
        limit = self.connection.features.max_query_params
        if limit and fields:
            return max(limit // len(fields), 1)
        return super().bulk_batch_size(fields, objs)


class DatabaseWrapper(base.DatabaseWrapper):
    features_class = DatabaseFeatures
    ops_class = DatabaseOperations
