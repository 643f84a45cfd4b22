"""A crash mid-write leaves the store as it was: an import killed with SIGKILL while it writes."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

from tests.conftest import FIXTURES, claim_dict
from tests.unit.test_cli import CLAIMBOT, run


def test_an_import_killed_mid_write_changes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "claims.db"
    assert run("init", "--empty", db=db).returncode == 0
    assert run("import", str(FIXTURES / "sample_claims.json"), db=db).returncode == 0
    before = run("export", "--all", db=db).stdout
    big = tmp_path / "big.json"
    claims = [
        claim_dict(f"bulk-claim-{i}", statement=f"Bulk claim number {i} for the crash test")
        for i in range(4000)
    ]
    big.write_text(json.dumps(claims), encoding="utf-8")
    wal = Path(f"{db}-wal")
    wal_before = wal.stat().st_size if wal.exists() else 0

    env = {**os.environ, "CLAIMBOT_DB": str(db)}
    proc = subprocess.Popen(
        [CLAIMBOT, "import", str(big)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    # wait until the transaction is writing pages, then pull the plug
    while proc.poll() is None and time.monotonic() < deadline:
        if wal.exists() and wal.stat().st_size > wal_before + 256 * 1024:
            break
        time.sleep(0.005)
    killed_mid_write = proc.poll() is None
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)

    assert killed_mid_write, "the import finished before it could be killed; make the file bigger"
    assert run("export", "--all", db=db).stdout == before
    listing = run("list", db=db)
    assert listing.returncode == 0 and listing.stdout.count("\n") == 6
    # and the store still takes the same import afterwards
    done = run("import", str(big), db=db)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "Imported 4000 claims (4000 new, 0 updated, 0 unchanged)."
