"""Hostile or broken input costs nothing and gets one clean line: bombs, odd bytes, odd stores.

Each case runs the real `claimbot` command under a generous time limit and checks the exit code,
the one-line message and that the store did not change.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from bot import cli
from tests.conftest import FIXTURES, claim_dict
from tests.unit.test_cli import CLAIMBOT, run

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("hostile") / "claims.db"
    assert run("init", "--empty", db=path).returncode == 0
    assert run("import", str(FIXTURES / "sample_claims.json"), db=path).returncode == 0
    return path


def _one_line_error(out: subprocess.CompletedProcess[str], code: int, text: str) -> None:
    assert out.returncode == code, (out.returncode, out.stderr)
    assert out.stderr.startswith("claimbot: "), out.stderr
    assert text in out.stderr, out.stderr
    assert "Traceback" not in out.stderr and "[SQL:" not in out.stderr
    assert out.stderr.count("\n") == 1, out.stderr


def _file(tmp_path: Path, name: str, content: str | bytes) -> str:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return str(path)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("bomb.yaml", BILLION_LAUGHS, "YAML aliases (*name) are not allowed in claim files"),
        ("bomb.txt", BILLION_LAUGHS, "YAML aliases (*name) are not allowed"),  # auto-detected as YAML
    ],
)
def test_yaml_bombs_are_refused_at_once(
    db: Path, tmp_path: Path, name: str, content: str, message: str
) -> None:
    started = time.monotonic()
    out = run("import", _file(tmp_path, name, content), db=db)  # a process: a hang fails, not blocks
    assert time.monotonic() - started < 30
    assert out.returncode == 2, out.stderr
    assert out.stderr.splitlines() == [
        f"claimbot: {name} has 1 problem; nothing was changed:",
        out.stderr.splitlines()[1],
    ]
    assert message in out.stderr


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("dup.json", '[{"id": "dup-key", "id": "other-id"}]', "duplicate key 'id'"),
        ("dup.yaml", "- id: dup-key\n  id: other-id\n", "duplicate key 'id'"),
        ("deep.json", "[" * 100_000 + "]" * 100_000, "nested more than 50 levels deep"),
        ("deep.yaml", "- " * 5_000 + "x", "nested more than 50 levels deep"),
        ("deep2.json", '{"a": ' * 60 + "1" + "}" * 60, "nested more than 50 levels deep"),
        ("nul.json", json.dumps([claim_dict("nul-claim", statement="Iran supplied \x00 missiles to Russia")]),
         "statement: contains a control character (U+0000) at position 15"),
        ("surrogate.json", json.dumps([claim_dict("sur-claim", summary="broken \ud800 text")]),
         "summary: contains a lone surrogate, which is not Unicode text"),
    ],
)  # fmt: skip
def test_hostile_claim_files_are_refused_with_one_problem_line(
    db: Path,
    tmp_path: Path,
    name: str,
    content: str,
    message: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("CLAIMBOT_DB", str(db))
    capsys.readouterr()
    assert cli.main(["export", "--all"]) == 0
    before = capsys.readouterr().out
    started = time.monotonic()
    assert cli.main(["import", _file(tmp_path, name, content)]) == 2
    assert time.monotonic() - started < 30
    err = capsys.readouterr().err
    assert err.splitlines()[0] == f"claimbot: {name} has 1 problem; nothing was changed:"
    assert len(err.splitlines()) == 2 and message in err, err
    assert cli.main(["export", "--all"]) == 0
    assert capsys.readouterr().out == before


def test_yaml_dates_years_and_status_false_are_what_the_curator_typed(db: Path, tmp_path: Path) -> None:
    text = """\
- id: yaml-dates-claim
  statement: A claim written in YAML with unquoted dates
  status: false
  attributions:
    - actor: no
      date: 2024-09-10
      source: {outlet: Example, date: 2024}
  reviewed: 2026-11-25
"""
    out = run("import", _file(tmp_path, "dates.yaml", text), db=db)
    assert out.returncode == 0, out.stderr
    shown = json.loads(run("show", "--json", "yaml-dates-claim", db=db).stdout)
    assert shown["status"] == "false" and shown["reviewed"] == "2026-11-25"
    assert shown["attributions"][0] == {
        "actor": "no",
        "verb": "says",
        "date": "2024-09-10",
        "source": {"outlet": "Example", "date": "2024"},
    }


def test_a_lone_surrogate_in_batch_input_is_one_line_before_any_output(db: Path, tmp_path: Path) -> None:
    lines = [json.dumps({"text": "Tehran sent ballistic missiles to Moscow"}), '{"text": "bad \\ud800 text"}']
    out = run("check", "--json", "--batch", _file(tmp_path, "in.jsonl", "\n".join(lines)), db=db)
    _one_line_error(out, 2, "line 2: the text holds a lone surrogate (U+D800)")
    assert out.stdout == ""


def test_a_non_utf8_terminal_gets_the_reply_not_a_crash(db: Path) -> None:
    out = run("check", "Tehran sent ballistic missiles to Moscow", db=db, PYTHONIOENCODING="ascii")
    assert out.returncode == 0, out.stderr
    assert "alleges that Iran supplied" in out.stdout


def test_a_closed_pipe_is_a_quiet_success(db: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "CLAIMBOT_DEBUG"} | {"CLAIMBOT_DB": str(db)}
    proc = subprocess.Popen(
        [CLAIMBOT, "export", "--all"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # like `| head -1` exiting at once
    with proc.stderr:
        err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0, err
    assert err == ""


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("postgresql://u@127.0.0.1:99999/db", "claimbot: "),
        ("postgresql://u@[::1/db", "claimbot: "),
        ("postgresql://u:secret@127.0.0.1:notaport/db", "claimbot: "),
    ],
)
def test_bad_postgres_urls_are_one_line_and_never_echo_the_password(
    tmp_path: Path, url: str, message: str
) -> None:
    out = run("--db", url, "list", db=None)
    _one_line_error(out, 1, message)
    assert "secret" not in out.stderr
    assert "Error:" not in out.stderr and "unexpected error" not in out.stderr


def test_db_pointing_at_a_directory_says_so(tmp_path: Path) -> None:
    out = run("--db", str(tmp_path), "list", db=None)
    _one_line_error(out, 1, f"{tmp_path} is a directory, not a claim store")


def test_a_mistyped_db_path_is_an_error_and_creates_nothing(db: Path) -> None:
    typo = db.with_name("claims.bd")
    out = run("--db", str(typo), "list", db=None)
    _one_line_error(out, 1, f"No claim store at {typo}; run `claimbot init` first.")
    assert not typo.exists()
    out = run("import", str(FIXTURES / "sample_claims.json"), db=typo)  # CLAIMBOT_DB names it too
    _one_line_error(out, 1, "run `claimbot init` first")
    assert not typo.exists()


def test_a_read_only_store_reads_and_refuses_writes_in_one_line(db: Path) -> None:
    ro = f"sqlite:///file:{db}?mode=ro&uri=true"
    listing = run("--db", ro, "list", db=None)
    assert listing.returncode == 0, listing.stderr
    assert "iran-srbm-russia" in listing.stdout
    out = run("--db", ro, "retract", "iran-srbm-russia", "--reason", "try it", db=None)
    _one_line_error(out, 1, "Cannot write to the claim store: attempt to write a readonly database")
    assert "Iran supplied" not in out.stderr  # no claim body, no SQL


def test_ctrl_c_during_an_import_exits_130_and_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "claims.db"
    assert run("init", "--empty", db=db).returncode == 0
    big = tmp_path / "big.json"
    claims = [
        claim_dict(f"bulk-claim-{i}", statement=f"Bulk claim number {i} for Ctrl-C") for i in range(6000)
    ]
    big.write_text(json.dumps(claims), encoding="utf-8")
    wal = Path(f"{db}-wal")
    start = wal.stat().st_size if wal.exists() else 0
    env = {k: v for k, v in os.environ.items() if k != "CLAIMBOT_DEBUG"} | {"CLAIMBOT_DB": str(db)}
    proc = subprocess.Popen([CLAIMBOT, "import", str(big)], env=env, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while proc.poll() is None and time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_size > start + 64 * 1024:
            break
        time.sleep(0.002)
    interrupted_mid_write = proc.poll() is None
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert interrupted_mid_write, "the import finished before Ctrl-C; make the file bigger"
    assert proc.returncode == 130, err
    assert err.strip().splitlines() == ["claimbot: interrupted"]
    assert run("list", db=db).stdout == ""
