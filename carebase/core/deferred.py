"""Writes gathered while many items are filed in one transaction, then made
in bulk just before it commits.

Filing a batch of fetched email runs the same conversation actions once per
message; most of their writes are rows that nothing reads back before the
commit (timeline events, live updates for other processes, search terms).
Inside `deferring()` such a write is queued instead of made: at the end, each
kind is written with one statement, and repeated live updates are sent once.
The rules stay in the actions; only the number of round trips changes.

A writer calls `defer(write, item)`: False outside a batch, where it writes
at once as usual. `write` receives every queued item of its kind, in order.
A reader that must see queued rows asks `queued(write)` for them.
Each item runs in `batch.item()`, a savepoint: when it fails, what it had
queued is forgotten with its rows.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Field, Model

Writer = Callable[[list[Any]], None]


class Batch:
    def __init__(self) -> None:
        # Writers in the order of their first item: a later kind may refer
        # to an earlier one's rows.
        self._queues: dict[Writer, list[Any]] = {}

    def add(self, write: Writer, item: Any) -> None:
        self._queues.setdefault(write, []).append(item)

    def queued(self, write: Writer) -> list[Any]:
        return self._queues.get(write, [])

    def mark(self) -> dict[Writer, int]:
        return {write: len(items) for write, items in self._queues.items()}

    def discard_since(self, mark: dict[Writer, int]) -> None:
        for write, items in self._queues.items():
            del items[mark.get(write, 0) :]

    @contextmanager
    def item(self) -> Iterator[None]:
        """One item of the batch, in a savepoint of its own: if it fails,
        its rows are rolled back and what it queued is forgotten. Inside,
        the actions that use `atomic()` join this savepoint instead of
        making one more each."""
        mark = self.mark()
        token = _in_item.set(True)
        try:
            with transaction.atomic():
                yield
        except BaseException:
            self.discard_since(mark)
            raise
        finally:
            _in_item.reset(token)

    def flush(self) -> None:
        # A writer may queue for another (nothing does yet): loop until empty.
        while self._queues:
            write, items = next(iter(self._queues.items()))
            del self._queues[write]
            if items:
                write(items)


_current: ContextVar[Batch | None] = ContextVar("deferred_batch", default=None)
_in_item: ContextVar[bool] = ContextVar("deferred_batch_item", default=False)


def atomic() -> transaction.Atomic:
    """An action's transaction: `transaction.atomic()`, except inside a
    batch item, whose savepoint already covers the action (a failure undoes
    the whole item). Only for actions whose callers never catch their
    errors to carry on in the same transaction: without a savepoint of its
    own, a failed action leaves nothing to carry on with."""
    return transaction.atomic(savepoint=not _in_item.get())


@contextmanager
def deferring() -> Iterator[Batch]:
    """Queue deferrable writes inside; write them on the way out (inside the
    caller's transaction: enter this within `transaction.atomic()`). Nested
    use joins the outer batch."""
    if _current.get() is not None:
        yield _current.get()  # type: ignore[misc]
        return
    batch = Batch()
    token = _current.set(batch)
    try:
        yield batch
        batch.flush()
    finally:
        _current.reset(token)


def queued(write: Writer) -> list[Any]:
    """What is queued for `write` and not written yet: a reader in the batch
    that must see it (the Message-IDs of mail filed a moment ago)."""
    batch = _current.get()
    return [] if batch is None else batch.queued(write)


def in_batch() -> bool:
    return _current.get() is not None


def defer(write: Writer, item: Any) -> bool:
    """Queue `item` for `write` when a batch is open; False when it is not,
    and the caller writes at once."""
    batch = _current.get()
    if batch is None:
        return False
    batch.add(write, item)
    return True


def update_each(objects: Sequence[Model], fields: list[str]) -> None:
    """Save these fields of many rows of one model: one UPDATE a row, sent
    together (psycopg pipelines executemany). bulk_update's single statement
    costs more to build, a CASE per field and row, than the round trips."""
    if not objects:
        return
    meta = type(objects[0])._meta
    columns = [_concrete(meta, name) for name in fields]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(str(field.column))} = %s" for field in columns)
    table, key = quote(meta.db_table), quote(str(meta.pk.column))
    sql = f"UPDATE {table} SET {assignments} WHERE {key} = %s"  # noqa: S608 (names from the model)
    rows = [[*_values(row, columns), row.pk] for row in objects]
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def insert_rows(
    model: type[Model], names: Sequence[str], rows: Sequence[Sequence[Any]]
) -> list[int]:
    """Insert many new rows of one model, given as tuples of these fields'
    database values (aware datetimes; ids for foreign keys, by attname), and
    answer their ids in order. On PostgreSQL the ids are drawn from the
    table's sequence and the rows sent by COPY: no model instance is built,
    which an import of a million rows would spend most of its time on."""
    if not rows:
        return []
    meta = model._meta
    columns = [_concrete(meta, name) for name in names]
    if connection.vendor != "postgresql":
        objects = [
            model(**{str(field.attname): value for field, value in zip(columns, row, strict=True)})
            for row in rows
        ]
        model._default_manager.bulk_create(objects)
        return [obj.pk for obj in objects]
    quote = connection.ops.quote_name
    key = str(meta.pk.column)
    names_sql = ", ".join(quote(str(field.column)) for field in [meta.pk, *columns])
    with connection.cursor() as cursor:
        # The sequence named once: in the select list, pg_get_serial_sequence
        # would be looked up again for every row.
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [meta.db_table, key])
        (sequence,) = cursor.fetchone()
        cursor.execute(
            "SELECT nextval(%s::regclass) FROM generate_series(1, %s)", [sequence, len(rows)]
        )
        ids = [row[0] for row in cursor.fetchall()]
        with cursor.copy(f"COPY {quote(meta.db_table)} ({names_sql}) FROM STDIN") as copy:
            for new_id, row in zip(ids, rows, strict=True):
                copy.write_row((new_id, *row))
    return ids


# Fields whose Python values psycopg writes as they are: Django's preparation
# of each value (a third of an import's time) changes nothing for them.
PLAIN_FIELDS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField)


def _values(row: Model, columns: list[Field[Any, Any]]) -> list[Any]:
    """The row's values of these columns, as the database takes them."""
    values = []
    for field in columns:
        value = getattr(row, field.attname)
        plain = isinstance(field, PLAIN_FIELDS) or field.is_relation
        # Aware datetimes go as they are; a naive one gets Django's warning
        # and conversion.
        aware = isinstance(field, models.DateTimeField) and (
            value is None or getattr(value, "tzinfo", None) is not None
        )
        values.append(value if plain or aware else field.get_db_prep_save(value, connection))
    return values


def _concrete(meta: Any, name: str) -> Field[Any, Any]:
    field = meta.get_field(name)
    if not isinstance(field, Field) or field.column is None:
        raise TypeError(f"{name} is not a column of {meta.label}")
    return field
