"""Settings: defaults, instance/config.py, SENTRYAPI_* variables, overrides; clear failures."""

import os
import stat
import sys

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
    ("SENTRYAPI_DATABASE_URL", "sqlite:////no-such-folder/x/db.sqlite",
     "SENTRYAPI_DATABASE_URL: the folder of the SQLite file does not exist: /no-such-folder/x"),
    ("SENTRYAPI_LOG_LEVEL", "LOUD", "SENTRYAPI_LOG_LEVEL must be DEBUG, INFO, WARNING, ERROR or CRITICAL"),
    ("SENTRYAPI_API_MAX_BODY_SIZE", "-5", "SENTRYAPI_API_MAX_BODY_SIZE must be at least 1, got -5"),
    ("SENTRYAPI_API_MAX_BODY_SIZE", "0", "SENTRYAPI_API_MAX_BODY_SIZE must be at least 1, got 0"),
    ("SENTRYAPI_OAUTH_ACCESS_TOKEN_LIFETIME", "0", "SENTRYAPI_OAUTH_ACCESS_TOKEN_LIFETIME must be at least 1"),
    ("SENTRYAPI_RATELIMIT_CONCURRENT", "-1", "SENTRYAPI_RATELIMIT_CONCURRENT must be at least 1"),
    ("SENTRYAPI_RATELIMIT_STRATEGY", "random", "SENTRYAPI_RATELIMIT_STRATEGY must be moving-window,"),
    ("SENTRYAPI_TRUSTED_PROXIES", "-1", "SENTRYAPI_TRUSTED_PROXIES must be at least 0"),
    ("SENTRYAPI_WEBHOOK_RETRY_DELAY", "-1", "SENTRYAPI_WEBHOOK_RETRY_DELAY must be at least 0"),
    # A plugin's settings go through the same checks (the events plugin's).
    ("SENTRYAPI_EVENTS_MAX_BODY_SIZE", "-5", "SENTRYAPI_EVENTS_MAX_BODY_SIZE must be at least 1"),
    ("SENTRYAPI_EVENTS_DIGEST_BATCH", "0", "SENTRYAPI_EVENTS_DIGEST_BATCH must be at least 1"),
    ("SENTRYAPI_EVENTS_DIGEST", "sometimes", "SENTRYAPI_EVENTS_DIGEST must be thread or off"),
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


def test_a_postgresql_url_without_its_driver_says_how_to_install_it(instance, monkeypatch):
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as in a `make run` venv (no extras)
    monkeypatch.setenv("SENTRYAPI_DATABASE_URL", "postgresql://postgres@127.0.0.1/test")
    with pytest.raises(ConfigError) as error:
        create_app()
    assert str(error.value).startswith("SENTRYAPI_DATABASE_URL is a postgresql URL but its driver")
    assert "install with `make install-prod`" in str(error.value)
    assert "\n" not in str(error.value)


@pytest.mark.parametrize("given", ["postgres://postgres@127.0.0.1:5432/test",
                                   "postgres+psycopg://postgres@127.0.0.1:5432/test"])
def test_postgres_scheme_from_hosting_providers_means_postgresql(instance, monkeypatch, given):
    monkeypatch.setenv("SENTRYAPI_DATABASE_URL", given)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "postgresql" + given[len("postgres"):]
    from sentryapi.extensions import db

    with app.app_context():
        assert db.engine.dialect.name == "postgresql"


def test_an_instance_folder_that_cannot_be_made_is_one_line(tmp_path, instance, monkeypatch):
    (tmp_path / "a-file").write_text("")
    monkeypatch.setenv("SENTRYAPI_INSTANCE_PATH", str(tmp_path / "a-file" / "instance"))
    with pytest.raises(ConfigError) as error:
        create_app()
    assert str(error.value).startswith("SENTRYAPI_INSTANCE_PATH: cannot create ")


def test_instance_config_takes_the_environment_names_with_or_without_prefix(instance):
    (instance / "config.py").write_text(
        f'DATABASE_URL = "sqlite:///{instance}/named.sqlite"\n'
        'SENTRYAPI_PUBLIC_URL = "https://prefixed.example"\n'
        'API_MAX_BODY_SIZE = "2048"\n'
        'LOG_LEVEL = "warning"\n'
        'EVENTS_DIGEST_BATCH = 50\n'
    )
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance}/named.sqlite"
    assert app.config["PUBLIC_URL"] == "https://prefixed.example"
    assert app.config["API_MAX_BODY_SIZE"] == 2048
    assert app.config["LOG_LEVEL"] == "WARNING"
    assert app.config["EVENTS_DIGEST_BATCH"] == 50


def test_bad_values_in_the_instance_config_are_one_line_too(instance):
    (instance / "config.py").write_text('API_MAX_BODY_SIZE = -5\n')
    with pytest.raises(ConfigError, match="^SENTRYAPI_API_MAX_BODY_SIZE must be at least 1, got -5$"):
        create_app()


def test_every_setting_is_in_the_readme_table(instance):
    """One table documents every setting, the core's and the plugins'."""
    readme = open(os.path.join(os.path.dirname(__file__), "..", "README.md")).read()
    table = readme.split("## Settings", 1)[1].split("\n## ", 1)[0]
    settings = create_app().extensions["sentryapi.settings"]
    assert len(settings) > 30
    missing = [s.name for s in settings if f"| `{s.name}` |" not in table]
    assert not missing, f"not in the README's settings table: {missing}"


def test_the_example_instance_config_uses_the_documented_names():
    example = open(os.path.join(os.path.dirname(__file__), "..", "instance", "config.example.py")).read()
    names = {line.lstrip("# ").split(" =")[0] for line in example.splitlines() if " = " in line}
    from sentryapi.config import SETTINGS

    assert names and names <= {s.env for s in SETTINGS}, names - {s.env for s in SETTINGS}
