"""Every data file the package reads at run time is installed with it (not only in a checkout)."""

from __future__ import annotations

import fnmatch
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_file_under_claims_db_data_is_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = config["tool"]["setuptools"]["package-data"]["claims_db"]
    data = ROOT / "claims_db" / "data"
    files = [p.relative_to(ROOT / "claims_db").as_posix() for p in data.rglob("*") if p.is_file()]
    assert files
    missing = [
        f
        for f in files
        if not any(fnmatch.fnmatchcase(f, g) and "/" not in f[len(g.split("*")[0]) :] for g in globs)
    ]
    assert missing == [], f"not installed by a wheel: {missing}"
