"""The README documents every setting."""

import os

from sentryapi.config import ENV_PREFIX, SETTINGS

README = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "README.md")


def test_every_setting_is_in_the_readme():
    with open(README) as fh:
        text = fh.read()
    missing = [s.env for s in SETTINGS if f"`{ENV_PREFIX}{s.env}`" not in text]
    assert missing == []
    assert "make run" in text and "make test" in text
