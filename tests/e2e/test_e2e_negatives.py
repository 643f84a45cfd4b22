"""Reports feed the matcher: an accepted "Wrong match?" report is exported as a labelled negative in
the training format of the decision model, and benchmarks/fit_decision.py reads it."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

from tests.e2e.conftest import Harness
from tests.fakes import payloads as p

ROOT = Path(__file__).resolve().parents[2]
MOD = {"user": p.MOD, "permissions": p.MANAGE_GUILD}
CHECKED = "Tehran sent ballistic missiles to Moscow"


async def _run(*args: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        *args, cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE
    )
    out, err = await proc.communicate()
    assert proc.returncode is not None
    return proc.returncode, out.decode(), err.decode()


async def test_an_accepted_wrong_match_is_exported_and_fit_decision_takes_it(
    harness: Harness, tmp_path: Path
) -> None:
    fake = harness.fake
    card = await (await fake.slash("check", statement=CHECKED)).reply()
    modal = await (await fake.click(card, "Wrong match?")).modal()
    await (await fake.submit_modal(modal, {"comment": "That is not what I meant"})).reply()
    other = await (await fake.slash("check", statement="Iran sent drones and missiles to Russia")).reply()
    modal = await (await fake.click(other, other.buttons()[-1]["label"])).modal()
    await (await fake.submit_modal(modal, {})).reply()

    queue = await (await fake.slash("curate reports", **MOD)).reply()
    first, second = queue.selects()
    assert "wrong" in [o["value"] for o in first["options"]]
    done = await (await fake.choose(queue, first["custom_id"], ["wrong"], **MOD)).reply()
    assert done.content.endswith("accepted: a wrong match, and no claim fits the text.")
    await (await fake.choose(queue, second["custom_id"], ["dismiss"], **MOD)).reply()  # not a negative

    out = tmp_path / "negatives.jsonl"
    db = f"sqlite:///{tmp_path}/claims.db"
    code, _, err = await _run(sys.executable, "-m", "bot.cli", "--db", db, "reports", "export", str(out))
    assert code == 0, err
    assert err.strip() == "Exported 1 labelled negative."
    [line] = [json.loads(raw) for raw in out.read_text(encoding="utf-8").splitlines()]
    assert {k: line[k] for k in ("text", "kind", "expect", "framing", "other")} == {
        "text": CHECKED,
        "kind": "wrong_match",
        "expect": None,
        "framing": "unknown",
        "other": "iran-srbm-russia",
    }

    script = (
        "import json, sys; from pathlib import Path; sys.path.insert(0, 'benchmarks'); import fit_decision;"
        "from claims_db.matching.calibrate import FEATURES;"
        f"rows = fit_decision.rows_negatives(Path({str(out)!r}), Path('claims_db/data/seed_claims.json'),"
        " list(FEATURES)); print(json.dumps(rows))"
    )
    code, stdout, err = await _run(sys.executable, "-c", script)
    assert code == 0, err
    [row] = json.loads(stdout)
    assert (row["group"], row["y"]) == ("own", 0)
    assert len(row["x"]) > 3 and max(row["x"]) > 0  # the pair's real features, scored by the matcher
    code, stdout, _ = await _run(sys.executable, "benchmarks/fit_decision.py", "--help")
    assert code == 0 and "--negatives FILE" in stdout
