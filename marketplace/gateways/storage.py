"""Where files live: a local folder (one machine) or an S3-compatible bucket (several machines).

One small interface, two implementations. Each *area* is a namespace: `photos` (listing photo
renditions), `exports` (files made for download later), `backups` (database dumps). Locally an
area is a folder (photos keep UPLOAD_FOLDER, so existing files stay where they are); in S3 it is
a key prefix `STORAGE_S3_PREFIX + area + "/"` in STORAGE_S3_BUCKET.

Settings: STORAGE_S3_BUCKET (unset: local folders), STORAGE_S3_ENDPOINT_URL (MinIO, Ceph, a
provider other than AWS; unset: AWS), STORAGE_S3_REGION, STORAGE_S3_PREFIX. Credentials come the
way boto3 always finds them (AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a profile, an instance
role), never from our settings.
"""

import re
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from flask import Flask, current_app

#: what a stored name may look like: no folders, no dot-dot, nothing a URL must escape
SAFE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$")
CHUNK = 64 * 1024
AREAS = ("photos", "exports", "backups")


@dataclass
class StoredFile:
    """An object opened for reading: its bytes come from `chunks()`, once."""

    name: str
    size: int
    content_type: str
    etag: str
    chunks: Iterator[bytes]
    #: releases the file or connection when `chunks()` is not read to its end
    close: Callable[[], None]


class Storage(Protocol):
    kind: str

    def put(self, name: str, data: bytes, content_type: str) -> None: ...

    def put_file(self, name: str, path: Path, content_type: str) -> None: ...

    def open(self, name: str) -> StoredFile | None: ...

    def size(self, name: str) -> int | None: ...

    def delete(self, name: str) -> None: ...

    def names(self) -> list[str]: ...


def check_name(name: str) -> str:
    """`name`, or ValueError when it could reach outside its area."""
    if not SAFE_NAME.match(name) or ".." in name:
        raise ValueError(f"not a storable name: {name!r}")
    return name


class LocalStorage:
    """An area as a folder on this machine's disk."""

    kind = "local"

    def __init__(self, folder: str | Path):
        self.folder = Path(folder)

    def _path(self, name: str) -> Path:
        self.folder.mkdir(parents=True, exist_ok=True)
        return self.folder / check_name(name)

    def put(self, name: str, data: bytes, content_type: str) -> None:
        path = self._path(name)
        partial = path.with_name(path.name + ".partial")
        partial.write_bytes(data)
        partial.replace(path)  # readers never see half a file

    def put_file(self, name: str, path: Path, content_type: str) -> None:
        target = self._path(name)
        if Path(path).resolve() != target.resolve():
            shutil.copyfile(path, target)

    def open(self, name: str) -> StoredFile | None:
        try:
            path = self._path(name)
            stat = path.stat()
            handle = path.open("rb")
        except (ValueError, OSError):
            return None

        def chunks():
            with handle:
                while block := handle.read(CHUNK):
                    yield block

        etag = f'"{stat.st_size:x}-{int(stat.st_mtime):x}"'
        return StoredFile(name, stat.st_size, _content_type(name), etag, chunks(), handle.close)

    def size(self, name: str) -> int | None:
        try:
            return self._path(name).stat().st_size
        except (ValueError, OSError):
            return None

    def delete(self, name: str) -> None:
        try:
            self._path(name).unlink(missing_ok=True)
        except ValueError:
            pass

    def names(self) -> list[str]:
        if not self.folder.is_dir():
            return []
        return sorted(
            p.name for p in self.folder.iterdir() if p.is_file() and SAFE_NAME.match(p.name)
        )


class S3Storage:
    """An area as a key prefix in a bucket, through boto3 (any S3-compatible server)."""

    kind = "s3"

    def __init__(self, client, bucket: str, prefix: str):
        self.client, self.bucket, self.prefix = client, bucket, prefix

    def _key(self, name: str) -> str:
        return self.prefix + check_name(name)

    def put(self, name: str, data: bytes, content_type: str) -> None:
        self.client.put_object(
            Bucket=self.bucket, Key=self._key(name), Body=data, ContentType=content_type
        )

    def put_file(self, name: str, path: Path, content_type: str) -> None:
        self.client.upload_file(
            str(path), self.bucket, self._key(name), ExtraArgs={"ContentType": content_type}
        )

    def open(self, name: str) -> StoredFile | None:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self._key(name))
        except ValueError:
            return None
        except self.client.exceptions.NoSuchKey:
            return None
        body = answer["Body"]

        def chunks():
            try:
                yield from body.iter_chunks(CHUNK)
            finally:
                body.close()

        return StoredFile(
            name,
            int(answer["ContentLength"]),
            answer.get("ContentType") or _content_type(name),
            answer.get("ETag") or "",
            chunks(),
            body.close,
        )

    def size(self, name: str) -> int | None:
        from botocore.exceptions import ClientError

        try:
            return int(
                self.client.head_object(Bucket=self.bucket, Key=self._key(name))["ContentLength"]
            )
        except ValueError:
            return None
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise

    def delete(self, name: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(name))

    def names(self) -> list[str]:
        found = []
        for page in self.client.get_paginator("list_objects_v2").paginate(
            Bucket=self.bucket, Prefix=self.prefix
        ):
            found += [item["Key"][len(self.prefix) :] for item in page.get("Contents", [])]
        return sorted(found)


def _content_type(name: str) -> str:
    return {
        ".jpg": "image/jpeg",
        ".png": "image/png",
        ".csv": "text/csv",
        ".pdf": "application/pdf",
    }.get(Path(name).suffix.lower(), "application/octet-stream")


def s3_client(config):
    """A boto3 S3 client for the app's settings (credentials: boto3's usual chain)."""
    import boto3
    from botocore.config import Config as BotoConfig

    return boto3.client(
        "s3",
        endpoint_url=config.get("STORAGE_S3_ENDPOINT_URL") or None,
        region_name=config.get("STORAGE_S3_REGION") or None,
        config=BotoConfig(
            retries={"max_attempts": 3, "mode": "standard"},
            connect_timeout=5,
            read_timeout=30,
            s3={"addressing_style": "path"},
        ),
    )


def local_folder(app: Flask, area: str) -> Path:
    """The folder of `area` on this machine (photos: UPLOAD_FOLDER, as before)."""
    if area == "photos":
        return Path(app.config["UPLOAD_FOLDER"])
    setting = {"exports": "EXPORTS_FOLDER", "backups": "BACKUP_FOLDER"}[area]
    return Path(app.config.get(setting) or Path(app.instance_path) / area)


def uses_s3(app: Flask) -> bool:
    return bool(app.config.get("STORAGE_S3_BUCKET"))


def storage_for(app: Flask, area: str) -> Storage:
    """`app`'s storage for `area`, made once per app and area (boto3 clients are thread-safe)."""
    if area not in AREAS:
        raise ValueError(f"unknown storage area {area!r}")
    cache = app.extensions.setdefault("storage", {})
    if area not in cache:
        if uses_s3(app):
            if "client" not in cache:
                cache["client"] = s3_client(app.config)
            prefix = (app.config.get("STORAGE_S3_PREFIX") or "") + f"{area}/"
            cache[area] = S3Storage(cache["client"], app.config["STORAGE_S3_BUCKET"], prefix)
        else:
            cache[area] = LocalStorage(local_folder(app, area))
    return cache[area]


def storage(area: str) -> Storage:
    """The current app's storage for `area`."""
    return storage_for(current_app._get_current_object(), area)
