"""Release versions: which are allowed, and ``versionInfo`` (package, semver, build).

A version is ``[package@]version[+build]``, e.g. ``frontend@1.2.3-rc.1+456``; the part
after ``@`` is read as a (loose) semantic version when it looks like one, or as a build
hash when it is 12 to 40 hex digits. Sentry renders the result as ``versionInfo``.

Unlike Sentry, a ``/`` is allowed in a version (the issue asks for it; URLs carry it
percent-encoded and the routes take it with a ``path`` converter). The other characters
Sentry refuses still are.
"""

from __future__ import annotations

import re

MAX_VERSION_LENGTH = 200
#: Sentry's refused characters, less ``/``.
BAD_CHARS = frozenset("\r\n\f\x0c\t\\")
RESERVED = (".", "..", "latest")
#: Sub-resources of a release: a version ending so could not be addressed.
SUBRESOURCE_SUFFIXES = ("/deploys", "/commits")

SEMVER_RE = re.compile(
    r"^v?(?P<major>0|[1-9]\d*)(?:\.(?P<minor>0|[1-9]\d*))?(?:\.(?P<patch>0|[1-9]\d*))?"
    r"(?:\.(?P<revision>0|[1-9]\d*))?"
    r"(?:-?(?P<pre>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?"
    r"(?:\+(?P<build>[0-9A-Za-z-]+(?:\.[0-9A-Za-z-]+)*))?$"
)
BUILD_HASH_RE = re.compile(r"^[0-9a-fA-F]{12,40}$")


def version_error(version: str) -> str | None:
    """Why ``version`` cannot name a release, or ``None``."""
    stripped = version.strip()
    if (not stripped or any(char in BAD_CHARS for char in version)
            or stripped in RESERVED[:2] or stripped.lower() == RESERVED[2]
            or version.endswith(SUBRESOURCE_SUFFIXES)):
        return f"Release with name {version} is not allowed"
    if len(version) > MAX_VERSION_LENGTH:
        return f"Ensure this field has no more than {MAX_VERSION_LENGTH} characters."
    return None


def version_info(version: str) -> dict | None:
    """Sentry's ``versionInfo`` for a version (``None`` if it is not a valid one)."""
    if version_error(version):
        return None
    package, at, raw = version.strip().partition("@")
    if not at or not package or not raw:
        package, raw = None, version.strip()
    parsed = SEMVER_RE.match(raw)
    build_hash = raw if parsed is None and BUILD_HASH_RE.match(raw) else None
    info = {"package": package, "version": {"raw": raw}, "description": raw,
            "buildHash": build_hash}
    if build_hash:
        info["description"] = build_hash[:12]
    if parsed is not None:
        parts = parsed.groupdict()
        components = sum(parts[k] is not None for k in ("major", "minor", "patch", "revision"))
        info["version"].update({
            "major": int(parts["major"]), "minor": int(parts["minor"] or 0),
            "patch": int(parts["patch"] or 0), "pre": parts["pre"],
            "buildCode": parts["build"], "components": components,
        })
        short = raw.split("+", 1)[0]
        info["description"] = f"{short} ({parts['build']})" if parts["build"] else short
    return info
