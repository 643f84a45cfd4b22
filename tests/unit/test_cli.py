"""The `claimbot` command as an operator runs it: output, stored rows, exit codes, error lines."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES, claim_dict

CLAIMBOT = shutil.which("claimbot", path=str(Path(sys.executable).parent)) or "claimbot"


def run(
    *args: str, db: Path | None, stdin: str | None = None, **env_vars: str
) -> subprocess.CompletedProcess[str]:
    """Run claimbot with CLAIMBOT_DB=db (db=None: the default store, under XDG_DATA_HOME)."""
    env = {k: v for k, v in os.environ.items() if k not in ("CLAIMBOT_DB", "CLAIMBOT_DEBUG")}
    if db is not None:
        env["CLAIMBOT_DB"] = str(db)
    env.update(env_vars)
    return subprocess.run(
        [CLAIMBOT, *args], capture_output=True, text=True, env=env, input=stdin, timeout=60, check=False
    )


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "claims.db"
    done = run("init", "--empty", db=path)
    assert done.returncode == 0, done.stderr
    done = run("import", str(FIXTURES / "sample_claims.json"), db=path)
    assert done.returncode == 0, done.stderr
    return path


def test_check_on_a_fresh_default_store_seeds_it_and_answers(tmp_path: Path) -> None:
    home = {"XDG_DATA_HOME": str(tmp_path / "new")}
    out = run("check", "Tehran sent ballistic missiles to Moscow", db=None, **home)
    assert out.returncode == 0, out.stderr
    assert (tmp_path / "new" / "claimbot" / "claims.db").exists()
    assert out.stdout.startswith("A curated claim matches this message.")
    assert "alleges that Iran supplied" in out.stdout
    assert "This is an allegation, not an established fact." in out.stdout
    assert "Iran denies it" in out.stdout
    assert run("list", db=None, **home).stdout.count("\n") >= 40


def test_init_empty_then_init_again_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "c.db"
    assert run("init", "--empty", db=path).stdout.startswith("Created an empty claim store")
    again = run("init", db=path)
    assert again.returncode == 0 and "already exists (0 claims); nothing changed" in again.stdout
    assert run("list", db=path).stdout == ""


def test_check_json_has_the_documented_fields(db: Path) -> None:
    out = run("check", "--json", "--limit", "2", "did tehran ship rockets to putin?", db=db)
    assert out.returncode == 0, out.stderr
    data = json.loads(out.stdout)
    assert list(data) == ["text", "verdict", "framing", "matches", "reply"]
    assert data["framing"] == "question"
    assert len(data["matches"]) == 2
    best = data["matches"][0]
    assert best["claim_id"] == "iran-srbm-russia"
    assert 0 <= best["score"] <= 1
    assert {"claim_id", "score", "statement", "status", "why"} <= set(best)
    assert "Iran" in best["why"]


def test_check_with_no_match_still_exits_zero_and_lists_candidates(db: Path) -> None:
    out = run("check", "--json", "what a lovely day for a picnic", db=db)
    assert out.returncode == 0
    data = json.loads(out.stdout)
    assert data["verdict"] == "none"
    assert data["reply"].startswith("No curated claim matches this message.")


def test_batch_writes_one_line_per_input_in_order(db: Path, tmp_path: Path) -> None:
    texts = ["Tehran sent ballistic missiles to Moscow", "lunch?", "the US runs biolabs in ukraine"]
    batch = tmp_path / "in.jsonl"
    batch.write_text("\n".join(json.dumps({"text": t}) for t in texts) + "\n", encoding="utf-8")
    out = run("check", "--json", "--batch", str(batch), db=db)
    assert out.returncode == 0, out.stderr
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [d["text"] for d in lines] == texts
    assert lines[0]["matches"][0]["claim_id"] == "iran-srbm-russia"
    stdin = run("check", "--json", "--batch", "-", db=db, stdin=json.dumps({"text": "lunch?"}) + "\n")
    assert json.loads(stdin.stdout)["text"] == "lunch?"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["check"], "give the message to check"),
        (["check", "--limit", "0", "x"], "Invalid value for '--limit'"),
        (["check", "--batch", "missing.jsonl", "--json"], "No such file: missing.jsonl"),
        (["check", "--batch", "x.jsonl"], "--batch writes JSON lines: add --json"),
        (["show", "no-such-claim"], "No claim with id 'no-such-claim'."),
        (["retract", "iran-srbm-russia"], "Missing option '--reason'"),
        (["import", "nowhere.json"], "No such file: nowhere.json"),
        (["frobnicate"], "No such command 'frobnicate'"),
    ],
)
def test_usage_and_input_errors_exit_2_with_one_line(db: Path, args: list[str], message: str) -> None:
    out = run(*args, db=db)
    assert out.returncode == 2
    assert out.stderr.count("\n") == 1, out.stderr
    assert out.stderr.startswith("claimbot: ")
    assert message in out.stderr
    assert "Traceback" not in out.stderr


def test_a_bad_import_changes_no_row_and_lists_every_problem(db: Path, tmp_path: Path) -> None:
    before = run("export", "--all", db=db).stdout
    bad = [
        claim_dict("fine-claim", statement="This one is fine on its own"),
        claim_dict("broken", status="meh", sources=[{"url": "ftp://x.org"}]),
    ]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad), encoding="utf-8")
    out = run("import", str(path), db=db)
    assert out.returncode == 2
    assert out.stderr.splitlines()[0] == "claimbot: bad.json has 2 problems; nothing was changed:"
    assert "- claim 'broken' (#2 in the file): status:" in out.stderr
    assert (
        "- claim 'broken' (#2 in the file): sources[0].url: URL must start with http:// or https://"
        in out.stderr
    )
    assert run("export", "--all", db=db).stdout == before


def test_export_import_round_trip_and_file_output(db: Path, tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    out = run("export", str(target), db=db)
    assert out.returncode == 0 and out.stderr.strip() == f"Exported 6 claims to {target}."
    other = tmp_path / "other.db"
    run("init", "--empty", db=other)
    assert (
        run("import", str(target), db=other).stdout.strip()
        == "Imported 6 claims (6 new, 0 updated, 0 unchanged)."
    )
    assert run("export", db=other).stdout == target.read_text(encoding="utf-8")


def test_retract_hides_from_check_and_history_tells_why(db: Path) -> None:
    out = run("retract", "iran-srbm-russia", "--reason", "source withdrew the story", db=db)
    assert out.returncode == 0, out.stderr
    checked = json.loads(run("check", "--json", "Tehran sent ballistic missiles to Moscow", db=db).stdout)
    assert all(m["claim_id"] != "iran-srbm-russia" for m in checked["matches"])
    listing = run("list", "--all", db=db).stdout
    assert "iran-srbm-russia\talleged [retracted]" in listing
    history = [
        json.loads(line) for line in run("history", "--json", "iran-srbm-russia", db=db).stdout.splitlines()
    ]
    assert [h["action"] for h in history] == ["import", "retract"]
    assert history[-1]["note"] == "source withdrew the story"
    assert history[-1]["actor"].startswith("cli:")
    assert "[retracted: source withdrew the story]" in run("show", "iran-srbm-russia", db=db).stdout


def test_show_prints_the_card_and_json(db: Path) -> None:
    text = run("show", "nk-missiles-russia", db=db).stdout
    first, second = text.splitlines()[:2]
    assert first.startswith("The United States alleges: North Korea supplied ballistic missiles to Russia")
    assert first.endswith("[nk-missiles-russia]")
    assert second == "Alleged by the United States · denied by North Korea and Russia"
    assert "North Korea denies it" in text and "Russia denies it" in text
    data = json.loads(run("show", "--json", "nk-missiles-russia", db=db).stdout)
    assert data["status"] == "alleged" and data["retracted"] is False


def test_an_unreachable_store_is_a_one_line_failure_exit_1(tmp_path: Path) -> None:
    out = run("--db", "postgresql://nobody@127.0.0.1:1/none", "list", db=tmp_path / "x.db")
    assert out.returncode == 1
    assert out.stderr.startswith("claimbot: Cannot open the claim store") and out.stderr.count("\n") == 1


def test_claimreview_files_are_recognised_on_import_and_written_on_export(db: Path, tmp_path: Path) -> None:
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "claimReviewed": "Ukraine sold donated weapons on the dark web",
        "author": {"@type": "Organization", "name": "Example Fact Check"},
        "url": "https://factcheck.example.org/dark-web",
        "reviewRating": {"@type": "Rating", "alternateName": "False"},
        "itemReviewed": {"@type": "Claim", "author": {"name": "Viral posts"}},
    }
    path = tmp_path / "review.jsonld"
    path.write_text(json.dumps(review), encoding="utf-8")
    out = run("import", str(path), db=db)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "Imported 1 claim (1 new, 0 updated, 0 unchanged)."
    shown = json.loads(run("show", "--json", "ukraine-sold-donated-weapons-on-the-dark-web", db=db).stdout)
    assert shown["status"] == "false" and shown["attributions"] == [
        {"actor": "Viral posts", "verb": "claims"}
    ]
    exported = json.loads(run("export", "--format", "claimreview", db=db).stdout)
    assert {r["@type"] for r in exported} == {"ClaimReview"}
    assert len(exported) == 7
