"""One HTTP attempt: POST the body to the checked address, short timeout, no redirects."""

from __future__ import annotations

import time
from dataclasses import dataclass

import urllib3

from . import ssrf

#: How much of the receiver's answer the delivery log keeps.
RESPONSE_BODY_LIMIT = 1024
#: Statuses worth retrying: the receiver is busy or broken for now.
RETRY_STATUSES = frozenset({408, 425, 429, 500, 502, 503, 504})


@dataclass(frozen=True)
class Result:
    success: bool
    status_code: int | None
    duration_ms: int
    response_body: str | None
    error: str | None
    #: Worth another attempt later (timeouts, refused connections, 5xx, 429).
    retry: bool = False
    #: The receiver said the hook is gone for good (410): disable it.
    gone: bool = False


def post(target: ssrf.Target, body: bytes, headers: dict[str, str], timeout: float) -> Result:
    """POST ``body``; never raises. Redirects are not followed (a 3xx is a failure)."""
    started = time.monotonic()
    host_header = target.host if target.port in (80, 443) else f"{target.host}:{target.port}"
    if ":" in target.host and not target.host.startswith("["):
        host_header = f"[{target.host}]" if target.port in (80, 443) else f"[{target.host}]:{target.port}"
    connect_to = target.address or target.host
    options = {"timeout": urllib3.Timeout(total=timeout), "retries": False, "maxsize": 1}
    if target.scheme == "https":
        pool = urllib3.HTTPSConnectionPool(connect_to, target.port, server_hostname=target.host,
                                           assert_hostname=target.host, cert_reqs="CERT_REQUIRED",
                                           **options)
    else:
        pool = urllib3.HTTPConnectionPool(connect_to, target.port, **options)
    try:
        response = pool.urlopen("POST", target.path, body=body, headers={**headers, "Host": host_header},
                                redirect=False, preload_content=False, assert_same_host=False)
        text = response.read(RESPONSE_BODY_LIMIT, decode_content=False).decode("utf-8", "replace")
        response.release_conn()
    except urllib3.exceptions.TimeoutError:
        return _failed(started, f"Timed out after {timeout:g} s.")
    except urllib3.exceptions.HTTPError as error:
        return _failed(started, _describe(error))
    except OSError as error:
        return _failed(started, f"{error.__class__.__name__}: {error}"[:300])
    finally:
        pool.close()
    status = response.status
    duration = _ms(started)
    if 200 <= status < 300:
        return Result(True, status, duration, text, None)
    error = f"The receiver answered HTTP {status}."
    return Result(False, status, duration, text, error, retry=status in RETRY_STATUSES, gone=status == 410)


def _failed(started: float, error: str) -> Result:
    return Result(False, None, _ms(started), None, error, retry=True)


def _describe(error: Exception) -> str:
    reason = getattr(error, "reason", None) or error
    text = str(reason)
    if "refused" in text.lower():
        return "Connection refused."
    return f"{reason.__class__.__name__}: {text}"[:300]


def _ms(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
