"""Decode ``Content-Encoding`` (gzip, deflate, br, zstd) without ever exceeding a size limit.

A 10 KB body can expand to gigabytes; each decoder here produces output in chunks and
stops as soon as the total passes ``limit``, so a bomb costs at most ``limit`` bytes of
memory and the time to produce them, then a 413.
"""

from __future__ import annotations

import io
import zlib

from .errors import BadRequest, TooLarge, UnsupportedEncoding

CHUNK = 64 * 1024


def _too_large(limit: int) -> TooLarge:
    return TooLarge(f"envelope exceeded size limits after decompression ({limit} bytes)")


def _zlib(data: bytes, limit: int, wbits: int) -> bytes:
    """gzip or zlib-wrapped deflate; concatenated gzip members are decoded one after another."""
    out, total = [], 0
    while True:
        decoder = zlib.decompressobj(wbits)
        pending = data
        while pending:
            chunk = decoder.decompress(pending, CHUNK)
            total += len(chunk)
            if total > limit:
                raise _too_large(limit)
            out.append(chunk)
            pending = decoder.unconsumed_tail
        tail = decoder.flush(limit - total + 1)
        total += len(tail)
        if total > limit:
            raise _too_large(limit)
        out.append(tail)
        if not decoder.eof:
            raise zlib.error("incomplete or truncated stream")
        data = decoder.unused_data
        if not data or wbits != 31:
            break
    return b"".join(out)


def gunzip(data: bytes, limit: int) -> bytes:
    return _zlib(data, limit, 31)


def inflate(data: bytes, limit: int) -> bytes:
    """``deflate`` is zlib-wrapped by the standard; some clients send raw deflate."""
    try:
        return _zlib(data, limit, 15)
    except zlib.error:
        return _zlib(data, limit, -15)


def unbrotli(data: bytes, limit: int) -> bytes:
    import brotli

    decoder = brotli.Decompressor()
    out, total = [], 0
    chunk = decoder.process(data, output_buffer_limit=CHUNK)
    while True:
        total += len(chunk)
        if total > limit:
            raise _too_large(limit)
        out.append(chunk)
        if decoder.is_finished() or decoder.can_accept_more_data():
            break
        chunk = decoder.process(b"", output_buffer_limit=CHUNK)
    if not decoder.is_finished():
        raise brotli.error("incomplete or truncated stream")
    return b"".join(out)


def unzstd(data: bytes, limit: int) -> bytes:
    import zstandard

    reader = zstandard.ZstdDecompressor().stream_reader(io.BytesIO(data), read_across_frames=True)
    out, total = [], 0
    while True:
        chunk = reader.read(CHUNK)
        if not chunk:
            break
        total += len(chunk)
        if total > limit:
            raise _too_large(limit)
        out.append(chunk)
    # The reader ends quietly on a truncated frame; its output is known to be small now,
    # so decoding the first frame once more tells whether it was complete.
    check = zstandard.ZstdDecompressor().decompressobj()
    check.decompress(data)
    if not check.eof:
        raise zstandard.ZstdError("incomplete or truncated stream")
    return b"".join(out)


DECODERS = {
    "gzip": gunzip,
    "x-gzip": gunzip,
    "deflate": inflate,
    "br": unbrotli,
    "zstd": unzstd,
}


def decode(data: bytes, content_encoding: str | None, limit: int) -> bytes:
    """The body with every listed encoding undone (last applied, first undone)."""
    encodings = [e.strip().lower() for e in (content_encoding or "").split(",") if e.strip()]
    for encoding in reversed(encodings):
        if encoding == "identity":
            continue
        decoder = DECODERS.get(encoding)
        if decoder is None:
            raise UnsupportedEncoding(f"unsupported content encoding: {encoding}")
        try:
            data = decoder(data, limit)
        except TooLarge:
            raise
        except Exception as error:  # each library raises its own error class
            raise BadRequest("invalid body", f"could not decode {encoding}: {error}") from None
    if len(data) > limit:
        raise _too_large(limit)
    return data
