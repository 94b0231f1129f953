"""
Backup and restore of the whole database, history included.

SQLite: the online backup API (a consistent copy while the site runs). PostgreSQL: pg_dump in
its custom format and pg_restore; both tools must be on PATH (Debian: postgresql-client) and
of the server's major version or newer.
"""

import shutil
import sqlite3
import subprocess
from pathlib import Path

import dj_database_url
from django.db import connection


class BackupError(Exception):
    pass


def _vendor(config):
    engine = config["ENGINE"]
    if engine.endswith("sqlite3"):
        return "sqlite"
    if engine.endswith("postgresql"):
        return "postgresql"
    raise BackupError(f"no backup method for {engine}")


def _pg_env_and_args(config):
    args = ["--dbname", config["NAME"]]
    if config.get("HOST"):
        args += ["--host", str(config["HOST"])]
    if config.get("PORT"):
        args += ["--port", str(config["PORT"])]
    if config.get("USER"):
        args += ["--username", config["USER"]]
    env = {"PGPASSWORD": config["PASSWORD"]} if config.get("PASSWORD") else {}
    return env, args


def _run(command, env):
    import os

    tool = command[0]
    if shutil.which(tool) is None:
        raise BackupError(f"{tool} is not installed (Debian: apt-get install postgresql-client)")
    result = subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{tool} failed: {result.stderr.strip()[:500]}")


def backup(path):
    """Write a backup of the default database to ``path``."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    config = connection.settings_dict
    if _vendor(config) == "sqlite":
        connection.ensure_connection()
        target = sqlite3.connect(path)
        try:
            connection.connection.backup(target)
        finally:
            target.close()
    else:
        env, args = _pg_env_and_args(config)
        _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(path), *args], env)
    return path


def restore(path, database_url=None):
    """Restore ``path`` into the database at ``database_url`` (default: the configured one).

    Everything in the target is replaced by the backup's content.
    """
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"no backup file at {path}")
    config = dj_database_url.parse(database_url) if database_url else dict(connection.settings_dict)
    if _vendor(config) == "sqlite":
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                raise BackupError(f"{path} is not a sound SQLite database")
            if database_url or config["NAME"] != connection.settings_dict["NAME"]:
                target = sqlite3.connect(config["NAME"])
                try:
                    source.backup(target)
                finally:
                    target.close()
            else:
                connection.ensure_connection()
                source.backup(connection.connection)
        except sqlite3.DatabaseError as exc:
            raise BackupError(f"{path} is not a SQLite database: {exc}") from None
        finally:
            source.close()
    else:
        env, args = _pg_env_and_args(config)
        _run(
            [
                "pg_restore",
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                *args,
                str(path),
            ],
            env,
        )
