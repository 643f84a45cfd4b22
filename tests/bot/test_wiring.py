"""The bot's wiring: no import cycles, every module imports alone, one table of setting bounds."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from claims_db.models import SETTING_BOUNDS

ROOT = Path(__file__).resolve().parents[2]
BOT = ROOT / "bot"


def _module(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _graph() -> dict[str, set[str]]:
    """Every import between modules of ``bot``: at the top, inside functions and under TYPE_CHECKING."""
    modules = {_module(p): p for p in BOT.rglob("*.py")}
    graph: dict[str, set[str]] = {m: set() for m in modules}
    for name, path in modules.items():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                targets = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
            graph[name] |= {t for t in targets if t in modules and t != name and t != "bot"}
    return graph


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    found: list[list[str]] = []
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                found.append([*stack[stack.index(nxt) :], nxt])
            elif nxt not in state:
                visit(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            visit(node)
    return found


def test_the_bot_package_has_no_import_cycle_not_even_for_type_checking_or_inside_functions() -> None:
    graph = _graph()
    assert "bot.views.report_form" in graph["bot.views.claim_buttons"]  # the graph sees real imports
    assert _cycles(graph) == []


def test_cogs_and_views_never_import_the_bot() -> None:
    graph = _graph()
    for name, imports in graph.items():
        if name.startswith(("bot.cogs", "bot.views", "bot.interactions", "bot.options", "bot.followups")):
            assert "bot.app" not in imports, f"{name} imports bot.app: pass it its collaborators instead"


def test_the_cycle_finder_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == [["a", "b", "c", "a"]]


FIRST_IMPORTS = sorted(
    _module(p)
    for p in [
        BOT / "app.py",
        BOT / "interactions.py",
        BOT / "options.py",
        BOT / "followups.py",
        *sorted((BOT / "cogs").glob("*.py")),
        *sorted((BOT / "views").glob("*.py")),
    ]
    if p.name != "__init__.py"
)


@pytest.mark.parametrize("module", FIRST_IMPORTS)
def test_each_module_imports_first_in_a_fresh_interpreter(module: str) -> None:
    done = subprocess.run(
        [sys.executable, "-c", f"import {module}"], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr[-2000:]


def test_settings_bounds_are_declared_once_and_the_service_refuses_outside_them() -> None:
    from bot import options

    for key, alias in [
        ("match_threshold", options.MatchThreshold),
        ("channel_cooldown_s", options.ChannelCooldown),
        ("claim_cooldown_s", options.ClaimCooldown),
        ("check_rate_per_minute", options.CheckRate),
        ("unanswered_days", options.UnansweredDays),
        ("followup_rate_per_hour", options.FollowupRate),
    ]:
        bound = SETTING_BOUNDS[key]
        assert (alias.min_value, alias.max_value) == (bound.low, bound.high), key  # type: ignore[attr-defined]


def test_the_follow_up_interval_is_read_from_the_environment() -> None:
    from bot.settings import Settings, SettingsError

    assert Settings.from_env({}).followup_interval_s == 30.0
    assert Settings.from_env({"CLAIMBOT_FOLLOWUP_INTERVAL": "5"}).followup_interval_s == 5.0
    assert Settings.from_env({"CLAIMBOT_FOLLOWUP_INTERVAL": "off"}).followup_interval_s is None
    with pytest.raises(SettingsError, match="CLAIMBOT_FOLLOWUP_INTERVAL must be a number"):
        Settings.from_env({"CLAIMBOT_FOLLOWUP_INTERVAL": "soon"})
