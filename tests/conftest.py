"""Shared fixtures: small claim files written for the tests, and stores to run them against."""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "data"


def claim_dict(claim_id: str = "iran-srbm-russia", **overrides: Any) -> dict[str, Any]:
    """A valid claim in the file format; keyword arguments replace fields."""
    base: dict[str, Any] = {
        "id": claim_id,
        "statement": "Iran supplied short-range ballistic missiles to Russia for use in Ukraine",
        "status": "alleged",
        "summary": "The US, UK, France and Germany say the missiles were delivered; Iran denies it.",
        "paraphrases": ["Tehran sent ballistic missiles to Moscow"],
        "attributions": [
            {
                "actor": "United States",
                "verb": "alleges",
                "speaker": "Secretary of State Antony Blinken",
                "date": "2024-09-10",
                "quote": "Russia has now received shipments of these ballistic missiles",
                "source": {
                    "outlet": "U.S. Department of State",
                    "title": "Press availability",
                    "date": "2024-09-10",
                },
            },
            {"actor": "United Kingdom", "verb": "says", "date": "2024-09-10"},
        ],
        "denials": [
            {
                "actor": "Iran",
                "speaker": "Foreign Minister Abbas Araghchi",
                "date": "2024-09-11",
                "quote": "Iran has not delivered ballistic missiles to Russia",
            },
        ],
        "sources": [
            {"outlet": "Example Wire", "title": "Missiles story", "url": "https://example.org/missiles"}
        ],
        "topics": ["russia-ukraine-war", "iran"],
        "reviewed": "2026-11-25",
    }
    base.update(overrides)
    return base


@pytest.fixture
def sample_claims() -> list[dict[str, Any]]:
    return json.loads((FIXTURES / "sample_claims.json").read_text(encoding="utf-8"))


def pytest_configure(config: pytest.Config) -> None:
    # The command line keeps claims' analyses in the user's cache directory: the tests' runs of it
    # (in this process and in those it starts) keep theirs in a directory of their own.
    os.environ.setdefault("CLAIMBOT_CACHE_DIR", tempfile.mkdtemp(prefix="claimbot-test-cache-"))
    config.addinivalue_line(
        "markers",
        "lexical: run with the semantic tier off (CLAIMBOT_SEMANTIC=0): the test is about words alone",
    )


@pytest.fixture(autouse=True)
def _lexical_tier(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests marked ``lexical`` run on words alone, in this process and in the ones it starts."""
    if request.node.get_closest_marker("lexical") is not None:
        monkeypatch.setenv("CLAIMBOT_SEMANTIC", "0")
