"""The server's root: ``/`` sends a browser to the web app (or the docs page) and tells a JSON client where the
API is; ``/favicon.ico`` is the icon browsers ask every page for."""

from __future__ import annotations

from flask import jsonify, redirect, request

from ..openapi.docs import DOCS_PREFIX

#: What ``GET /`` answers a client that does not prefer HTML.
INDEX = {"api": "/api/0/", "docs": f"{DOCS_PREFIX}/"}


def root():
    """Browsers (HTML preferred) get the web app (the docs without it); everyone else gets
    the index as JSON."""
    if request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html":
        from ..ui.pages import root_page

        return root_page() or redirect(INDEX["docs"], 302)
    return jsonify(INDEX)


def favicon():
    from flask import current_app

    return current_app.send_static_file("favicon.ico")


def register_root(app) -> None:
    app.add_url_rule("/", "root", root, methods=["GET"])
    app.add_url_rule("/favicon.ico", "favicon", favicon, methods=["GET"])
