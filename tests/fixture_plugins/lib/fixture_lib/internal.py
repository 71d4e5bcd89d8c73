"""Private to fixture_lib."""

SECRET = 7
