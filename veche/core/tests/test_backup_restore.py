"""`veche backup` and `veche restore`: a backup restored into a fresh database contains the data.

The backup runs in-process against the test database; the restore runs as the real command in a subprocess whose
DATABASE_URL points at a fresh database, which is then read directly (sqlite3 / psycopg).
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from veche.core.testing.factories import OrganisationFactory, UserFactory

ROOT = Path(__file__).resolve().parents[3]
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite backup")
on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (CI runs it)")


def veche(*arguments: str, database_url: str, var_dir: Path, stdin: int | None = subprocess.DEVNULL):
    """Run the `veche` command in a fresh process with its own DATABASE_URL, as an operator would."""
    environment = {
        **os.environ,
        "DATABASE_URL": database_url,
        "VECHE_VAR_DIR": str(var_dir),
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
    }
    return subprocess.run(  # noqa: S603
        [sys.executable, "-m", "veche.cli", *arguments],
        cwd=ROOT,
        env=environment,
        stdin=stdin,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def make_data() -> None:
    OrganisationFactory(slug="backed-up-town", name="Backed-up Town", name_pl="Miasto z kopii")
    UserFactory(email="restored@example.org")


@pytest.fixture
def var_dir(tmp_path: Path) -> Path:
    path = tmp_path / "var"
    path.mkdir()
    return path


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_restores_into_a_fresh_database(tmp_path, var_dir, settings):
    settings.VAR_DIR = var_dir
    make_data()

    call_command("backup")

    [backup] = (var_dir / "backups").glob("veche-*.sqlite3")
    assert backup.stat().st_mode & 0o077 == 0  # personal data: readable by the owner only
    fresh = tmp_path / "fresh.sqlite3"
    result = veche("restore", str(backup), "--yes", database_url=f"sqlite:///{fresh}", var_dir=var_dir)
    assert result.returncode == 0, result.stderr

    with sqlite3.connect(fresh) as restored:
        names = restored.execute("SELECT name_pl FROM organisations_organisation WHERE slug = 'backed-up-town'")
        assert names.fetchall() == [("Miasto z kopii",)]
        emails = restored.execute("SELECT email FROM accounts_user").fetchall()
        assert ("restored@example.org",) in emails


@on_sqlite
@pytest.mark.django_db(transaction=True)
def test_sqlite_backup_to_a_chosen_path_and_refusal_to_overwrite(tmp_path):
    make_data()
    target = tmp_path / "nightly" / "copy.sqlite3"

    call_command("backup", output=target)

    with sqlite3.connect(target) as copy:
        assert copy.execute("SELECT count(*) FROM organisations_organisation").fetchone() == (1,)
    with pytest.raises(CommandError, match="already exists"):
        call_command("backup", output=target)


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_postgresql_backup_restores_into_a_fresh_database(tmp_path, var_dir, settings):
    import psycopg

    settings.VAR_DIR = var_dir
    make_data()

    call_command("backup")

    [backup] = (var_dir / "backups").glob("veche-*.dump")
    assert backup.read_bytes().startswith(b"PGDMP")
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    fresh = f"veche_restore_{uuid.uuid4().hex[:12]}"
    admin = psycopg.connect(**{**params, "dbname": "postgres"}, autocommit=True)
    admin.execute(f'CREATE DATABASE "{fresh}"')
    try:
        settings_dict = connection.settings_dict
        url = "postgres://{user}{password}@{host}:{port}/{name}".format(
            user=settings_dict["USER"] or "",
            password=f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else "",
            host=settings_dict["HOST"] or "localhost",
            port=settings_dict["PORT"] or 5432,
            name=fresh,
        )
        # Twice: the second restore replaces the tables the first one created (--clean --if-exists).
        for _attempt in range(2):
            result = veche("restore", str(backup), "--yes", database_url=url, var_dir=var_dir)
            assert result.returncode == 0, result.stderr

        with psycopg.connect(**{**params, "dbname": fresh}) as restored:
            rows = restored.execute(
                "SELECT name_pl FROM organisations_organisation WHERE slug = 'backed-up-town'"
            ).fetchall()
            assert rows == [("Miasto z kopii",)]
            emails = restored.execute("SELECT email FROM accounts_user").fetchall()
            assert ("restored@example.org",) in emails
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{fresh}" WITH (FORCE)')
        admin.close()


@pytest.mark.django_db
def test_restore_refuses_without_yes_when_nobody_can_confirm(tmp_path, var_dir):
    backup = tmp_path / "backup.sqlite3"
    with sqlite3.connect(backup) as database:
        database.execute("CREATE TABLE django_migrations (id integer)")

    result = veche("restore", str(backup), database_url=f"sqlite:///{tmp_path / 'target.sqlite3'}", var_dir=var_dir)

    assert result.returncode != 0
    assert "--yes" in result.stderr


@pytest.mark.django_db
def test_restore_of_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        call_command("restore", str(tmp_path / "nope.sqlite3"), yes=True)


@pytest.mark.django_db
def test_restore_of_something_that_is_not_a_backup(tmp_path):
    junk = tmp_path / "notes.txt"
    junk.write_text("hello")
    with pytest.raises(CommandError, match="neither an SQLite database nor a pg_dump"):
        call_command("restore", str(junk), yes=True)


@pytest.mark.django_db
def test_restore_of_a_backup_of_the_other_engine(tmp_path):
    if connection.vendor == "sqlite":
        other = tmp_path / "veche.dump"
        other.write_bytes(b"PGDMP\x01\x0e\x00" + b"\x00" * 64)
        expected = "is a PostgreSQL backup, but this installation uses SQLite"
    else:
        other = tmp_path / "veche.sqlite3"
        with sqlite3.connect(other) as database:
            database.execute("CREATE TABLE django_migrations (id integer)")
        expected = "is a SQLite backup, but this installation uses PostgreSQL"
    with pytest.raises(CommandError, match=expected):
        call_command("restore", str(other), yes=True)


@on_sqlite
@pytest.mark.django_db
def test_restore_of_an_sqlite_file_that_is_not_veche(tmp_path):
    foreign = tmp_path / "foreign.sqlite3"
    with sqlite3.connect(foreign) as database:
        database.execute("CREATE TABLE recipes (name text)")
    with pytest.raises(CommandError, match="not a veche backup"):
        call_command("restore", str(foreign), yes=True)


@on_postgresql
@pytest.mark.django_db
def test_backup_without_pg_dump_says_what_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CommandError, match="pg_dump was not found.*postgresql-client"):
        call_command("backup", output=tmp_path / "x.dump")


@pytest.mark.django_db
def test_restore_on_a_terminal_asks_and_stops_unless_told_yes(tmp_path, monkeypatch):
    backup = tmp_path / ("veche.sqlite3" if connection.vendor == "sqlite" else "veche.dump")
    if connection.vendor == "sqlite":
        with sqlite3.connect(backup) as database:
            database.execute("CREATE TABLE django_migrations (id integer)")
    else:
        backup.write_bytes(b"PGDMP" + b"\x00" * 64)
    questions: list[str] = []
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    monkeypatch.setattr("builtins.input", lambda question: questions.append(question) or "no")

    with pytest.raises(CommandError, match="cancelled; nothing was changed"):
        call_command("restore", str(backup))

    assert "replaces everything" in questions[0]
