"""gunicorn settings for production: ``gunicorn -c gunicorn.conf.py wsgi:app`` (``make serve-prod``).

Every value can be changed with an environment variable (below) or on the command line
(``--bind``, ``--workers`` ... win over this file).

Why these values:
- gthread workers: a request spends most of its time waiting for PostgreSQL, so a few
  threads per process serve more callers than more processes would, at less memory.
  Processes x threads is how many requests one host runs at once; keep it below what
  PostgreSQL allows (``max_connections``, default 100) divided by the number of hosts:
  each thread holds at most one connection of its process's SQLAlchemy pool.
- No ``preload_app``: the app opens a SQLAlchemy engine, Redis connection pools (rate
  limits, the RQ queue) and, on the embedded default, an in-memory rate-limit store with a
  timer thread. None of these survive ``fork()`` intact: forked workers would share
  database sockets (PostgreSQL and SQLite alike). Each worker builds its own app instead;
  start-up costs about 0.3 s per worker, once.
- ``timeout`` 30 s: a request running longer is killed and its worker replaced. The
  concurrent-request slots of a killed worker expire after 60 s (sentryapi.ratelimit).
- ``max_requests`` with jitter: workers are recycled now and then, so slow leaks stay
  bounded, and not all at once.
- Background jobs (webhook deliveries) run in separate ``flask --app wsgi sentryapi worker``
  processes when SENTRYAPI_REDIS_URL is set, never in these web workers.
"""

import logging
import multiprocessing
import os


def _env(name: str, default):
    return type(default)(os.environ.get(f"SENTRYAPI_{name}", default))


bind = _env("BIND", "127.0.0.1:9000")
worker_class = "gthread"
workers = _env("WORKERS", min(multiprocessing.cpu_count() * 2, 8))
threads = _env("THREADS", 4)
timeout = _env("TIMEOUT", 30)
graceful_timeout = _env("GRACEFUL_TIMEOUT", 30)
# Behind a load balancer, set this above the balancer's idle timeout (AWS ALB: 60 s), or
# the balancer may reuse a connection gunicorn is just closing (a 502 now and then).
keepalive = _env("KEEPALIVE", 5)
max_requests = _env("MAX_REQUESTS", 10000)
max_requests_jitter = max_requests // 10
preload_app = False
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("SENTRYAPI_LOG_LEVEL", "info").lower()
proc_name = "sentryapi"
# Heartbeat files on tmpfs: a worker blocked on a slow disk is not taken for dead.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None


def on_starting(server):
    """Warn about a setup that silently gives each worker its own counters."""
    if server.cfg.workers > 1 and not os.environ.get("SENTRYAPI_REDIS_URL"):
        logging.getLogger("gunicorn.error").warning(
            "SENTRYAPI_REDIS_URL is not set in the environment: unless instance/config.py sets "
            "REDIS_URL, each of the %d workers keeps its own rate-limit counters",
            server.cfg.workers,
        )


def post_worker_init(worker):
    """The worker's app is built: keep its start-up objects out of garbage collection."""
    from sentryapi.heap import freeze_startup_heap

    freeze_startup_heap()
