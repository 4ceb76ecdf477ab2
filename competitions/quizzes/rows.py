"""An attempt's row, read, inserted and written without the ORM's per-statement work.

Every start inserts one attempt row; every answer batch and every submit locks one, reads
its quiz (and, for the account checks, a few columns of its account) and writes it back.
Through the ORM that is an INSERT compiled for every start, a three-model `select_related`
query compiled for every batch and submit with three model instances of ~80 columns, and an
UPDATE compiled again. Here each statement is built once per process from the models'
metadata; the values written are prepared by the fields and the values read pass through
the same converters as the ORM's (the backend's and the fields'), so the rows and instances
are the ones the ORM would write and build, on PostgreSQL and on the embedded SQLite default
alike.

A locked read gives a plain `QuizAttempt` with its `quiz` (every column) and its `user`
(only what the account checks need; any other field is read on first use, as with
`.only()`) in place. Nothing here sends model signals: nothing listens to an attempt's saves.
"""

from django.contrib.auth import get_user_model
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.transaction import TransactionManagementError

from .models import Quiz, QuizAttempt

# What the account checks read (attempts._check_account); the rest of the account is
# deferred.
USER_FIELDS = ("id", "is_active", "is_staff", "consent_status")

# (database alias, what) → (SQL, its columns): built by the first request that needs it (two
# threads building one at once build the same). The converters kept with the columns belong
# to that request's connection; they read only the alias's settings (its time zone), the same
# for every connection of the alias.
_statements: dict = {}


def _read_columns(connection):
    """The columns of the locked read, in order: (model, field, its converters)."""
    user_model = get_user_model()
    columns = [(QuizAttempt, field) for field in QuizAttempt._meta.concrete_fields]
    columns += [(Quiz, field) for field in Quiz._meta.concrete_fields]
    # In the model's order, as Model.from_db() takes a deferred instance's values.
    columns += [
        (user_model, field)
        for field in user_model._meta.concrete_fields
        if field.attname in USER_FIELDS
    ]
    read = []
    for model, field in columns:
        col = field.get_col(model._meta.db_table)
        converters = connection.ops.get_db_converters(col) + field.get_db_converters(connection)
        read.append((model, field, col, tuple(converters)))
    return read


def _field(name: str):
    meta = QuizAttempt._meta
    return meta.pk if name == "pk" else meta.get_field(name)


def _statement(connection, lookup: tuple[str, ...]):
    key = (connection.alias, lookup)
    built = _statements.get(key)
    if built is None:
        qn = connection.ops.quote_name
        columns = _read_columns(connection)
        attempt, quiz = QuizAttempt._meta, Quiz._meta
        user = get_user_model()._meta
        select = ", ".join(
            f"{qn(model._meta.db_table)}.{qn(field.column)}" for model, field, _c, _v in columns
        )
        where = " AND ".join(
            f"{qn(attempt.db_table)}.{qn(_field(name).column)} = %s" for name in lookup
        )
        sql = (
            f"SELECT {select} FROM {qn(attempt.db_table)} "  # noqa: S608
            f"INNER JOIN {qn(quiz.db_table)} ON {qn(quiz.db_table)}.{qn(quiz.pk.column)} = "
            f"{qn(attempt.db_table)}.{qn(attempt.get_field('quiz').column)} "
            f"LEFT OUTER JOIN {qn(user.db_table)} ON {qn(user.db_table)}.{qn(user.pk.column)} = "
            f"{qn(attempt.db_table)}.{qn(attempt.get_field('user').column)} "
            f"WHERE {where}"
        )
        if connection.features.has_select_for_update_of:
            sql += f" FOR UPDATE OF {qn(attempt.db_table)}"
        elif connection.features.has_select_for_update:
            sql += " FOR UPDATE"
        built = _statements[key] = (sql, columns)
    return built


def locked_attempt(using: str = DEFAULT_DB_ALIAS, **lookup) -> QuizAttempt | None:
    """The attempt matching `lookup` (exact values of unique fields: `pk`, or `public_id`
    with `participant_key`), its row locked until the end of the caller's transaction (the
    attempt's row only, as `select_for_update(of=("self",))`), with its quiz and its account
    read in the same statement; None if there is none. Must run inside a transaction where
    the database can lock rows, like `select_for_update()`."""
    connection = connections[using]
    if connection.features.has_select_for_update and not connection.in_atomic_block:
        raise TransactionManagementError("locked_attempt() needs a transaction.")
    names = tuple(sorted(lookup))
    sql, columns = _statement(connection, names)
    params = [_field(name).get_db_prep_value(lookup[name], connection) for name in names]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    user_model = get_user_model()
    values = {QuizAttempt: [], Quiz: [], user_model: []}
    for value, (model, _column, col, converters) in zip(row, columns, strict=True):
        for converter in converters:
            value = converter(value, col, connection)
        values[model].append(value)
    attempt = QuizAttempt.from_db(using, None, values[QuizAttempt])
    attempt.quiz = Quiz.from_db(using, None, values[Quiz])
    attempt.user = (
        user_model.from_db(using, USER_FIELDS, values[user_model]) if attempt.user_id else None
    )
    return attempt


def save_fields(attempt: QuizAttempt, fields, using: str = DEFAULT_DB_ALIAS) -> None:
    """Writes `fields` of `attempt` to its row, as `attempt.save(update_fields=fields)`
    would (the same values prepared by the fields), in one UPDATE built once per process.
    No model signals are sent: nothing listens to an attempt's saves."""
    connection = connections[using]
    key = (connection.alias, "update", tuple(fields))
    built = _statements.get(key)
    meta = QuizAttempt._meta
    if built is None:
        qn = connection.ops.quote_name
        targets = [meta.get_field(name) for name in fields]
        assignments = ", ".join(f"{qn(field.column)} = %s" for field in targets)
        sql = (
            f"UPDATE {qn(meta.db_table)} SET {assignments} "  # noqa: S608
            f"WHERE {qn(meta.pk.column)} = %s"
        )
        built = _statements[key] = (sql, targets)
    sql, targets = built
    params = [
        field.get_db_prep_save(getattr(attempt, field.attname), connection) for field in targets
    ]
    params.append(attempt.pk)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def insert(attempt: QuizAttempt, using: str = DEFAULT_DB_ALIAS) -> QuizAttempt:
    """Inserts the new `attempt` as `attempt.save()` would (the same values prepared by the
    fields), in one INSERT built once per process, and gives it its primary key. A
    constraint that refuses it raises IntegrityError, as with save(). No model signals are
    sent: nothing listens to an attempt's saves."""
    connection = connections[using]
    key = (connection.alias, "insert")
    meta = QuizAttempt._meta
    built = _statements.get(key)
    if built is None:
        qn = connection.ops.quote_name
        targets = [field for field in meta.concrete_fields if field is not meta.pk]
        sql = (
            f"INSERT INTO {qn(meta.db_table)} "  # noqa: S608
            f"({', '.join(qn(field.column) for field in targets)}) "
            f"VALUES ({', '.join(['%s'] * len(targets))})"
        )
        if connection.features.can_return_columns_from_insert:
            sql += f" RETURNING {qn(meta.pk.column)}"
        built = _statements[key] = (sql, targets)
    sql, targets = built
    params = [
        field.get_db_prep_save(field.pre_save(attempt, True), connection) for field in targets
    ]
    # As save(): inside a transaction, a refused insert marks it for rollback.
    with transaction.mark_for_rollback_on_error(using), connection.cursor() as cursor:
        cursor.execute(sql, params)
        if connection.features.can_return_columns_from_insert:
            (attempt.pk,) = cursor.fetchone()
        else:
            attempt.pk = connection.ops.last_insert_id(cursor, meta.db_table, meta.pk.column)
    attempt._state.adding = False
    attempt._state.db = using
    return attempt
