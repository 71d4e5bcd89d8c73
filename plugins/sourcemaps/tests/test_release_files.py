"""The legacy release files API, and events mapped through files uploaded that way."""

from __future__ import annotations

from sentryapi_sourcemaps.blobs import sha1_hex
from sentryapi_sourcemaps.testing import minified_frame, upload_release_file


def files_url(org: str, version: str, project: str | None = None) -> str:
    if project:
        return f"/api/0/projects/{org}/{project}/releases/{version}/files/"
    return f"/api/0/organizations/{org}/releases/{version}/files/"


def test_files_are_uploaded_listed_read_renamed_and_deleted(owner, create_project, create_release,
                                                            dist_bytes):
    create_project(owner, name="Shop", slug="shop")
    create_release(owner, "shop@1", ["shop"])
    url = files_url(owner.org, "shop@1")
    made = upload_release_file(owner.api, url, "~/static/app.min.js", dist_bytes("app.min.js"),
                               header=["Sourcemap:app.min.js.map", "Content-Type:text/javascript"])
    assert made.status_code == 201, made.json
    assert made.json["headers"] == {"Sourcemap": "app.min.js.map", "Content-Type": "text/javascript"}
    assert (made.json["sha1"], made.json["size"]) == (sha1_hex(dist_bytes("app.min.js")), len(dist_bytes("app.min.js")))
    assert made.json["dist"] is None
    again = upload_release_file(owner.api, url, "~/static/app.min.js", b"other")
    assert (again.status_code, again.json["detail"]) == (
        409, "A file matching this name already exists for the given release")
    in_dist = upload_release_file(owner.api, url, "~/static/app.min.js", b"other", dist="web")
    assert in_dist.status_code == 201 and in_dist.json["dist"] == "web"
    upload_release_file(owner.api, files_url(owner.org, "shop@1", "shop"), "~/static/app.min.js.map",
                        dist_bytes("app.min.js.map"))

    listed = owner.api.get(files_url(owner.org, "shop@1", "shop"))
    assert [f["name"] for f in listed.json] == ["~/static/app.min.js", "~/static/app.min.js",
                                                "~/static/app.min.js.map"]
    assert [f["name"] for f in owner.api.get(url + "?query=MAP").json] == ["~/static/app.min.js.map"]
    by_sum = owner.api.get(url + f"?checksum={made.json['sha1']}").json
    assert [f["id"] for f in by_sum] == [made.json["id"]]
    paged = owner.api.get(url + "?per_page=2")
    assert len(paged.json) == 2 and 'rel="next"; results="true"' in paged.headers["Link"]

    one = f"{url}{made.json['id']}/"
    assert owner.api.get(one).json == made.json
    download = owner.api.unchecked().get(one + "?download=1")
    assert download.data == dist_bytes("app.min.js")
    renamed = owner.api.put(one, json={"name": "~/static/app.v2.min.js"})
    assert renamed.json["name"] == "~/static/app.v2.min.js"
    assert owner.api.delete(one).status_code == 204
    assert owner.api.get(one).status_code == 404
    assert owner.api.unchecked().get(f"{url}{in_dist.json['id']}/?download=1").data == b"other"


def test_bad_uploads_and_other_tenants(owner, make_actor, create_project, create_release):
    create_project(owner, name="Shop", slug="shop")
    create_release(owner, "shop@1", ["shop"])
    url = files_url(owner.org, "shop@1")
    no_file = owner.api.post(url, data={"name": "x.js"}, content_type="multipart/form-data")
    assert (no_file.status_code, no_file.json) == (400, {"detail": "Missing uploaded file"})
    bad_header = upload_release_file(owner.api, url, "~/a.js", b"a()", header=["no colon"])
    assert bad_header.status_code == 400, bad_header.json
    as_json = owner.api.post(url, json={"name": "x"})
    assert as_json.status_code == 415
    assert upload_release_file(owner.api, files_url(owner.org, "nope@1"), "~/a.js", b"a").status_code == 404

    made = upload_release_file(owner.api, url, "~/a.js", b"a()")
    other = make_actor("owner")
    for path in (url, f"{url}{made.json['id']}/", files_url(owner.org, "shop@1", "shop")):
        assert other.api.get(path).status_code == 404
    assert upload_release_file(other.api, url, "~/b.js", b"b").status_code == 404
    assert other.api.delete(f"{url}{made.json['id']}/").status_code == 404
    assert owner.api.get(f"{url}{made.json['id']}/").status_code == 200


def test_events_are_mapped_through_release_files(app, owner, create_project, create_release, dist_bytes, send_and_read):
    create_project(owner, name="Shop", slug="shop")
    create_release(owner, "shop@1", ["shop"])
    url = files_url(owner.org, "shop@1")
    upload_release_file(owner.api, url, "~/static/app.min.js", dist_bytes("app.min.js"),
                        header=["Sourcemap: app.min.js.map"])
    upload_release_file(owner.api, url, "~/static/app.min.js.map", dist_bytes("app.min.js.map"))
    event = send_and_read(app, owner, "shop", [minified_frame("app.min.js", "c", 204), minified_frame("app.min.js", "e", 93)],
                 release="shop@1")
    frames = next(e for e in event["entries"] if e["type"] == "exception")["data"]["values"][0][
        "stacktrace"]["frames"]
    assert [(f["function"], f["lineNo"]) for f in frames] == [("checkout", 19), ("renderTotal", 9)]
    assert frames[-1]["data"]["sourcemap"] == "~/static/app.min.js.map"


def test_files_of_a_deleted_release_leave_with_the_cleanup(app, owner, create_project, create_release,
                                                            dist_bytes):
    import datetime as dt

    from sentryapi_sourcemaps.models import Blob
    from sentryapi_sourcemaps.retention import cleanup_expired
    from sqlalchemy import func, select

    from sentryapi.api import db

    create_project(owner, name="Shop", slug="shop")
    create_release(owner, "shop@1", ["shop"])
    upload_release_file(owner.api, files_url(owner.org, "shop@1"), "~/a.js", b"a()")
    assert owner.api.delete(f"/api/0/organizations/{owner.org}/releases/shop@1/").status_code == 204
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=2)
    with app.app_context():
        assert cleanup_expired(later, True, lambda n: None)["sourcemap_blobs"] == 1
        assert cleanup_expired(dt.datetime.now(dt.UTC), False, lambda n: None)["sourcemap_blobs"] == 0
        assert cleanup_expired(later, False, lambda n: None)["sourcemap_blobs"] == 1
        assert db.session.scalar(select(func.count()).select_from(Blob)) == 0
