"""Opening a store: where it is, what URL, and refusing (without touching) what is not a run store."""

from __future__ import annotations

import os
import sqlite3

import pytest
from sqlalchemy import update

from standoff.store import SCHEMA_VERSION, RunStore, StoreError, default_path, resolve_url
from standoff.store.schema import Meta


def test_store_db_environment_variable_is_the_default(tmp_path, monkeypatch):
    path = tmp_path / "here.sqlite"
    monkeypatch.setenv("STANDOFF_DB", str(path))
    store = RunStore()
    assert store.path == path and path.exists()
    assert RunStore(str(tmp_path / "there.sqlite")).path == tmp_path / "there.sqlite"  # argument wins


def test_without_store_db_the_per_user_data_folder_is_used(tmp_path, monkeypatch):
    monkeypatch.delenv("STANDOFF_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert default_path() == tmp_path / "data" / "standoff" / "runs.sqlite"
    store = RunStore()
    assert store.path == tmp_path / "data" / "standoff" / "runs.sqlite" and store.path.exists()
    monkeypatch.delenv("XDG_DATA_HOME")
    assert default_path().parts[-2:] == ("standoff", "runs.sqlite")  # platformdirs' folder


def test_urls_paths_and_the_postgresql_driver():
    assert resolve_url("runs.sqlite").database == os.path.abspath("runs.sqlite")
    assert resolve_url("sqlite:///x.sqlite").drivername == "sqlite"
    assert resolve_url("postgresql://u@h/db").drivername == "postgresql+psycopg"
    assert resolve_url("postgres://u@h/db").drivername == "postgresql+psycopg"
    assert resolve_url("postgresql+psycopg://u@h/db").database == "db"
    store = RunStore("sqlite://")  # in memory
    assert store.runs() == []


@pytest.mark.parametrize("url, words", [
    ("nosuch://x", "no database driver"),
    ("postgresql://nobody@/nodb?host=/nonexistent-folder", "cannot open the run store"),
    ("postgresql://u@h:notaport/db", "cannot read database URL"),
    ("://x", "cannot read database URL"),
])
def test_a_bad_url_is_a_one_line_error_with_a_fix(url, words):
    with pytest.raises(StoreError) as err:
        RunStore(url)
    message = str(err.value)
    assert words in message and " — " in message and "\n" not in message


@pytest.mark.parametrize("content", [
    b"id,name\n1,not a database\n" * 50,             # a CSV file given by mistake
    b"SQLite format 3\x00" + b"\xff" * 5000,         # the magic, then garbage: a damaged database
])
def test_a_file_that_is_no_run_store_is_refused_and_left_untouched(tmp_path, content):
    path = tmp_path / "runs.sqlite"
    path.write_bytes(content)
    with pytest.raises(StoreError) as err:
        RunStore(str(path))
    message = str(err.value)
    assert str(path) in message and "--db" in message and "\n" not in message
    assert path.read_bytes() == content


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(StoreError, match="folder"):
        RunStore(str(tmp_path))


def test_an_empty_file_becomes_a_store(tmp_path):
    path = tmp_path / "empty.sqlite"
    path.touch()
    assert RunStore(str(path)).schema_version == SCHEMA_VERSION


def test_an_sqlite_database_of_another_program_gains_the_tables_and_keeps_its_own(tmp_path):
    path = tmp_path / "other.sqlite"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE notes (t TEXT)")
        conn.execute("INSERT INTO notes VALUES ('kept')")
    RunStore(str(path)).close()
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT t FROM notes").fetchall() == [("kept",)]


def test_the_schema_version_is_stored_and_a_newer_one_refused(store_url, toy):
    store = RunStore(store_url)
    run_id = store.record("forecast", toy, model=None, params={}, seed=None, results={})
    with store.engine.begin() as conn:
        conn.execute(update(Meta).where(Meta.key == "schema_version").values(value=str(SCHEMA_VERSION + 1)))
    store.close()
    with pytest.raises(StoreError) as err:
        RunStore(store_url)
    message = str(err.value)
    assert f"schema {SCHEMA_VERSION + 1}" in message and "upgrade standoff" in message
    with store.engine.begin() as conn:  # the data is still there, untouched
        conn.execute(update(Meta).where(Meta.key == "schema_version").values(value=str(SCHEMA_VERSION)))
    assert [r.id for r in RunStore(store_url).runs()] == [run_id]


def test_reopening_keeps_the_schema_and_the_runs(store_url, toy):
    first = RunStore(store_url)
    run_id = first.record("forecast", toy, model=None, params={}, seed=None, results={"x": 1})
    first.close()
    again = RunStore(store_url)
    assert again.schema_version == SCHEMA_VERSION and again.get(run_id).results == {"x": 1}
    again.close()
