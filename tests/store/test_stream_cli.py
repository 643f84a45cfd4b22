"""``claimbot check --json --batch -`` streams: each line is answered as it arrives, against the store as
it is at that moment, while the pipe stays open (SQLite polls the change feed, PostgreSQL listens)."""

from __future__ import annotations

import json
import select
import subprocess
import time
from pathlib import Path
from typing import IO, Any

import pytest

from tests.conftest import FIXTURES, claim_dict
from tests.unit.test_cli import CLAIMBOT, run


def _line(stream: IO[bytes], timeout: float = 30.0) -> dict[str, Any]:
    ready, _, _ = select.select([stream], [], [], timeout)
    if not ready:
        pytest.fail(f"no answer within {timeout} s while the pipe is open")
    line = stream.readline()
    assert line, "claimbot closed its output"
    result: dict[str, Any] = json.loads(line)
    return result


def test_batch_from_stdin_answers_each_line_as_it_arrives_and_sees_later_changes(
    store_url: str, tmp_path: Path
) -> None:
    unused = tmp_path / "unused.db"
    assert run("--db", store_url, "init", "--empty", db=unused).returncode == 0
    assert run("--db", store_url, "import", str(FIXTURES / "sample_claims.json"), db=unused).returncode == 0
    with subprocess.Popen(
        [CLAIMBOT, "--db", store_url, "check", "--json", "--batch", "-"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    ) as proc:  # fmt: skip
        assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
        proc.stdin.write(json.dumps({"text": "Tehran sent ballistic missiles to Moscow"}).encode() + b"\n")
        proc.stdin.flush()
        first = _line(proc.stdout)
        assert first["matches"][0]["claim_id"] == "iran-srbm-russia"
        message = "Atlantis raised its sea walls by ten metres"
        proc.stdin.write(json.dumps({"text": message}).encode() + b"\n\n")
        proc.stdin.flush()
        assert _line(proc.stdout)["verdict"] == "none"
        # a curator adds the claim while the feed runs; the next line of the feed matches it
        new = tmp_path / "new.json"
        new.write_text(json.dumps([claim_dict("atlantis-walls", statement=message, paraphrases=[])]))
        assert run("--db", store_url, "import", str(new), db=unused).returncode == 0
        time.sleep(0.2)  # PostgreSQL: the notification is applied as it arrives
        proc.stdin.write(json.dumps({"text": message}).encode() + b"\n")
        proc.stdin.flush()
        third = _line(proc.stdout)
        assert third["verdict"] == "match" and third["matches"][0]["claim_id"] == "atlantis-walls"
        proc.stdin.close()
        assert proc.wait(30) == 0, proc.stderr.read()
