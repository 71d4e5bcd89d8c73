"""Flask's signed-cookie sessions, without their cost on requests that carry no cookie.

Only the browser pages (sign-in, OAuth consent) use a session; API clients and SDKs never
send one. Flask's interface builds a signing serializer (key derivation included) on every
request to read a cookie that is not there; this one skips that when the cookie is absent.
"""

from __future__ import annotations

from flask.sessions import SecureCookieSessionInterface


class SessionInterface(SecureCookieSessionInterface):
    def open_session(self, app, request):
        if self.get_cookie_name(app) not in request.cookies:
            return self.session_class()
        return super().open_session(app, request)
