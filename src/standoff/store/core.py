"""The run store: record every forecast and analysis run, list, show, diff and export them.

One transaction per run: the run row and its result rows are written together or not at all,
so a process killed mid-write leaves the store as it was (docs/store.md).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import json
import math
import os
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

from sqlalchemy import create_engine, event, inspect, select
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, NoSuchModuleError, SQLAlchemyError
from sqlalchemy.orm import selectinload, sessionmaker
from sqlalchemy.pool import StaticPool

from standoff.errors import StandoffError
from standoff.store import ENV_VAR
from standoff.store.schema import SCHEMA_VERSION, Base, Meta, ResultRow, RunRow
from standoff.version import __version__

EXPORT_FORMAT = "standoff-run"
SQLITE_MAGIC = b"SQLite format 3\x00"


class StoreError(StandoffError):
    """The run store cannot be opened, read or written (bad URL, not a database, newer schema)."""


class RunNotFoundError(StoreError):
    """No run with the id asked for."""


def default_path() -> Path:
    """Where runs go when neither --db nor STANDOFF_DB says: $XDG_DATA_HOME/standoff/runs.sqlite,
    else the per-user data folder of the platform (platformdirs)."""
    xdg = os.environ.get("XDG_DATA_HOME")
    if xdg:
        return Path(xdg) / "standoff" / "runs.sqlite"
    import platformdirs

    return platformdirs.user_data_path("standoff") / "runs.sqlite"


def resolve_url(url: str | None = None) -> URL:
    """The store's SQLAlchemy URL: `url`, else $STANDOFF_DB, else the default SQLite file.

    A value without `://` is a file path (SQLite); `postgresql://` without a driver means psycopg 3.
    """
    raw = url or os.environ.get(ENV_VAR) or None
    if raw is None:
        path = default_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        return URL.create("sqlite", database=str(path))
    if "://" not in raw:
        return URL.create("sqlite", database=str(Path(raw).expanduser().resolve()))
    try:
        parsed = make_url(raw)
    except (ArgumentError, ValueError) as exc:
        raise StoreError(f"cannot read database URL {raw!r}: {exc}", where="--db",
                         fix="give a file path or a URL like sqlite:///runs.sqlite or "
                             "postgresql://user@host/dbname") from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed


# --- what the store hands out -------------------------------------------------------------------
@dataclass(frozen=True)
class RunSummary:
    """One line of `standoff runs list`: what was run on what, when."""

    id: int
    kind: str
    case: str | None
    scenario_id: str | None
    content_hash: str | None
    as_of: dt.date | None
    model: str | None
    seed: int | None
    version: str
    created_at: dt.datetime

    def to_dict(self) -> dict[str, Any]:
        out = dataclasses.asdict(self)
        out["as_of"] = self.as_of.isoformat() if self.as_of else None
        out["created_at"] = self.created_at.isoformat()
        return out


@dataclass(frozen=True)
class Run(RunSummary):
    """A stored run in full: the summary, the scenario title, the parameters and the results."""

    title: str | None = None
    params: dict[str, Any] = field(default_factory=dict)
    results: dict[str, Any] = field(default_factory=dict)

    def summary(self) -> RunSummary:
        return RunSummary(**{f.name: getattr(self, f.name) for f in dataclasses.fields(RunSummary)})

    def forecasts(self) -> dict[tuple[str, str | None, str], float | None]:
        """Every forecast value in the results: (result name, model, issue) -> value."""
        return dict(_forecast_values(self.results))

    def to_dict(self) -> dict[str, Any]:
        """The export format: plain JSON, read back by `Run.from_dict` (and `RunStore.import_run`)."""
        return {"format": EXPORT_FORMAT, "schema_version": SCHEMA_VERSION, **super().to_dict()}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Run:
        if not isinstance(data, Mapping) or data.get("format") != EXPORT_FORMAT:
            raise StoreError("not a Standoff run export (no \"format\": \"standoff-run\")",
                             fix="give a file written by `standoff runs export`")
        if int(data.get("schema_version", 0)) > SCHEMA_VERSION:
            raise StoreError(f"the export has schema version {data['schema_version']}, newer than this "
                             f"Standoff reads ({SCHEMA_VERSION})", fix="upgrade standoff")
        names = {f.name for f in dataclasses.fields(cls)}
        missing = names - set(data) - {"title", "params", "results"}
        if missing:
            raise StoreError(f"the run export lacks {', '.join(sorted(missing))}",
                             fix="give a file written by `standoff runs export`")
        values = {k: data[k] for k in names if k in data}
        values["as_of"] = dt.date.fromisoformat(data["as_of"]) if data.get("as_of") else None
        values["created_at"] = _utc(dt.datetime.fromisoformat(data["created_at"]))
        return cls(**values)


@dataclass(frozen=True)
class IssueChange:
    """One forecast value in two runs and its change b − a (None where either run lacks it)."""

    result: str
    model: str | None
    issue: str
    a: float | None
    b: float | None

    @property
    def difference(self) -> float | None:
        return None if self.a is None or self.b is None else self.b - self.a

    def to_dict(self) -> dict[str, Any]:
        return {**dataclasses.asdict(self), "difference": self.difference}


@dataclass(frozen=True)
class RunDiff:
    """What differs between two runs: inputs (scenario hash, case, date, kind, model, seed,
    version), each parameter, and per issue the forecast values and their difference."""

    a: int
    b: int
    inputs: dict[str, tuple[Any, Any]]
    params: dict[str, tuple[Any, Any]]
    issues: list[IssueChange]
    only_a: list[str]
    only_b: list[str]

    @property
    def same_inputs(self) -> bool:
        """True when scenario, model, parameters and seed agree (the version may differ)."""
        return not (set(self.inputs) - {"version", "case"}) and not self.params

    def to_dict(self) -> dict[str, Any]:
        return {"a": self.a, "b": self.b, "same_inputs": self.same_inputs,
                "inputs": {k: {"a": _jsonable(x), "b": _jsonable(y)} for k, (x, y) in self.inputs.items()},
                "params": {k: {"a": x, "b": y} for k, (x, y) in self.params.items()},
                "issues": [c.to_dict() for c in self.issues],
                "only_a": self.only_a, "only_b": self.only_b}


# --- the store ------------------------------------------------------------------------------
class RunStore:
    """Runs recorded in an SQL database: SQLite by default, any SQLAlchemy URL (PostgreSQL works).

    `RunStore()` opens $STANDOFF_DB or the default per-user file and creates the tables if the
    database has none; a file that is not an SQLite database is refused and left untouched.
    """

    def __init__(self, url: str | None = None):
        self.url = resolve_url(url)
        self.path = self._sqlite_path()
        self.label = str(self.path) if self.path else self.url.render_as_string(hide_password=True)
        if self.path is not None:
            self._check_file()
        self.engine = self._engine()
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self._open_schema()

    def __repr__(self) -> str:
        return f"RunStore({self.label!r})"

    # --- opening ---------------------------------------------------------------------------
    def _sqlite_path(self) -> Path | None:
        if self.url.get_backend_name() != "sqlite" or self.url.database in (None, "", ":memory:"):
            return None
        return Path(self.url.database)

    def _check_file(self) -> None:
        """Refuse, before SQLite ever opens it, a file that is not an SQLite database."""
        path = self.path
        if path.is_dir():
            raise StoreError("is a folder, not a run store", file=str(path),
                             fix="give a file path to --db (e.g. runs.sqlite)")
        if path.exists() and path.stat().st_size:
            try:
                with path.open("rb") as fh:
                    head = fh.read(len(SQLITE_MAGIC))
            except OSError as exc:
                raise StoreError(f"cannot read the run store: {exc.strerror}", file=str(path),
                                 fix="check the file's permissions, or give another --db") from None
            if head != SQLITE_MAGIC:
                raise StoreError("is not an SQLite database, so not a run store (left untouched)",
                                 file=str(path), fix="give another --db path or STANDOFF_DB, or move "
                                                     "the file away")
        elif not path.parent.is_dir():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise StoreError(f"cannot create the folder of the run store: {exc.strerror}",
                                 file=str(path), fix="give a writable --db path") from None

    def _engine(self) -> Engine:
        kwargs: dict[str, Any] = {}
        if self.url.get_backend_name() == "sqlite":
            kwargs["connect_args"] = {"timeout": 30}
            if self.path is None:
                kwargs.update(poolclass=StaticPool, connect_args={"check_same_thread": False})
        try:
            engine = create_engine(self.url, **kwargs)
        except NoSuchModuleError:
            raise StoreError(f"no database driver for {self.url.drivername!r}", where="--db",
                             fix="use sqlite:// or postgresql://, and for PostgreSQL install "
                                 "the extra: pip install 'standoff[postgres]'") from None
        except ModuleNotFoundError as exc:
            raise StoreError(f"the database driver {exc.name!r} is not installed", where="--db",
                             fix="for PostgreSQL: pip install 'standoff[postgres]'") from None
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
        return engine

    def _open_schema(self) -> None:
        """Create the tables in an empty database, or check the version of existing ones.

        Two processes opening a new store at once may both try to create the tables; the one that
        loses finds them made when it looks again.
        """
        try:
            self._check_or_create()
        except StoreError:
            self.engine.dispose()
            raise
        except SQLAlchemyError:
            try:
                self._check_or_create()
            except StoreError:
                self.engine.dispose()
                raise
            except SQLAlchemyError as exc:
                self.engine.dispose()
                raise self._error("cannot open the run store", exc) from None

    def _check_or_create(self) -> None:
        """Check the schema version of an existing store, or create the tables in one transaction."""
        with self.engine.begin() as conn:
            if inspect(conn).has_table(Meta.__tablename__):
                found = conn.execute(select(Meta.value).where(Meta.key == "schema_version")).scalar()
                for _ in range(100):  # another process may have created the table a moment ago
                    if found is not None:  # and not yet written the version (SQLite runs DDL
                        break              # outside the transaction): wait up to 5 s for it
                    time.sleep(0.05)
                    found = conn.execute(select(Meta.value).where(Meta.key == "schema_version")).scalar()
                version = int(found) if found and found.isdigit() else None
                if version is None:
                    raise StoreError("has a standoff_meta table without a schema version",
                                     file=self.label, fix="give another --db")
                if version > SCHEMA_VERSION:
                    raise StoreError(
                        f"was written by a newer Standoff (store schema {version}; this version "
                        f"reads up to {SCHEMA_VERSION})", file=self.label,
                        fix="upgrade standoff (pip install -U standoff), or give another --db")
                self.schema_version = version
            else:
                Base.metadata.create_all(conn)
                conn.execute(Meta.__table__.insert(), [
                    {"key": "schema_version", "value": str(SCHEMA_VERSION)},
                    {"key": "created_by", "value": _version()}])
                self.schema_version = SCHEMA_VERSION

    def _error(self, what: str, exc: SQLAlchemyError) -> StoreError:
        reason = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        if self.path is not None:
            fix = ("the file is damaged or not a run store: give another --db path or move it away"
                   if "not a database" in reason or "malformed" in reason
                   else "check the file and its folder are writable, or give another --db")
        else:
            fix = "check that the server runs and the URL (user, password, database) is right"
        return StoreError(f"{what}: {reason}", file=self.label, fix=fix)

    def close(self) -> None:
        """Release the connections (the store can still be used; it reconnects)."""
        self.engine.dispose()

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- writing ---------------------------------------------------------------------------
    def record(self, kind: str, scenario: Any, *, model: str | None, params: dict[str, Any],
               seed: int | None, results: dict[str, Any], case: str | None = None) -> int:
        """Record one run in one transaction; returns its id.

        `scenario` is the Scenario run on (its content hash, id, title and date are stored);
        `results` maps names to JSON-able values (DataFrames, numpy values, dates and dataclasses
        are converted; non-finite floats become null).
        """
        if not kind:
            raise ValueError("record() needs a kind, e.g. 'forecast'")
        row = RunRow(
            kind=kind, case=case or getattr(scenario, "id", None),
            scenario_id=getattr(scenario, "id", None), title=getattr(scenario, "title", None),
            content_hash=scenario.content_hash() if scenario is not None else None,
            as_of=getattr(scenario, "date", None), model=model, params=_jsonable(params or {}),
            seed=seed, version=_version(), created_at=dt.datetime.now(dt.UTC))
        row.results = [ResultRow(name=str(name), position=n, payload=_jsonable(value))
                       for n, (name, value) in enumerate(results.items())]
        return self._write(row)

    def import_run(self, data: Mapping[str, Any]) -> int:
        """Store a run exported by `export` (from this or another store) under a new id."""
        run = Run.from_dict(data)
        row = RunRow(kind=run.kind, case=run.case, scenario_id=run.scenario_id, title=run.title,
                     content_hash=run.content_hash, as_of=run.as_of, model=run.model,
                     params=_jsonable(run.params), seed=run.seed, version=run.version,
                     created_at=run.created_at)
        row.results = [ResultRow(name=name, position=n, payload=_jsonable(value))
                       for n, (name, value) in enumerate(run.results.items())]
        return self._write(row)

    def _write(self, row: RunRow) -> int:
        try:
            with self._sessions.begin() as session:
                session.add(row)
                session.flush()
                run_id = row.id
        except SQLAlchemyError as exc:
            raise self._error("could not record the run (nothing was written)", exc) from None
        return run_id

    # --- reading ---------------------------------------------------------------------------
    def runs(self, limit: int | None = 50, kind: str | None = None,
             case: str | None = None) -> list[RunSummary]:
        """The latest runs, newest first, optionally only of one kind or one case."""
        query = select(RunRow).order_by(RunRow.id.desc())
        if kind:
            query = query.where(RunRow.kind == kind)
        if case:
            query = query.where(RunRow.case == case)
        if limit is not None:
            query = query.limit(limit)
        with self._read() as session:
            return [_summary(row) for row in session.scalars(query)]

    def get(self, run_id: int) -> Run:
        """One run in full; RunNotFoundError (naming the id and how to list ids) if absent."""
        with self._read() as session:
            row = session.scalars(select(RunRow).where(RunRow.id == int(run_id))
                                  .options(selectinload(RunRow.results))).first()
            if row is None:
                raise RunNotFoundError(f"no run {run_id} in the run store", file=self.label,
                                       where=f"run {run_id}",
                                       fix="list the run ids with `standoff runs list`")
            return Run(**dataclasses.asdict(_summary(row)), title=row.title, params=row.params or {},
                       results={r.name: r.payload for r in row.results})

    def export(self, run_id: int) -> dict[str, Any]:
        """The run as plain JSON-able data; `import_run` (or `Run.from_dict`) reads it back."""
        return self.get(run_id).to_dict()

    def diff(self, a: int, b: int) -> RunDiff:
        """What differs between runs a and b: inputs, parameters, and per issue the forecasts."""
        ra, rb = self.get(a), self.get(b)
        inputs = {}
        for name in ("kind", "case", "scenario_id", "content_hash", "as_of", "model", "seed", "version"):
            x, y = getattr(ra, name), getattr(rb, name)
            if x != y:
                inputs[name] = (x, y)
        pa, pb = dict(flatten_params(ra.params)), dict(flatten_params(rb.params))
        params = {k: (pa.get(k), pb.get(k)) for k in sorted(set(pa) | set(pb), key=str)
                  if pa.get(k, _MISSING) != pb.get(k, _MISSING)}
        fa, fb = ra.forecasts(), rb.forecasts()
        keys = list(fa) + [k for k in fb if k not in fa]
        issues = [IssueChange(result=k[0], model=k[1], issue=k[2], a=fa.get(k), b=fb.get(k)) for k in keys]
        return RunDiff(a=ra.id, b=rb.id, inputs=inputs, params=params, issues=issues,
                       only_a=[n for n in ra.results if n not in rb.results],
                       only_b=[n for n in rb.results if n not in ra.results])

    def _read(self):
        return _ReadSession(self)


class _ReadSession:
    """A session whose database errors become one-line StoreErrors."""

    def __init__(self, store: RunStore):
        self.store = store
        self.session = store._sessions()

    def __enter__(self):
        return self.session

    def __exit__(self, kind, exc, tb) -> None:
        self.session.close()
        if isinstance(exc, SQLAlchemyError):
            raise self.store._error("cannot read the run store", exc) from None


# --- helpers --------------------------------------------------------------------------------
_MISSING = object()


def _version() -> str:
    return __version__


def _sqlite_pragmas(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _utc(moment: dt.datetime) -> dt.datetime:
    """SQLite hands back naive datetimes; every stored time is UTC."""
    return moment.replace(tzinfo=dt.UTC) if moment.tzinfo is None else moment.astimezone(dt.UTC)


def _summary(row: RunRow) -> RunSummary:
    return RunSummary(id=row.id, kind=row.kind, case=row.case, scenario_id=row.scenario_id,
                      content_hash=row.content_hash, as_of=row.as_of, model=row.model, seed=row.seed,
                      version=row.version, created_at=_utc(row.created_at))


def _jsonable(value: Any) -> Any:
    """Plain JSON data: dicts with string keys, lists, str, int, finite float (else None), bool."""
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_jsonable(v) for v in value]
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, enum.Enum):
        return _jsonable(value.value)
    if isinstance(value, PurePath):
        return str(value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _jsonable(value.to_dict() if hasattr(value, "to_dict") else dataclasses.asdict(value))
    if hasattr(value, "model_dump"):  # pydantic
        return _jsonable(value.model_dump(mode="json"))
    try:
        import numpy as np
        import pandas as pd
    except ImportError:  # pragma: no cover - both are dependencies
        np = pd = None
    if pd is not None:
        if isinstance(value, pd.DataFrame):
            return _jsonable(json.loads(value.to_json(orient="records", date_format="iso")))
        if isinstance(value, pd.Series):
            return _jsonable(value.tolist())
        if value is pd.NaT:
            return None
        if isinstance(value, pd.Timestamp):
            return value.isoformat()
    if np is not None and isinstance(value, (np.generic, np.ndarray)):
        return _jsonable(value.tolist())
    raise TypeError(f"cannot store a {type(value).__name__} as JSON")


def flatten_params(value: Any, prefix: str = "") -> Iterator[tuple[str, Any]]:
    """Nested parameters as dotted keys: {"eum": {"q": 1}} -> ("eum.q", 1)."""
    if isinstance(value, Mapping) and value:
        for key, inner in value.items():
            yield from flatten_params(inner, f"{prefix}.{key}" if prefix else str(key))
    else:
        yield prefix, value


def _is_forecast(value: Any) -> bool:
    return (isinstance(value, Mapping) and isinstance(value.get("issues"), list) and "model" in value
            and all(isinstance(i, Mapping) and "issue" in i and "value" in i for i in value["issues"]))


def _forecast_values(results: Mapping[str, Any]) -> Iterator[tuple[tuple[str, str | None, str], Any]]:
    """(result name, model, issue) -> value for every Forecast.to_dict() found in the results;
    a model that occurs twice within one result gets '#2', '#3' appended."""
    for name, payload in results.items():
        seen: dict[str | None, int] = {}
        for found in _walk(payload):
            model = found.get("model")
            seen[model] = seen.get(model, 0) + 1
            label = model if seen[model] == 1 else f"{model}#{seen[model]}"
            for item in found["issues"]:
                yield (name, label, str(item["issue"])), item.get("value")


def _walk(value: Any) -> Iterator[Mapping[str, Any]]:
    if _is_forecast(value):
        yield value
    elif isinstance(value, Mapping):
        for inner in value.values():
            yield from _walk(inner)
    elif isinstance(value, list):
        for inner in value:
            yield from _walk(inner)
