"""Example bodies for the OpenAPI document (validated against their schemas by the suite)."""

RELEASE_FILE = {
    "id": "16", "name": "~/static/app.min.js.map", "dist": None,
    "headers": {"Content-Type": "application/json"}, "size": 1024,
    "sha1": "a9993e364706816aba3e25717850c26c9cd0d89d", "dateCreated": "2026-12-03T10:40:00Z",
}

DEBUG_FILE = {
    "id": "7", "uuid": "d50e6bca-81a4-662b-8461-e1c5e27f157b",
    "debugId": "d50e6bca-81a4-662b-8461-e1c5e27f157b",
    "codeId": "ca6b0ed5a4812b668461e1c5e27f157b8422d5bd", "cpuName": "x86_64",
    "objectName": "libapp.so", "symbolType": "elf", "headers": {"Content-Type": "application/x-elf-binary"},
    "size": 41584, "sha1": "ac40db6f7fff550f82c63242f618e2d3987cc3c7",
    "dateCreated": "2026-12-03T10:50:00Z", "data": {"type": "lib", "features": ["debug", "symtab", "unwind"]},
}

SOURCE_MAP_DEBUG = {
    "dist": None, "release": "shop@1.0.0",
    "exceptions": [{"frames": [{
        "debug_id_process": {"debug_id": "f206e0e7-3d0c-41cb-bccc-11b716728e27",
                             "uploaded_source_file_with_correct_debug_id": True,
                             "uploaded_source_map_with_correct_debug_id": True},
        "release_process": {"abs_path": "https://shop.example.com/static/app.min.js",
                            "matching_source_file_names": ["https://shop.example.com/static/app.min.js",
                                                           "~/static/app.min.js"],
                            "matching_source_map_name": "~/static/app.min.js.map",
                            "source_map_reference": "app.min.js.map",
                            "source_file_lookup_result": "found", "source_map_lookup_result": "found"},
        "scraping_process": {"source_file": None, "source_map": None}}]}],
    "has_debug_ids": True, "min_debug_id_sdk_version": "7.56.0", "sdk_version": "8.40.0",
    "project_has_some_artifact_bundle": True, "release_has_some_artifact": True,
    "has_uploaded_some_artifact_with_a_debug_id": True, "sdk_debug_id_support": "full",
    "has_scraping_data": False,
}
