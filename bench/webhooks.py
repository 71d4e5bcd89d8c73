"""Webhook delivery rate on RQ against a bare RQ no-op job on the same two workers.

    .venv/bin/python bench/webhooks.py                  # PostgreSQL (the local test database)
    .venv/bin/python bench/webhooks.py --sqlite --count 2000

Starts a redis-server of its own (free loopback port), a fresh database, a receiver on
127.0.0.1 and two ``rq worker -w sentryapi.webhooks.worker.AppWorker`` processes. Then:
``--count`` no-op jobs drained by the workers (the bare RQ rate), and ``--count`` signed
webhook deliveries (outbox rows made first, then enqueued at once) drained by the same
workers into the receiver. Printed: both rates, their ratio, and the machine.
"""

from __future__ import annotations

import argparse
import time

from webhook_setup import Setup, database, machine, redis_server


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--sqlite", action="store_true", help="SQLite instead of PostgreSQL")
    parser.add_argument("--timeout", type=float, default=600)
    return parser.parse_args()


def noop_rate(setup: Setup, count: int, timeout: float) -> float:
    from rq import Queue, Worker

    queue = setup.rq_queue()
    done_before = sum(w.successful_job_count for w in Worker.all(queue=queue))
    jobs = [Queue.prepare_data("sentryapi.webhooks.worker.noop_job", (), result_ttl=0) for _ in range(count)]
    started = time.monotonic()
    for i in range(0, count, 1000):
        queue.enqueue_many(jobs[i:i + 1000])
    while sum(w.successful_job_count for w in Worker.all(queue=queue)) - done_before < count:
        if time.monotonic() - started > timeout:
            raise RuntimeError("no-op jobs did not drain")
        time.sleep(0.05)
    return count / (time.monotonic() - started)


def delivery_rate(setup: Setup, receiver, count: int, timeout: float) -> float:
    ids = setup.make_deliveries(count)
    started = time.monotonic()
    setup.enqueue(ids)
    while len(receiver.got) < count:
        if time.monotonic() - started > timeout:
            raise RuntimeError(f"only {len(receiver.got)} of {count} deliveries arrived")
        time.sleep(0.05)
    elapsed = time.monotonic() - started
    while setup.delivered() < count and time.monotonic() - started < timeout:
        time.sleep(0.1)
    return count / elapsed


def main():
    args = parse_args()
    from sentryapi.webhooks.receiver import Receiver

    receiver = Receiver()
    with redis_server() as redis_url, database(args.sqlite) as database_url:
        setup = Setup(database_url, redis_url, receiver.url)
        try:
            for _ in range(args.workers):
                setup.start_worker()
            setup.wait_workers(args.workers)
            noop = noop_rate(setup, args.count, args.timeout)
            deliveries = delivery_rate(setup, receiver, args.count, args.timeout)
        finally:
            setup.close()
            receiver.stop()
    distinct = len({headers["request-id"] for headers, _ in receiver.got})
    backend = "SQLite" if args.sqlite else "PostgreSQL"
    print(machine())
    print(f"{args.workers} rq workers (AppWorker), {backend}, receiver on 127.0.0.1")
    print(f"bare RQ no-op jobs: {noop:,.0f} jobs/s ({args.count:,} jobs)")
    print(f"webhook deliveries: {deliveries:,.0f} deliveries/s ({args.count:,} signed POSTs, "
          f"{distinct:,} distinct Request-IDs received)")
    print(f"ratio: deliveries run at {deliveries / noop:.0%} of the no-op job rate")


if __name__ == "__main__":
    main()
