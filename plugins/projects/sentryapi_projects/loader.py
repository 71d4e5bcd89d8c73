"""The JavaScript SDK loader a key's ``dsn.cdn`` names: ``/js-sdk-loader/<public key>.min.js``.

A page includes it as its first script; it loads Sentry's browser SDK bundle (the key's
``browserSdkVersion``, with tracing and replay as its ``dynamicSdkLoaderOptions`` say)
and initializes it with the key's DSN. ``Sentry.onLoad(fn)`` runs ``fn`` once the SDK is
there, before the loader's own ``Sentry.init`` (a callback that calls ``Sentry.init``
itself wins). The bundles come from Sentry's CDN; ``JS_SDK_LOADER_VERSIONS`` maps each
``browserSdkVersion`` to a concrete SDK version and ``JS_SDK_LOADER_CDN`` the CDN's base.
"""

from __future__ import annotations

import json

from flask import Blueprint, Response, current_app, jsonify
from sqlalchemy import select

from sentryapi.api import db

from .ingest import PUBLIC_KEY_RE
from .keys import DEFAULT_LOADER_OPTIONS, dsn_urls
from .models import ACTIVE, Project, ProjectKey

PREFIX = "/js-sdk-loader/"
#: ``browserSdkVersion`` -> the SDK release served (settings may pin newer ones).
DEFAULT_VERSIONS = {"latest": "8.37.1", "7.x": "7.120.3"}
DEFAULT_CDN = "https://browser.sentry-cdn.com"
#: Browsers and proxies may keep it an hour: a key's new settings show within that.
CACHE_CONTROL = "public, max-age=3600"

bp = Blueprint("js_sdk_loader", __name__)

TEMPLATE = """/* Sentry JavaScript SDK loader (sentryapi) */
(function (w, d, config) {
  var S = (w.Sentry = w.Sentry || {});
  var callbacks = [];
  S.onLoad = S.onLoad || function (callback) { callbacks.push(callback); };
  var script = d.createElement("script");
  script.src = config.bundle;
  script.crossOrigin = "anonymous";
  script.onload = function () {
    for (var i = 0; i < callbacks.length; i++) callbacks[i]();
    var sdk = w.Sentry;
    if (sdk.getClient && sdk.getClient()) return;  /* an onLoad callback initialized it */
    var options = {dsn: config.dsn, debug: config.debug, integrations: []};
    if (config.tracing && sdk.browserTracingIntegration) {
      options.integrations.push(sdk.browserTracingIntegration());
      options.tracesSampleRate = 1.0;
    }
    if (config.replay && sdk.replayIntegration) {
      options.integrations.push(sdk.replayIntegration());
      options.replaysSessionSampleRate = 0.1;
      options.replaysOnErrorSampleRate = 1.0;
    }
    sdk.init(options);
  };
  (d.head || d.getElementsByTagName("head")[0]).appendChild(script);
})(window, document, %s);
"""


def loader_config(key: ProjectKey) -> dict:
    """What the script needs: the DSN and the bundle's URL, from the key's settings."""
    options = {**DEFAULT_LOADER_OPTIONS, **(key.loader_options or {})}
    versions = {**DEFAULT_VERSIONS, **current_app.config.get("JS_SDK_LOADER_VERSIONS", {})}
    version = versions.get(key.browser_sdk_version, versions["latest"])
    parts = [p for p, on in (("tracing", options["hasPerformance"]), ("replay", options["hasReplay"])) if on]
    bundle = ".".join(["bundle", *parts, "min", "js"])
    cdn = current_app.config.get("JS_SDK_LOADER_CDN", DEFAULT_CDN).rstrip("/")
    return {"dsn": dsn_urls(key.public_key, key.project_id)["public"],
            "bundle": f"{cdn}/{version}/{bundle}", "debug": bool(options["hasDebug"]),
            "tracing": bool(options["hasPerformance"]), "replay": bool(options["hasReplay"])}


@bp.route(PREFIX + "<name>")
def js_sdk_loader(name: str):
    public_key = name.removesuffix(".js").removesuffix(".min")
    if not name.endswith(".js") or not PUBLIC_KEY_RE.match(public_key):
        return _not_found()
    key = db.session.scalar(select(ProjectKey).join(Project, Project.id == ProjectKey.project_id)
                            .where(ProjectKey.public_key == public_key.lower(),
                                   ProjectKey.is_active.is_(True), Project.status == ACTIVE))
    if key is None:
        return _not_found()
    body = TEMPLATE % json.dumps(loader_config(key), sort_keys=True)
    return Response(body, mimetype="text/javascript", headers={"Cache-Control": CACHE_CONTROL})


def _not_found():
    response = jsonify({"detail": "Unknown or disabled client key."})
    response.status_code = 404
    return response
