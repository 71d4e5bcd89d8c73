"""The SSRF guard: a hook may only point at a public address.

A URL is checked when a hook is created or changed, and again before every delivery
(DNS may answer differently by then); the delivery then connects to the address that
was checked, so a second lookup cannot swap in another one. Loopback, private,
link-local (cloud metadata at 169.254.169.254), shared, reserved, multicast and
unspecified addresses are refused, IPv4-mapped IPv6 included, unless the setting
``SENTRYAPI_WEBHOOK_ALLOW_PRIVATE=1`` allows them (local setups, tests).

``SENTRYAPI_WEBHOOK_LOOPBACK_ONLY=1`` goes the other way: deliveries go to this machine's
loopback addresses only (the test kit and ``check-plugin`` set it, so their hooks never
send a request off the machine).
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_URL_LENGTH = 512
INVALID_URL = "Enter a valid URL."


class UnsafeURL(ValueError):
    """The URL is malformed, does not resolve, or resolves to a refused address."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    #: The address to connect to (checked), or ``None`` to let the connection resolve it.
    address: str | None


def parse(url: str) -> Target:
    """The parts of an http(s) URL, or :class:`UnsafeURL` with a message for the caller."""
    if not isinstance(url, str) or len(url) > MAX_URL_LENGTH or any(c.isspace() for c in url):
        raise UnsafeURL(INVALID_URL)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise UnsafeURL(INVALID_URL) from None
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        raise UnsafeURL(INVALID_URL)
    host = parts.hostname
    try:
        host.encode("idna")
    except UnicodeError:
        raise UnsafeURL(INVALID_URL) from None
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(parts.scheme, host, port or (443 if parts.scheme == "https" else 80), path, None)


def refused(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


def require_loopback(target: Target) -> Target:
    """``target`` if every address its host resolves to is a loopback one; else UnsafeURL."""
    try:
        infos = socket.getaddrinfo(target.address or target.host, target.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise UnsafeURL(f"The host {target.host!r} could not be resolved.") from None
    addresses = [info[4][0] for info in infos]
    if not addresses or not all(ipaddress.ip_address(a.split("%")[0]).is_loopback for a in addresses):
        raise UnsafeURL("Deliveries go to loopback addresses only on this server "
                        "(SENTRYAPI_WEBHOOK_LOOPBACK_ONLY).")
    return Target(target.scheme, target.host, target.port, target.path, addresses[0])


def resolve(url: str, *, allow_private: bool) -> Target:
    """Parse ``url`` and pick the address to deliver to; :class:`UnsafeURL` if refused.

    Every address the name resolves to must be public: a name that also points at an
    internal address is refused as a whole.
    """
    target = parse(url)
    if allow_private:
        return target
    try:
        infos = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise UnsafeURL(f"The host {target.host!r} could not be resolved.") from None
    addresses = [info[4][0] for info in infos]
    if not addresses or any(refused(a) for a in addresses):
        raise UnsafeURL("The URL resolves to a private, loopback or reserved address; "
                        "webhooks are only sent to public addresses.")
    return Target(target.scheme, target.host, target.port, target.path, addresses[0])
