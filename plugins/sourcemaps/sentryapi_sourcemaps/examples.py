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
