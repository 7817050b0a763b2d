"""Fresh databases for tests: SQLite by default; PostgreSQL when CI asks for it.

Set ``LADDER_TEST_DATABASE_URL`` to a PostgreSQL server URL (``bash .ci/postgres.sh`` prints one)
and every test gets its own, uniquely named database on that server. Databases are named
``ladder_test_<pid>_<n>``: this process drops its own at exit, and the first call drops those left
behind by processes that are gone.
"""

import atexit
import itertools
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from functools import cache
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import make_url

from bot.database import upgrade

ENV = "LADDER_TEST_DATABASE_URL"
PREFIX = "ladder_test_"
_numbers = itertools.count(1)


def server_url() -> str | None:
    """The PostgreSQL server the suite runs against, or None for SQLite."""
    return os.environ.get(ENV) or None


def fresh_database_url(tmp_path: Path) -> str:
    """Return the URL of an empty database for one test."""
    server = server_url()
    if server is None:
        return f"sqlite:///{tmp_path / 'ladder.db'}"
    return _create(server, template=None)


def migrated_database_url(tmp_path: Path) -> str:
    """Return the URL of a database already at the newest schema (cloned: faster than upgrading)."""
    server = server_url()
    if server is None:
        target = tmp_path / "ladder.db"
        shutil.copyfile(_sqlite_template(), target)
        return f"sqlite:///{target}"
    return _create(server, template=_postgres_template(server))


def _admin_conninfo(server: str) -> str:
    return make_url(server).set(drivername="postgresql").render_as_string(hide_password=False)


def _create(server: str, *, template: str | None) -> str:
    _sweep_once(server)
    name = f"{PREFIX}{os.getpid()}_{next(_numbers)}"
    statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template is not None:
        statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
    with psycopg.connect(_admin_conninfo(server), autocommit=True) as connection:
        connection.execute(statement)
    url = make_url(server).set(drivername="postgresql+psycopg", database=name)
    return url.render_as_string(hide_password=False)


@cache
def _postgres_template(server: str) -> str:
    name = _create(server, template=None)
    upgrade(name)
    return str(make_url(name).database)


@cache
def _sqlite_template() -> Path:
    folder = Path(tempfile.gettempdir()) / f"{PREFIX}{os.getpid()}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "template.db"
    upgrade(f"sqlite:///{path}")
    atexit.register(shutil.rmtree, folder, ignore_errors=True)
    return path


@cache
def _sweep_once(server: str) -> None:
    """Drop databases of dead test processes now, and this process's own at exit."""
    _drop_where(server, lambda pid: not _alive(pid))
    atexit.register(_drop_where, server, lambda pid: pid == os.getpid())


def _drop_where(server: str, doomed: Callable[[int], bool]) -> None:
    with psycopg.connect(_admin_conninfo(server), autocommit=True) as connection:
        names = [
            row[0]
            for row in connection.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s", (PREFIX + "%",)
            )
        ]
        for name in names:
            pid = name.removeprefix(PREFIX).split("_", 1)[0]
            if pid.isdigit() and doomed(int(pid)):
                try:
                    connection.execute(
                        sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                    )
                except psycopg.Error as error:  # still in use by a session we may not end
                    print(f"tests/db.py: left {name} behind: {error}", file=sys.stderr)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
