"""Native debug information files: assembled from chunks (``sentry-cli debug-files upload``),
recognized with symbolic, stored and listed (``/files/dsyms/``). Native symbolication is
not done here."""

from __future__ import annotations

from sqlalchemy import func, or_, select
from symbolic.debuginfo import Archive

from sentryapi.api import ParseError, db, parse_query

from .assemble import ERROR, NOT_FOUND, OK, join_chunks, state
from .blobs import blobs
from .models import DebugFile

CONTENT_TYPES = {"elf": "application/x-elf-binary", "macho": "application/x-mach-binary",
                 "pe": "application/x-dosexec", "pdb": "application/x-ms-pdb",
                 "breakpad": "text/x-breakpad", "sourcebundle": "application/x-sentry-bundle+zip",
                 "wasm": "application/wasm", "portablepdb": "application/x-portable-pdb"}


def serialize_debug_file(file: DebugFile) -> dict:
    return {"id": str(file.id), "uuid": file.debug_id[:36], "debugId": file.debug_id,
            "codeId": file.code_id, "cpuName": file.cpu_name, "objectName": file.object_name,
            "symbolType": file.file_format,
            "headers": {"Content-Type": CONTENT_TYPES.get(file.file_format, "application/octet-stream")},
            "size": file.size, "sha1": file.checksum, "dateCreated": file.date_created,
            "data": file.data or {}}


def assemble_debug_file(project, checksum: str, request: dict) -> dict:
    """One entry of ``difs/assemble/``: the state, and the stored file once ``ok``."""
    chunks = request.get("chunks") or []
    name = str(request.get("name") or "unknown")[:512]
    known = db.session.scalars(select(DebugFile).where(
        DebugFile.project_id == project.id, DebugFile.checksum == checksum)).all()
    if known:
        return {**state(OK), "dif": serialize_debug_file(known[0])}
    store = blobs()
    stored = store.existing(project.organization_id, chunks)
    missing = [c for c in dict.fromkeys(chunks) if c not in stored]
    if missing or not chunks:
        return {**state(NOT_FOUND, missing), "dif": None}
    data, error = join_chunks(store, project.organization_id, chunks, checksum)
    if error:
        return {**state(ERROR, detail=error), "dif": None}
    try:
        objects = list(Archive.from_bytes(data).iter_objects())
    except Exception:  # noqa: BLE001 - symbolic has an error class per malformation
        return {**state(ERROR, detail="Unsupported debug information file"), "dif": None}
    if not objects:
        return {**state(ERROR, detail="Unsupported debug information file"), "dif": None}
    store.put(project.organization_id, checksum, data)
    made = []
    for obj in objects:
        file = DebugFile(organization_id=project.organization_id, project_id=project.id,
                         checksum=checksum, debug_id=str(obj.debug_id), code_id=obj.code_id,
                         object_name=name, cpu_name=obj.arch or "unknown", file_format=obj.file_format,
                         data={"type": obj.kind, "features": sorted(obj.features)}, size=len(data))
        db.session.add(file)
        made.append(file)
    store.delete(project.organization_id, set(chunks) - {checksum})
    db.session.commit()
    return {**state(OK), "dif": serialize_debug_file(made[0])}


def debug_files_of(project, query: str | None, debug_id: str | None, code_id: str | None,
                   file_formats: list[str]):
    stmt = select(DebugFile).where(DebugFile.project_id == project.id)
    parsed = parse_query(query)  # Sentry's syntax: free text only (quotes, escapes)
    if parsed.filters:
        raise ParseError(f"Invalid query. Unsupported key in: {parsed.filters[0].token}")
    if parsed.text:
        needle = parsed.text.lower()
        stmt = stmt.where(or_(*(func.lower(column).contains(needle, autoescape=True) for column in (
            DebugFile.object_name, DebugFile.debug_id, DebugFile.code_id, DebugFile.cpu_name))))
    if debug_id:
        stmt = stmt.where(DebugFile.debug_id == debug_id.lower())
    if code_id:
        stmt = stmt.where(DebugFile.code_id == code_id.lower())
    if file_formats:
        stmt = stmt.where(DebugFile.file_format.in_(file_formats[:20]))
    return stmt
