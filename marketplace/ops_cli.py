"""Operations from the command line: photos into object storage, database backups.

`flask storage migrate-photos` copies the photos of UPLOAD_FOLDER into the S3 bucket (a file
already there with the same size is skipped, so a second run copies nothing).
`flask backup run` writes a `pg_dump --format=custom` file to BACKUP_FOLDER, copies it to the
bucket's `backups/` area when S3 storage is set, and deletes dumps older than BACKUP_KEEP_DAYS
(the newest is always kept). deploy/marketplace-backup.timer runs it nightly; docs/deploy.md has
the restore steps, and tests/deploy/test_backup_restore.py rehearses them.
"""

import os
import re
import shutil
import subprocess
from datetime import UTC, datetime, timedelta
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy.engine import make_url

from .gateways.storage import storage, uses_s3

DUMP_NAME = re.compile(r"^marketplace-(\d{8}T\d{6}Z)\.dump$")


@click.group("storage", help="Files in object storage (photos, exports).")
def storage_cli():
    pass


@storage_cli.command("migrate-photos", help="Copy local photos into the S3 bucket (idempotent).")
@click.option("--remove-local", is_flag=True, help="Delete each local file once it is in S3.")
@with_appcontext
def migrate_photos(remove_local: bool):
    from .gateways.storage import LocalStorage

    app = current_app._get_current_object()
    if not uses_s3(app):
        raise click.ClickException("STORAGE_S3_BUCKET is not set: photos already are local")
    local = LocalStorage(app.config["UPLOAD_FOLDER"])
    bucket = storage("photos")
    copied = present = 0
    for name in local.names():
        size = local.size(name)
        if bucket.size(name) == size:
            present += 1
        else:
            bucket.put_file(name, local.folder / name, "image/jpeg")
            copied += 1
        if remove_local and bucket.size(name) == size:
            local.delete(name)
    click.echo(f"photos copied: {copied}, already in the bucket: {present}")


# -- backups --------------------------------------------------------------------------------


def libpq_target(url: str) -> tuple[str, dict]:
    """(connection URI for pg_dump/pg_restore, extra environment) for a SQLAlchemy URL; the
    password goes through PGPASSWORD, never on a command line that `ps` shows."""
    parsed = make_url(url)
    if not parsed.drivername.startswith("postgresql"):
        raise click.ClickException("backups need PostgreSQL (DATABASE_URL)")
    env = {"PGPASSWORD": parsed.password} if parsed.password else {}
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env


def dump_database(url: str, folder: Path, *, now: datetime | None = None) -> Path:
    """Write a custom-format dump of `url` into `folder`; the file appears whole or not at all."""
    if shutil.which("pg_dump") is None:
        raise click.ClickException("pg_dump is not installed (postgresql-client)")
    now = now or datetime.now(UTC)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"marketplace-{now:%Y%m%dT%H%M%SZ}.dump"
    partial = target.with_name(target.name + ".partial")
    dsn, env = libpq_target(url)
    result = subprocess.run(
        ["pg_dump", "--format=custom", "--file", str(partial), dsn],
        env=os.environ | env,
        capture_output=True,
        text=True,
    )
    if result.returncode != 0:
        partial.unlink(missing_ok=True)
        raise click.ClickException(f"pg_dump failed: {result.stderr.strip()}")
    partial.replace(target)
    return target


def expired(names: list[str], keep_days: int, now: datetime) -> list[str]:
    """Dump names older than `keep_days`, never the newest one."""
    dated = sorted(
        (datetime.strptime(m.group(1), "%Y%m%dT%H%M%SZ").replace(tzinfo=UTC), n)
        for n in names
        if (m := DUMP_NAME.match(n))
    )
    cutoff = now - timedelta(days=keep_days)
    return [name for when, name in dated[:-1] if when < cutoff]


@click.group("backup", help="Database backups (PostgreSQL).")
def backup_cli():
    pass


@backup_cli.command("run", help="Dump the database, copy it to S3 when set, prune old dumps.")
@click.option("--folder", type=click.Path(path_type=Path), default=None)
@click.option("--keep-days", type=int, default=None, help="Default: BACKUP_KEEP_DAYS.")
@with_appcontext
def backup_run(folder: Path | None, keep_days: int | None):
    app = current_app._get_current_object()
    folder = folder or Path(app.config["BACKUP_FOLDER"])
    keep_days = app.config["BACKUP_KEEP_DAYS"] if keep_days is None else keep_days
    now = datetime.now(UTC)
    dump = dump_database(app.config["SQLALCHEMY_DATABASE_URI"], folder, now=now)
    click.echo(f"dump: {dump} ({dump.stat().st_size} bytes)")
    places = [("local", folder)]
    if uses_s3(app):
        remote = storage("backups")
        remote.put_file(dump.name, dump, "application/octet-stream")
        click.echo(f"copied to s3://{app.config['STORAGE_S3_BUCKET']}/{remote.prefix}{dump.name}")
        places.append(("s3", remote))
    for kind, place in places:
        names = [p.name for p in folder.iterdir()] if kind == "local" else place.names()
        for name in expired(names, keep_days, now):
            if kind == "local":
                (folder / name).unlink(missing_ok=True)
            else:
                place.delete(name)
            click.echo(f"removed ({kind}): {name}")
