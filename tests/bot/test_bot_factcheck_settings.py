"""The fact-check search is configured from the environment, and its key never shows."""

from __future__ import annotations

import pytest

from bot.settings import Settings, SettingsError
from claims_db.sources import FACTCHECK_ENDPOINT


def test_the_key_and_endpoint_are_read_and_the_key_is_not_in_the_repr() -> None:
    s = Settings.from_env(
        {"CLAIMBOT_FACTCHECK_API_KEY": " sekrit-123 ", "CLAIMBOT_FACTCHECK_URL": "http://127.0.0.1:9/s"}
    )
    assert (s.factcheck_api_key, s.factcheck_url) == ("sekrit-123", "http://127.0.0.1:9/s")
    assert "sekrit-123" not in repr(s)
    off = Settings.from_env({})
    assert (off.factcheck_api_key, off.factcheck_url) == (None, FACTCHECK_ENDPOINT)
    assert Settings.from_env({"CLAIMBOT_LINK_BUDGET": "off"}).link_budget_s is None
    assert Settings.from_env({"CLAIMBOT_LINK_BUDGET": "0.5"}).link_budget_s == 0.5


def test_an_endpoint_that_is_not_http_is_refused() -> None:
    with pytest.raises(SettingsError, match="CLAIMBOT_FACTCHECK_URL must be a http or https URL"):
        Settings.from_env({"CLAIMBOT_FACTCHECK_URL": "file:///etc/passwd"})
