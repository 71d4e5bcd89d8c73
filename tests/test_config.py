"""Settings: defaults, instance/config.py, SENTRYAPI_* variables, overrides; clear failures."""

import os
import stat

import pytest

from sentryapi import create_app
from sentryapi.config import ConfigError


@pytest.fixture
def instance(tmp_path, monkeypatch):
    for key in list(os.environ):
        if key.startswith("SENTRYAPI_"):
            monkeypatch.delenv(key)
    monkeypatch.setenv("SENTRYAPI_INSTANCE_PATH", str(tmp_path))
    return tmp_path


def test_defaults_use_sqlite_in_the_instance_folder(instance):
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'sentryapi.sqlite'}"
    assert app.config["PUBLIC_URL"] == "http://127.0.0.1:9000"
    assert app.config["REDIS_URL"] is None


def test_generated_secret_key_is_kept_private_and_reused(instance):
    first = create_app().config["SECRET_KEY"]
    assert len(first) == 64
    assert stat.S_IMODE(os.stat(instance / "secret_key").st_mode) == 0o600
    assert create_app().config["SECRET_KEY"] == first


def test_order_instance_file_then_environment_then_overrides(instance, monkeypatch):
    (instance / "config.py").write_text('PUBLIC_URL = "https://file.example"\nLOG_LEVEL = "WARNING"\n')
    assert create_app().config["PUBLIC_URL"] == "https://file.example"
    monkeypatch.setenv("SENTRYAPI_PUBLIC_URL", "https://env.example/")
    app = create_app()
    assert app.config["PUBLIC_URL"] == "https://env.example"  # trailing slash dropped
    assert app.config["LOG_LEVEL"] == "WARNING"
    assert create_app({"PUBLIC_URL": "https://override.example"}).config["PUBLIC_URL"] == "https://override.example"


def test_typed_environment_values(instance, monkeypatch):
    monkeypatch.setenv("SENTRYAPI_API_MAX_BODY_SIZE", "2048")
    monkeypatch.setenv("SENTRYAPI_ALLOW_ORGANIZATION_CREATION", "false")
    monkeypatch.setenv("SENTRYAPI_DISABLED_PLUGINS", " a , b ,")
    monkeypatch.setenv("SENTRYAPI_WEBHOOK_TIMEOUT", "2.5")
    app = create_app()
    assert app.config["WEBHOOK_TIMEOUT"] == 2.5
    assert app.config["API_MAX_BODY_SIZE"] == 2048
    assert app.config["ALLOW_ORGANIZATION_CREATION"] is False
    assert app.config["DISABLED_PLUGINS"] == ["a", "b"]


@pytest.mark.parametrize("name, value, message", [
    ("SENTRYAPI_PUBLIC_URL", "ftp://x", "SENTRYAPI_PUBLIC_URL must be an http(s) URL"),
    ("SENTRYAPI_PUBLIC_URL", "not a url", "SENTRYAPI_PUBLIC_URL must be an http(s) URL"),
    ("SENTRYAPI_DATABASE_URL", "nonsense", "SENTRYAPI_DATABASE_URL is not a database URL"),
    ("SENTRYAPI_DATABASE_URL", "mysql://x/y", "only sqlite and postgresql are supported"),
    ("SENTRYAPI_API_MAX_BODY_SIZE", "big", "SENTRYAPI_API_MAX_BODY_SIZE: expected an integer"),
    ("SENTRYAPI_ALLOW_ORGANIZATION_CREATION", "maybe", "expected 1/0/true/false"),
    ("SENTRYAPI_REDIS_URL", "http://x", "SENTRYAPI_REDIS_URL must start with redis://"),
    ("SENTRYAPI_SQLITE_SYNCHRONOUS", "SOMETIMES", "SENTRYAPI_SQLITE_SYNCHRONOUS must be"),
    ("SENTRYAPI_SECRET_KEY", "change-me", "SENTRYAPI_SECRET_KEY is the documented example value"),
    ("SENTRYAPI_WEBHOOK_TIMEOUT", "soon", "SENTRYAPI_WEBHOOK_TIMEOUT: expected a number"),
    ("SENTRYAPI_WEBHOOK_TIMEOUT", "0", "SENTRYAPI_WEBHOOK_TIMEOUT must be between"),
    ("SENTRYAPI_WEBHOOK_DELIVERY", "carrier-pigeon", "SENTRYAPI_WEBHOOK_DELIVERY must be auto, rq or thread"),
    ("SENTRYAPI_WEBHOOK_DELIVERY", "rq", "SENTRYAPI_WEBHOOK_DELIVERY=rq needs SENTRYAPI_REDIS_URL"),
    ("SENTRYAPI_WEBHOOK_MAX_ATTEMPTS", "0", "SENTRYAPI_WEBHOOK_MAX_ATTEMPTS must be at least 1"),
])
def test_bad_settings_fail_with_one_clear_line(instance, monkeypatch, name, value, message):
    monkeypatch.setenv(name, value)
    with pytest.raises(ConfigError) as error:
        create_app()
    assert message in str(error.value)
    assert "\n" not in str(error.value)


def test_sqlite_runs_in_wal_with_foreign_keys(instance):
    from sqlalchemy import text

    from sentryapi.extensions import db

    app = create_app({"SQLITE_SYNCHRONOUS": "FULL"})
    with app.app_context():
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL
