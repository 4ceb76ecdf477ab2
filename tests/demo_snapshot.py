"""The demo site built once per test process and restored for each test that asks for it.

`load_demo` takes 20–30 s; about thirty-five tests need the site it builds. The first test
that asks (through the `demo_site` fixture) runs the real `load_demo` and this module records
everything the load changed: the database rows of every table it wrote (Wagtail's tree,
revisions, reference index, both search indexes, sequences), the files it wrote under
MEDIA_ROOT and KEPU_PRIVATE_MEDIA_ROOT, and the cache entries it left (memo versions, Wagtail's
site and rendition caches). Each later test gets exactly that written back in a fraction of a
second: the tables it wrote (and any that differ from its starting point only in their ids)
emptied and refilled with the recorded rows, their sequences set as the load left them, the
files copied into the test's own media roots, the cache entries put back with the time they
had left.

A load in a test's transaction (`django_db`) and a committed one (`transaction=True`) leave
different states: after a commit the outbox jobs have run (search reconcile, transcodes,
suggestions). Each kind is recorded the first time a test of that kind asks.

A recording is kept per starting point: whether the load commits, and how many rows each
table held before it. The first test with real transactions in a process starts from the
migrated database, later ones from one that a flush emptied and `wagtail_tree` refilled; a
fixture that writes before `demo_site` starts from yet another. Each gets the load it would
have had.
"""

import io
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection, transaction

from kepu.memo import forget_all
from search.backends.embedded_ranking import statistics

# FTS5 keeps its index in shadow tables; they are restored through the virtual table itself.
FTS5_SHADOW_SUFFIXES = ("_data", "_idx", "_content", "_docsize", "_config")


# --- the database -------------------------------------------------------------------------


class _PostgreSQL:
    """Rows through COPY (text format), sequences through setval."""

    def tables(self) -> list[str]:
        with connection.cursor() as cursor:
            return connection.introspection.table_names(cursor)

    def dump(self, tables) -> dict[str, bytes]:
        dumped = {}
        with connection.cursor() as cursor:
            for table in tables:
                with cursor.copy(f'COPY "{table}" TO STDOUT') as copy:
                    dumped[table] = b"".join(bytes(block) for block in copy)
        return dumped

    @staticmethod
    def same(before: bytes, after: bytes) -> bool:
        return sorted(before.split(b"\n")) == sorted(after.split(b"\n"))

    def sequences(self, tables) -> dict[str, list[tuple[str, int, bool]]]:
        """Per table, each sequence owned by one of its columns: (name, last_value, is_called)."""
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT tab.relname, quote_ident(ns.nspname) || '.' || quote_ident(seq.relname)
                FROM pg_class seq
                JOIN pg_namespace ns ON ns.oid = seq.relnamespace
                JOIN pg_depend dep ON dep.objid = seq.oid AND dep.deptype IN ('a', 'i')
                JOIN pg_class tab ON tab.oid = dep.refobjid
                WHERE seq.relkind = 'S' AND tab.relname = ANY(%s)
                """,
                [list(tables)],
            )
            owned = cursor.fetchall()
            values = {}
            for table, name in owned:
                cursor.execute(f"SELECT last_value, is_called FROM {name}")  # noqa: S608
                values.setdefault(table, []).append((name, *cursor.fetchone()))
        return values

    def restore(self, rows: dict[str, bytes], sequences) -> None:
        with connection.cursor() as cursor:
            # Django's foreign keys are deferrable: rows go back in any order.
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
            for table in rows:
                cursor.execute(f'DELETE FROM "{table}"')  # noqa: S608
            for table, data in rows.items():
                if data:
                    with cursor.copy(f'COPY "{table}" FROM STDIN') as copy:
                        copy.write(data)
            for owned in sequences.values():
                for name, value, is_called in owned:
                    cursor.execute("SELECT setval(%s, %s, %s)", [name, value, is_called])


class _SQLite:
    """Rows through SELECT and INSERT (FTS5 tables through their virtual table, after the
    plain tables whose triggers write into them), sequences through sqlite_sequence."""

    def tables(self) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
            found = cursor.fetchall()
        virtual = {name for name, sql in found if sql.upper().startswith("CREATE VIRTUAL TABLE")}
        shadows = {v + suffix for v in virtual for suffix in FTS5_SHADOW_SUFFIXES}
        self.virtual = virtual
        return [name for name, _sql in found if name not in shadows]

    def dump(self, tables) -> dict[str, tuple[list[str], list[tuple]]]:
        dumped = {}
        with connection.cursor() as cursor:
            for table in tables:
                rowid = "rowid, " if table in self.virtual else ""
                cursor.execute(f'SELECT {rowid}* FROM "{table}"')  # noqa: S608
                columns = [column[0] for column in cursor.description]
                dumped[table] = (columns, cursor.fetchall())
        return dumped

    @staticmethod
    def same(before, after) -> bool:
        return before[0] == after[0] and sorted(before[1], key=repr) == sorted(after[1], key=repr)

    def sequences(self, tables) -> dict[str, int]:
        with connection.cursor() as cursor:
            cursor.execute("SELECT name, seq FROM sqlite_sequence")
            return {name: seq for name, seq in cursor.fetchall() if name in tables}

    def restore(self, rows, sequences: dict[str, int]) -> None:
        ordered = sorted(rows, key=lambda table: table in self.virtual)
        with connection.cursor() as cursor:
            for table in ordered:
                cursor.execute(f'DELETE FROM "{table}"')  # noqa: S608
                columns, values = rows[table]
                if values:
                    names = ", ".join(f'"{column}"' for column in columns)
                    marks = ", ".join(["%s"] * len(columns))
                    cursor.executemany(
                        f'INSERT INTO "{table}" ({names}) VALUES ({marks})',  # noqa: S608
                        values,
                    )
            for name, seq in sequences.items():
                cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [name])
                cursor.execute(
                    "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [name, seq]
                )


def _database():
    if connection.vendor == "postgresql":
        return _PostgreSQL()
    if connection.vendor == "sqlite":
        return _SQLite()
    raise NotImplementedError(f"no demo snapshot for {connection.vendor}")


def starting_point() -> tuple[tuple[str, int], ...]:
    """How many rows each table holds: what a recording is kept for."""
    tables = _database().tables()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT " + ", ".join(f'(SELECT count(*) FROM "{table}")' for table in tables)  # noqa: S608
        )
        return tuple(zip(tables, cursor.fetchone(), strict=True))


# --- the cache ----------------------------------------------------------------------------


class _RedisEntries:
    """The keys of Django's cache in Redis, as DUMP payloads with their time to live."""

    def __init__(self, backend):
        self.client = backend._cache.get_client(write=True)
        self.pattern = f"{backend.key_prefix}*" if backend.key_prefix else "*"

    def read(self) -> dict[bytes, tuple[bytes, int]]:
        entries = {}
        for key in self.client.scan_iter(match=self.pattern, count=1000):
            value, ttl = self.client.dump(key), self.client.pttl(key)
            if value is not None:
                entries[key] = (value, max(ttl, 0))
        return entries

    def write(self, entries) -> None:
        pipe = self.client.pipeline(transaction=False)
        for key, (value, ttl) in entries.items():
            pipe.restore(key, ttl, value, replace=True)
        pipe.execute()


class _LocalMemoryEntries:
    """The entries of Django's local-memory cache, pickled, with their time to live."""

    def __init__(self, backend):
        self.backend = backend

    def read(self) -> dict[str, tuple[bytes, float | None]]:
        now = time.time()
        with self.backend._lock:
            return {
                key: (value, None if expiry is None else expiry - now)
                for key, value in self.backend._cache.items()
                if (expiry := self.backend._expire_info.get(key, -1)) is None or expiry > now
            }

    def write(self, entries) -> None:
        now = time.time()
        with self.backend._lock:
            for key, (value, ttl) in entries.items():
                self.backend._cache[key] = value
                self.backend._cache.move_to_end(key, last=False)
                self.backend._expire_info[key] = None if ttl is None else now + ttl


def _cache_entries():
    backend = caches["default"]
    if hasattr(backend, "_cache") and hasattr(backend._cache, "get_client"):
        return _RedisEntries(backend)
    if hasattr(backend, "_expire_info"):
        return _LocalMemoryEntries(backend)
    raise NotImplementedError(f"no demo snapshot for the cache {type(backend).__name__}")


# --- files --------------------------------------------------------------------------------


def _media_roots() -> dict[str, Path]:
    return {
        "media": Path(settings.MEDIA_ROOT),
        "private": Path(settings.KEPU_PRIVATE_MEDIA_ROOT),
    }


def _files() -> dict[tuple[str, str], tuple[int, int]]:
    found = {}
    for name, root in _media_roots().items():
        if root.is_dir():
            for path in root.rglob("*"):
                if path.is_file():
                    stat = path.stat()
                    found[name, str(path.relative_to(root))] = (stat.st_size, stat.st_mtime_ns)
    return found


# --- the snapshot -------------------------------------------------------------------------


@dataclass
class Snapshot:
    """Every table before and after one `load_demo`, and what else the load changed."""

    database: object
    before: dict
    after: dict
    changed: list[str]
    sequences: dict
    cache_entries: dict
    files: Path
    report: list[str]  # what load_demo printed: its summary, one line per part

    def restore(self) -> None:
        """Makes every table hold what it held after the recorded load: those the load wrote,
        and those that differ from the recording's starting point only in their ids (a
        content type or a group's permissions that an earlier step of this test made again
        after a flush, with new ids the recorded rows do not refer to)."""
        current = self.database.dump(list(self.after))
        stale = [
            table
            for table in self.after
            if table in self.changed or not self.database.same(current[table], self.before[table])
        ]
        with transaction.atomic():
            self.database.restore(
                {table: self.after[table] for table in stale},
                {table: value for table, value in self.sequences.items() if table in stale},
            )
        for name, root in _media_roots().items():
            if (self.files / name).is_dir():
                shutil.copytree(self.files / name, root, dirs_exist_ok=True)
        _cache_entries().write(self.cache_entries)
        # What a load does to this process's memos: they read the new rows on their next use;
        # the content types' ids are the recorded ones now.
        ContentType.objects.clear_cache()
        forget_all()
        statistics.forget()


def record_load(directory: Path) -> Snapshot:
    """Runs the real `load_demo` in the current test and records what it changed.

    Guarantees: the test goes on with the real load's state, untouched by the recording."""
    database = _database()
    tables = database.tables()
    rows_before = database.dump(tables)
    files_before = _files()
    entries = _cache_entries()
    cache_before = entries.read()

    output = io.StringIO()
    call_command("load_demo", stdout=output)

    rows_after = database.dump(tables)
    changed = [t for t in tables if not database.same(rows_before[t], rows_after[t])]
    cache_after = entries.read()
    for (name, relative), stat in _files().items():
        if files_before.get((name, relative)) != stat:
            target = directory / name / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(_media_roots()[name] / relative, target)
    return Snapshot(
        database=database,
        before=rows_before,
        after=rows_after,
        changed=changed,
        sequences=database.sequences(tables),
        cache_entries={
            key: (value, ttl)
            for key, (value, ttl) in cache_after.items()
            if cache_before.get(key, (None,))[0] != value
        },
        files=directory,
        report=output.getvalue().splitlines(),
    )
