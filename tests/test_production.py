"""``flask sentryapi check-production``: the settings every app host needs."""

import socket

from sentryapi.testing import redis_url


def _run(app):
    result = app.test_cli_runner().invoke(args=["sentryapi", "check-production"])
    return result.exit_code, result.output


def test_a_complete_production_setup_passes(make_app, app, redis_client):
    backend = app.config["SQLALCHEMY_DATABASE_URI"].split(":", 1)[0]
    code, output = _run(make_app(REDIS_URL=redis_url(), TRUSTED_PROXIES=1, RATELIMIT_ENABLED=True,
                                 PUBLIC_URL="https://sentry.example.com"))
    if backend == "sqlite":
        assert code == 1
        assert "error: SENTRYAPI_DATABASE_URL is SQLite" in output
        return
    assert code == 0, output
    assert output.count("ok: ") == 6, output


def test_missing_redis_and_generated_secret_key_are_errors(make_app):
    app = make_app()
    app.config.update(SECRET_KEY_GENERATED=True)
    code, output = _run(app)
    assert code == 1
    assert "error: SENTRYAPI_REDIS_URL is not set" in output
    assert "error: SECRET_KEY was generated on this host" in output
    assert "warning: SENTRYAPI_TRUSTED_PROXIES is 0" in output
    assert "warning: SENTRYAPI_PUBLIC_URL is the local default" not in output  # tests set one


def test_unreachable_redis_is_a_warning_only(make_app):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    _, output = _run(make_app(REDIS_URL=f"redis://127.0.0.1:{port}/0"))
    assert f"warning: Redis at redis://127.0.0.1:{port}/0 is not reachable" in output
