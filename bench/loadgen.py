"""A small HTTP/1.1 load generator for the benches: keep-alive sockets, exact counts.

Each connection is a thread with one raw keep-alive socket that sends its share of
requests one after another; a few processes share the connections so the client is not
limited by one interpreter. Every response's status and latency is recorded, so the
bench knows exactly which requests were answered (wrk can only count, and leaves some
in flight when it stops).
"""

from __future__ import annotations

import multiprocessing
import socket
import statistics
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit


@dataclass
class Result:
    statuses: list[int]
    latencies: list[float]
    seconds: float

    @property
    def ok(self) -> int:
        return sum(1 for status in self.statuses if status == 200)

    @property
    def rate(self) -> float:
        return self.ok / self.seconds

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * p / 100))] * 1000 if ordered else 0.0

    def summary(self) -> str:
        return (f"{self.rate:8.0f} /s   p50 {self.percentile(50):.1f} ms   "
                f"p99 {self.percentile(99):.1f} ms   mean {statistics.fmean(self.latencies) * 1000:.1f} ms")


class Connection:
    def __init__(self, host: str, port: int):
        self.address = (host, port)
        self.sock = None
        self.buffer = b""

    def _connect(self):
        self.sock = socket.create_connection(self.address, timeout=60)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.buffer = b""

    def request(self, raw: bytes) -> int:
        for attempt in (1, 2):
            if self.sock is None:
                self._connect()
            try:
                self.sock.sendall(raw)
                return self._response()
            except (ConnectionError, TimeoutError, OSError):
                self.sock = None
                if attempt == 2:
                    return 0
        return 0

    def _response(self) -> int:
        while b"\r\n\r\n" not in self.buffer:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            self.buffer += chunk
        head, _, rest = self.buffer.partition(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        status = int(lines[0].split()[1])
        length, close = 0, False
        for line in lines[1:]:
            name, _, value = line.partition(b":")
            name = name.strip().lower()
            if name == b"content-length":
                length = int(value)
            elif name == b"connection" and value.strip().lower() == b"close":
                close = True
        while len(rest) < length:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ConnectionError("closed")
            rest += chunk
        self.buffer = rest[length:]
        if close:
            self.sock.close()
            self.sock = None
        return status


def _worker(url: str, make_request: Callable[[int], bytes], indexes: list[list[int]], queue):
    parts = urlsplit(url)
    results: list[tuple[int, int, float]] = []
    lock = threading.Lock()

    def run(chunk: list[int]):
        connection = Connection(parts.hostname, parts.port)
        local = []
        for index in chunk:
            raw = make_request(index)
            started = time.perf_counter()
            status = connection.request(raw)
            local.append((index, status, time.perf_counter() - started))
        with lock:
            results.extend(local)

    threads = [threading.Thread(target=run, args=(chunk,)) for chunk in indexes]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put(results)


def run(url: str, make_request: Callable[[int], bytes], total: int, connections: int = 8,
        processes: int = 2) -> Result:
    """Send requests ``0..total-1`` (built by ``make_request``) over ``connections`` sockets."""
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue()
    shares = [list(range(c, total, connections)) for c in range(connections)]
    per_process = [shares[p::processes] for p in range(processes)]
    started = time.perf_counter()
    workers = [ctx.Process(target=_worker, args=(url, make_request, chunks, queue))
               for chunks in per_process]
    for worker in workers:
        worker.start()
    collected = [queue.get() for _ in workers]
    seconds = time.perf_counter() - started
    for worker in workers:
        worker.join()
    rows = sorted(row for part in collected for row in part)
    return Result([status for _, status, _ in rows], [latency for _, _, latency in rows], seconds)
