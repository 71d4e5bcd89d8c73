"""Worker crashes: RQ workers killed with SIGKILL again and again during 1,000 deliveries.

    .venv/bin/python bench/worker_crash.py                  # PostgreSQL, 10 kills
    .venv/bin/python bench/worker_crash.py --kills 5 --sqlite

Starts a redis-server of its own, a fresh database, a receiver on 127.0.0.1 and two
``rq worker -w sentryapi.webhooks.worker.AppWorker`` processes; enqueues ``--count``
deliveries, then every ``--every`` seconds SIGKILLs one worker (its process group: the
worker and its scheduler) and starts a new one, ``--kills`` times. Then it waits until
every delivery is marked delivered. Printed: kills, deliveries received, distinct
``Request-ID``s, duplicates (must be <= kills), missing (must be 0), and the time until the
last one arrived. Exits 1 if a delivery is missing or duplicates exceed the kills.
"""

from __future__ import annotations

import argparse
import random
import sys
import time

from webhook_setup import Setup, database, machine, redis_server


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--kills", type=int, default=10)
    parser.add_argument("--every", type=float, default=3.0, help="seconds between kills")
    parser.add_argument("--requeue-after", type=int, default=5,
                        help="SENTRYAPI_WEBHOOK_REQUEUE_AFTER of the workers")
    parser.add_argument("--sqlite", action="store_true")
    parser.add_argument("--timeout", type=float, default=300)
    return parser.parse_args()


def main() -> int:
    args = parse_args()
    from sentryapi.webhooks.receiver import Receiver

    # A receiver that takes a little time, so kills land during deliveries too.
    receiver = Receiver(status=lambda n: time.sleep(0.005) or 200)
    with redis_server() as redis_url, database(args.sqlite) as database_url:
        setup = Setup(database_url, redis_url, receiver.url, requeue_after=args.requeue_after)
        try:
            workers = [setup.start_worker(), setup.start_worker()]
            setup.wait_workers(2)
            ids = setup.make_deliveries(args.count)
            started = time.monotonic()
            setup.enqueue(ids)
            kills = 0
            while kills < args.kills:
                time.sleep(args.every)
                victim = random.randrange(len(workers))
                setup.kill(workers[victim])
                kills += 1
                workers[victim] = setup.start_worker()
            killed_at = len(receiver.got)
            while setup.delivered() < args.count and time.monotonic() - started < args.timeout:
                time.sleep(0.2)
            elapsed = time.monotonic() - started
            delivered = setup.delivered()
        finally:
            setup.close()
            receiver.stop()
    request_ids = [headers["request-id"] for headers, _ in receiver.got]
    distinct = len(set(request_ids))
    duplicates = len(request_ids) - distinct
    missing = args.count - distinct
    print(machine())
    print(f"{args.count:,} deliveries, 2 rq workers, SIGKILL x{kills} (one every {args.every:g} s, "
          f"{killed_at:,} had arrived when the last kill landed), requeue after {args.requeue_after} s")
    print(f"received {len(request_ids):,} POSTs: {distinct:,} distinct Request-IDs, "
          f"{duplicates} duplicates (<= {kills} kills: {'yes' if duplicates <= kills else 'NO'}), "
          f"{missing} missing; outbox rows delivered: {delivered:,}; all arrived in {elapsed:.1f} s")
    return 0 if missing == 0 and duplicates <= kills and delivered == args.count else 1


if __name__ == "__main__":
    sys.exit(main())
