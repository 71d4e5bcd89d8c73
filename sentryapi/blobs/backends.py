"""The blob store's two backends, bytes by key.

- ``FilesystemStore`` (the embedded default): one file per key under a folder, written to
  a temporary name and renamed, so a reader never sees half a file. Like SQLite with
  ``synchronous=NORMAL``, it survives a killed process.
- ``S3Store``: an S3-compatible object store through boto3, for several app hosts sharing
  the files (AWS S3, MinIO, Ceph, Garage...).
"""

from __future__ import annotations

import os
import uuid
from typing import Protocol


class BlobStore(Protocol):
    def put(self, key: str, data: bytes) -> None:
        """Store ``data`` under ``key``; return once it is written."""

    def get(self, key: str) -> bytes:
        """The bytes under ``key`` (``KeyError`` when missing)."""

    def exists(self, key: str) -> bool:
        """Whether something is stored under ``key``."""

    def delete(self, keys: list[str]) -> None:
        """Remove these keys; a missing one is no error."""


class FilesystemStore:
    def __init__(self, root: str):
        self.root = os.path.abspath(root)

    def _path(self, key: str) -> str:
        path = os.path.abspath(os.path.join(self.root, key))
        if not path.startswith(self.root + os.sep):
            raise KeyError(key)  # keys are ours, but never step outside the root
        return path

    def put(self, key: str, data: bytes) -> None:
        path = self._path(key)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        partial = f"{path}.{uuid.uuid4().hex[:8]}.partial"
        with open(partial, "wb") as handle:
            handle.write(data)
        os.replace(partial, path)

    def get(self, key: str) -> bytes:
        try:
            with open(self._path(key), "rb") as handle:
                return handle.read()
        except FileNotFoundError:
            raise KeyError(key) from None

    def exists(self, key: str) -> bool:
        return os.path.isfile(self._path(key))

    def delete(self, keys: list[str]) -> None:
        for key in keys:
            try:
                os.remove(self._path(key))
            except (FileNotFoundError, KeyError):
                pass


class S3Store:
    """An S3 bucket (or a prefix of one) through boto3; boto3 is imported only when used."""

    #: DeleteObjects takes at most this many keys per call.
    DELETE_BATCH = 1000

    def __init__(self, bucket: str, *, endpoint_url=None, region=None, access_key_id=None,
                 secret_access_key=None, prefix: str = ""):
        import boto3
        from botocore.config import Config

        self.bucket, self.prefix = bucket, prefix or ""
        self.client = boto3.client(
            "s3", endpoint_url=endpoint_url or None, region_name=region or None,
            aws_access_key_id=access_key_id or None,
            aws_secret_access_key=secret_access_key or None,
            config=Config(retries={"max_attempts": 3, "mode": "standard"},
                          connect_timeout=5, read_timeout=30))

    def put(self, key: str, data: bytes) -> None:
        self.client.put_object(Bucket=self.bucket, Key=self.prefix + key, Body=data)

    def get(self, key: str) -> bytes:
        try:
            answer = self.client.get_object(Bucket=self.bucket, Key=self.prefix + key)
        except self.client.exceptions.NoSuchKey:
            raise KeyError(key) from None
        return answer["Body"].read()

    def exists(self, key: str) -> bool:
        from botocore.exceptions import ClientError

        try:
            self.client.head_object(Bucket=self.bucket, Key=self.prefix + key)
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return False
            raise
        return True

    def delete(self, keys: list[str]) -> None:
        for start in range(0, len(keys), self.DELETE_BATCH):
            batch = keys[start:start + self.DELETE_BATCH]
            self.client.delete_objects(Bucket=self.bucket, Delete={
                "Objects": [{"Key": self.prefix + key} for key in batch], "Quiet": True})
