"""Periodic tasks (``Plugin.tasks``): once per period across processes, failures recorded,
the server's thread running them, and the operator's commands."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from sqlalchemy import select

from sentryapi.extensions import db
from sentryapi.plugins import PeriodicTask, Plugin
from sentryapi.scheduler import UnknownTask, run_task, scheduler_mode
from sentryapi.scheduler import run_due as run_all_due
from sentryapi.scheduler.lease import claim
from sentryapi.scheduler.models import ScheduledTask

NOW = dt.datetime(2026, 12, 3, 12, 0, tzinfo=dt.UTC)


def run_due(app, now) -> list[str]:
    """The probe tasks among those ``run_due`` ran (the plugins' own tasks run too)."""
    return [name for name in run_all_due(app, now) if name.startswith("probe.")]


def add_task(app, name="probe.tick", every=60, run=None, lease=900.0, plugin=None) -> list:
    """Load a plugin with one task counting its runs; the list of runs."""
    runs: list = []

    def tick():
        runs.append(time.monotonic())
        if run:
            run()

    app.extensions["sentryapi.plugins"].add(
        Plugin(plugin or f"plugin-{name}", tasks=(PeriodicTask(name, every, tick, lease=lease),)))
    return runs


def test_a_task_runs_once_per_period(make_app):
    app = make_app()
    runs = add_task(app, every=60)
    assert run_due(app, NOW) == ["probe.tick"]
    assert run_due(app, NOW + dt.timedelta(seconds=59)) == []
    assert run_due(app, NOW + dt.timedelta(seconds=60)) == ["probe.tick"]
    assert len(runs) == 2
    with app.app_context():
        row = db.session.get(ScheduledTask, "probe.tick")
        assert row.next_run_at == NOW + dt.timedelta(seconds=120)
        assert row.locked_until is None and row.last_error == "" and row.last_finished_at


def test_only_one_of_many_concurrent_claims_wins(make_app):
    """Eight processes' worth of claimers at the same instant, twice (new row, then due row)."""
    app = make_app()
    task = PeriodicTask("probe.race", 10, lambda: None)
    for moment in (NOW, NOW + dt.timedelta(seconds=10)):
        results: list[bool] = []
        start = threading.Barrier(8)

        def claimer(at=moment, start=start, results=results):
            start.wait()
            with app.app_context():
                results.append(claim(task, at))
                db.session.remove()

        threads = [threading.Thread(target=claimer) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(30)
        assert results.count(True) == 1 and len(results) == 8
        with app.app_context():  # the winner's run ends: the lease is released
            from sentryapi.scheduler.lease import release

            release(task, moment)


def test_a_run_in_progress_holds_the_task_until_its_lease_lapses(make_app):
    app = make_app()
    task = PeriodicTask("probe.slow", 10, lambda: None, lease=100)
    with app.app_context():
        assert claim(task, NOW)
        assert not claim(task, NOW + dt.timedelta(seconds=50))  # due, but still running
        assert claim(task, NOW + dt.timedelta(seconds=101))  # its process died: taken over


def test_a_failing_task_is_recorded_and_tried_at_its_next_period(make_app):
    app = make_app()

    def explode():
        raise RuntimeError("disk on fire")

    runs = add_task(app, "probe.fails", every=30, run=explode)
    assert run_due(app, NOW) == ["probe.fails"]
    with app.app_context():
        row = db.session.get(ScheduledTask, "probe.fails")
        assert "disk on fire" in row.last_error and row.locked_until is None
    assert run_due(app, NOW + dt.timedelta(seconds=30)) == ["probe.fails"]
    assert len(runs) == 2
    with pytest.raises(RuntimeError):
        run_task(app, "probe.fails")


def test_run_task_ignores_the_schedule_and_knows_its_tasks(make_app):
    app = make_app()
    runs = add_task(app, "probe.now", every=3600)
    run_due(app, NOW)
    run_task(app, "probe.now")
    assert len(runs) == 2
    with pytest.raises(UnknownTask):
        run_task(app, "probe.nothing")


def test_a_task_name_declared_twice_stops_start_up(make_app):
    from sentryapi.scheduler import registered_tasks

    app = make_app()
    add_task(app, "probe.twice", plugin="one")
    add_task(app, "probe.twice", plugin="two")
    with pytest.raises(ValueError, match="declared twice"):
        registered_tasks(app)


@pytest.mark.parametrize("bad", [{"name": "Bad Name", "every": 10}, {"name": "ok", "every": 0},
                                 {"name": "ok", "every": 10, "lease": 0}])
def test_bad_task_declarations_are_refused(bad):
    with pytest.raises(ValueError):
        PeriodicTask(run=lambda: None, **bad)


def test_where_tasks_run(make_app):
    assert scheduler_mode(make_app(SCHEDULER="auto")) == "thread"
    assert scheduler_mode(make_app(SCHEDULER="auto", REDIS_URL="redis://127.0.0.1:6379/0")) == "worker"
    assert scheduler_mode(make_app()) == "off"  # the test kit's default


def test_the_server_process_runs_due_tasks_in_its_thread(make_app):
    app = make_app(SCHEDULER="thread")
    ran = threading.Event()
    add_task(app, "probe.thread", every=1, run=ran.set)
    assert app.test_client().get("/api/0/").status_code in (200, 401)
    assert ran.wait(10), "the scheduler thread did not run the due task"


def test_operators_list_and_run_tasks(make_app):
    app = make_app()
    runs = add_task(app, "probe.cli", every=60)
    runner = app.test_cli_runner()
    listed = runner.invoke(args=["sentryapi", "tasks"])
    assert "probe.cli" in listed.output and "never" in listed.output, listed.output
    done = runner.invoke(args=["sentryapi", "run-task", "probe.cli"])
    assert done.exit_code == 0 and len(runs) == 1, done.output
    assert "last run 20" in runner.invoke(args=["sentryapi", "tasks"]).output
    missing = runner.invoke(args=["sentryapi", "run-task", "probe.none"])
    assert missing.exit_code != 0 and "no task" in missing.output
    with app.app_context():
        assert db.session.scalars(select(ScheduledTask.name)).all() == ["probe.cli"]
