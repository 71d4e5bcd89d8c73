"""Public helpers of fixture_lib."""

ANSWER = 42
