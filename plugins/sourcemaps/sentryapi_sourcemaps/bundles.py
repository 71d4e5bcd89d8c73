"""Artifact bundles: the zip sentry-cli builds (``manifest.json`` + files), read safely.

The manifest names each file's URL (``~/static/app.min.js``), its ``type``
(``minified_source``, ``source_map``, ...) and headers (``debug-id``, ``sourcemap``).
"""

from __future__ import annotations

import io
import json
import re
import uuid
import zipfile
import zlib
from dataclasses import dataclass

MAX_MANIFEST_SIZE = 16 * 1024 * 1024
MAX_FILES = 100_000
DEBUG_ID = re.compile(r"^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}")


class InvalidBundle(ValueError):
    """Not an artifact bundle (the assemble state's ``detail``)."""


def normalize_debug_id(value) -> str | None:
    """Sentry's debug id form: a lowercase UUID (an appendix after it is dropped)."""
    if not isinstance(value, str) or not DEBUG_ID.match(value.strip()):
        return None
    return str(uuid.UUID(DEBUG_ID.match(value.strip()).group(0)))


@dataclass(frozen=True)
class BundleFile:
    path: str
    url: str
    type: str
    headers: dict

    @property
    def debug_id(self) -> str | None:
        return normalize_debug_id(self.headers.get("debug-id") or self.headers.get("debug_id"))


class Bundle:
    """A bundle's files by path, URL and debug id; file contents read on demand."""

    def __init__(self, data: bytes):
        try:
            self._zip = zipfile.ZipFile(io.BytesIO(data))
            info = self._zip.getinfo("manifest.json")
            if info.file_size > MAX_MANIFEST_SIZE:
                raise InvalidBundle("The bundle's manifest is too large.")
            manifest = json.loads(self._zip.read(info))
        except (zipfile.BadZipFile, KeyError, ValueError, EOFError) as error:
            if isinstance(error, InvalidBundle):
                raise
            raise InvalidBundle("Not an artifact bundle (a zip with a manifest.json).") from None
        if not isinstance(manifest, dict) or not isinstance(manifest.get("files", {}), dict):
            raise InvalidBundle("The bundle's manifest has no files.")
        self.manifest = manifest
        self.files: list[BundleFile] = []
        for path, entry in list(manifest.get("files", {}).items())[:MAX_FILES]:
            if not isinstance(entry, dict):
                continue
            headers = entry.get("headers") if isinstance(entry.get("headers"), dict) else {}
            self.files.append(BundleFile(str(path), str(entry.get("url") or ""),
                                         str(entry.get("type") or ""),
                                         {str(k).lower(): v for k, v in headers.items()}))
        self.size = len(data)

    @property
    def bundle_id(self) -> str:
        return normalize_debug_id(self.manifest.get("debug_id")) or str(uuid.uuid4())

    def by_url(self, url: str) -> BundleFile | None:
        for file in self.files:
            if file.url == url:
                return file
        return None

    def by_debug_id(self, debug_id: str, file_type: str) -> BundleFile | None:
        for file in self.files:
            if file.debug_id == debug_id and file.type == file_type:
                return file
        return None

    def read(self, file: BundleFile, limit: int) -> bytes | None:
        """The file's bytes, or ``None`` when absent or larger than ``limit``."""
        try:
            info = self._zip.getinfo(file.path)
            if info.file_size > limit:
                return None
            return self._zip.read(info)
        except (KeyError, zipfile.BadZipFile, ValueError, EOFError, zlib.error):
            return None

