"""Querysets turned into SQL once per process, then run with new parameter values.

Building and compiling a large queryset costs more than running it: the article page's
one query (the article with its section, agency, teaser image and every one-to-many row
as a JSON array, issue #14) took about 3 ms of Python to build and compile against well
under 1 ms in PostgreSQL. ``CompiledQuery`` builds the queryset once per process and
database alias with *sample* values (one distinct value per parameter), finds where
those values sit among the compiled SQL's parameters, and from then on only swaps the
values in: Django's own model iterator still turns the rows into instances (select_related
objects, annotations, converters), so the result is what the queryset itself returns.
``tests/core/test_compiled.py`` compares the two for many parameter values.

Rules for a ``build`` function: every parameter must reach the SQL as a bound value
(used in ``filter()``, never to choose which filters to add or to slice), and each
sample must be a value no constant of the query can equal (a sentinel string, an odd
microsecond). Both are checked when compiling, and so is that no other time is bound
(a ``timezone.now()`` inside ``build`` would stay the time of compiling). A list of ids
must reach the SQL as one array value (``= ANY(%s)``), not item by item as ``__in``
binds it (the number of placeholders would be the sample's): also checked.

Prepared statements: a compiled query is the same SQL every time, so it is run with the
parameters bound on the server (psycopg's ``Cursor`` instead of Django's client-side
binding), and psycopg prepares it once it ran five times on a connection: PostgreSQL then
stops parsing and planning it (the article page's query planned for 0.7 ms and ran in
0.2 ms). Only these queries: a generic plan suits a lookup by id or slug, not the
search, whose plan must follow the words searched (``articles.selectors``).
``DATABASE_PREPARED_STATEMENTS=0`` turns it off (PgBouncer in transaction mode before
1.21 or without ``max_prepared_statements``).
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import connections, router
from django.db.backends.postgresql.base import ServerBindingCursor
from django.db.models import Model, QuerySet


class _ServerBinding:
    """A database connection whose cursors bind parameters on the server (so psycopg
    prepares statements it runs often); everything else is the connection's own."""

    def __init__(self, wrapper: Any) -> None:
        self._wrapper = wrapper

    def __getattr__(self, name: str) -> Any:
        return getattr(self._wrapper, name)

    def cursor(self) -> Any:
        wrapper = self._wrapper
        wrapper.close_if_health_check_failed()
        wrapper.ensure_connection()
        raw = wrapper.connection
        default = raw.cursor_factory
        raw.cursor_factory = ServerBindingCursor
        try:
            return wrapper.cursor()  # Django's wrapper, query logging and all
        finally:
            raw.cursor_factory = default


def _connection_for(using: str) -> Any:
    wrapper = connections[using]
    if wrapper.vendor != "postgresql" or not getattr(
        settings, "DATABASE_PREPARED_STATEMENTS", False
    ):
        return wrapper
    return _ServerBinding(wrapper)


def prepared_cursor(using: str = "default") -> Any:
    """A cursor whose statements psycopg prepares once they ran five times on the
    connection (parameters bound on the server): for raw SQL that is the same text every
    time, such as the comment checks' one query (``comments.policy``). A plain cursor
    with ``DATABASE_PREPARED_STATEMENTS=0`` or on another database."""
    return _connection_for(using).cursor()


class CompiledQuery[M: Model]:
    """``build(**values)``'s queryset, compiled once per database alias.

    ``samples``: one value per parameter of ``build``, as distinct sentinels. Calling
    the object with real values (of the samples' types) returns the model instances
    in a list: one query, no ORM compilation after the first call in a process.
    """

    def __init__(self, build: Callable[..., QuerySet[M]], **samples: Any) -> None:
        self._build = build
        self._samples = samples
        self._compiled: dict[str, tuple[QuerySet[M], Any, str, tuple[Any, ...], list]] = {}
        self._lock = threading.Lock()
        self._model: type[M] | None = None

    def _compile(self, using: str) -> tuple[QuerySet[M], Any, str, tuple[Any, ...], list]:
        queryset = self._build(**self._samples).using(using)
        compiler = queryset.query.get_compiler(using=using)
        sql, params = compiler.as_sql()
        slots: list[tuple[int, str]] = []
        for position, param in enumerate(params):
            names = [
                name
                for name, sample in self._samples.items()
                if type(param) is type(sample) and param == sample
            ]
            if len(names) > 1:
                raise ValueError(f"samples {names} are equal: give each parameter its own")
            if names:
                slots.append((position, names[0]))
        taken = {position for position, _name in slots}
        # A list sample must be bound as ONE array value: an ``__in`` lookup binds its
        # items one by one, and they would stay the samples' for every call.
        items = {
            (type(item), item)
            for sample in self._samples.values()
            if isinstance(sample, list | tuple)
            for item in sample
        }
        spread = [p for i, p in enumerate(params) if i not in taken and (type(p), p) in items]
        if spread:
            raise ValueError(f"items {spread} of a list sample are bound one by one: bind the list")
        frozen = [p for i, p in enumerate(params) if i not in taken and isinstance(p, datetime)]
        if frozen:  # e.g. a timezone.now() inside build: it would stay the compile time
            raise ValueError(f"times {frozen} are not parameters: pass them in")
        missing = set(self._samples) - {name for _position, name in slots}
        if missing:
            raise ValueError(f"parameters {sorted(missing)} do not reach the SQL as values")
        return queryset, compiler, sql, tuple(params), slots

    def _bound(
        self, values: dict[str, Any]
    ) -> tuple[str, tuple[QuerySet[M], Any, str, tuple[Any, ...], list], list[Any]]:
        """The compiled state for this thread's database and the parameters with ``values``."""
        if set(values) != set(self._samples):
            raise TypeError(f"expected the parameters {sorted(self._samples)}")
        if self._model is None:
            self._model = self._build(**self._samples).model
        using = router.db_for_read(self._model)
        compiled = self._compiled.get(using)
        if compiled is None:
            with self._lock:
                compiled = self._compiled.get(using) or self._compile(using)
                self._compiled[using] = compiled
        _queryset, _compiler, _sql, params, slots = compiled
        bound = list(params)
        for position, name in slots:
            bound[position] = values[name]
        return using, compiled, bound

    def sql(self, **values: Any) -> tuple[str, str, tuple[Any, ...]]:
        """The database alias, the compiled SQL and its parameters with ``values``: for a
        query the ORM cannot express around it (a subquery wrapped in written SQL).
        No query."""
        using, compiled, bound = self._bound(values)
        return using, compiled[2], tuple(bound)

    def __call__(self, **values: Any) -> list[M]:
        using, compiled, bound = self._bound(values)
        queryset, compiler, sql, _params, _slots = compiled
        # Django's model iterator on a copy of the compiled state, with the new values.
        run = copy.copy(compiler)
        run.connection = _connection_for(using)  # this thread's: compiled in another one
        run.as_sql = lambda *args, **kwargs: (sql, tuple(bound))
        fresh = queryset._chain()  # type: ignore[attr-defined]
        fresh.query = copy.copy(queryset.query)
        fresh.query.get_compiler = lambda *args, **kwargs: run
        return list(fresh)
