"""Who a request counts against: the user, else the organization of an org token, else the IP.

Sentry keys its API limits the same way: every token of one user (and the user's
session) shares the user's budget; an integration acts for its organization; everything
else, including a request whose credentials were refused, counts against the client IP.
Behind a load balancer the IP is only right with ``SENTRYAPI_TRUSTED_PROXIES`` set.
"""

from __future__ import annotations

from flask import request

from ..auth.protector import peek_credentials


def caller_key() -> str:
    credentials = peek_credentials()
    if credentials is not None:
        if credentials.user is not None:
            return f"user:{credentials.user.id}"
        if credentials.organization_id is not None:
            return f"org:{credentials.organization_id}"
        return f"token:{credentials.token.id}"
    return f"ip:{request.remote_addr or 'unknown'}"
