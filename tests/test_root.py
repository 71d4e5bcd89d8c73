"""The server's root: browsers get the web app (through sign-in), JSON clients an index; a
favicon. Without the web app, browsers get the docs (tests/ui/test_pages.py)."""

import pytest

pytestmark = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"


def test_a_browser_is_sent_to_the_web_app_through_sign_in(client):
    response = client.get("/", headers={"Accept": BROWSER_ACCEPT})
    assert response.status_code == 302
    assert response.headers["Location"] == "/auth/login/?next=/"


@pytest.mark.parametrize("accept", [None, "*/*", "application/json"])
def test_a_json_client_gets_the_index(client, accept):
    response = client.get("/", headers={"Accept": accept} if accept else {})
    assert response.status_code == 200
    assert response.json == {"api": "/api/0/", "docs": "/api/docs/"}


def test_the_index_points_at_pages_that_answer(client):
    index = client.get("/", headers={"Accept": "application/json"}).json
    assert client.get(index["api"]).status_code == 200
    assert client.get(index["docs"]).status_code == 200


def test_a_favicon_is_served(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response.content_type == "image/vnd.microsoft.icon"
    assert response.data[:4] == b"\x00\x00\x01\x00"  # an ICO file with its header


def test_other_methods_on_the_root_are_refused(client):
    response = client.post("/")
    assert response.status_code == 405
    assert "detail" in response.json
