"""Claims' analyses kept on disk between runs, so that start-up does not analyse every claim again.

Building the match index analyses each claim's texts (normalizing, stemming, reading entities and
roles): about 4.5 s of a 14k-claim store's 6 s start-up on this project's machines. The analysis
depends only on the texts and on the matching code and lexicon, so it is kept in one JSON file per
:func:`claims_db.matching.analysis_version` in a cache directory, keyed by the claim's texts:

* ``CLAIMBOT_CACHE_DIR`` names the directory (``off`` keeps nothing); the default is the user's
  cache directory (``~/.cache/claimbot`` on Linux).
* A file made by other code or another lexicon is never read (its name and its header carry the
  version); one that cannot be read or parsed is ignored, and every claim is analysed as before.
* The file is replaced whole (written beside it, then renamed), so processes that share the
  directory never read half a file; the last writer wins, and what it wrote is complete.
* Nothing here is needed for correctness: deleting the directory costs one slower start.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

ENV_CACHE_DIR = "CLAIMBOT_CACHE_DIR"
FORMAT = 1
# At most this many claims' analyses are kept: those of the latest build first, then older ones
# (other stores sharing the directory, earlier versions of edited claims) while room is left.
LIMIT = 500_000

log = logging.getLogger(__name__)


def cache_dir(environ: Mapping[str, str] | None = None) -> Path | None:
    """``CLAIMBOT_CACHE_DIR`` (``off``, ``0`` or ``none``: no cache), else the user's cache directory."""
    env = os.environ if environ is None else environ
    value = env.get(ENV_CACHE_DIR, "").strip()
    if value.lower() in {"off", "0", "none", "false"}:
        return None
    if value:
        return Path(value).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("claimbot"))


class AnalysisCache:
    """One directory's file of claims' analyses for one analysis version.

    ``load()`` gives the mapping ``Matcher(prepared=...)`` reads and extends; ``save(mapping,
    used)`` writes it back when it holds something the file does not.
    """

    def __init__(self, directory: Path, version: str) -> None:
        self.directory = directory
        self.version = version
        self.path = directory / f"analysis-{version}.json"
        self._loaded = 0

    def load(self) -> dict[str, Any]:
        """The kept analyses, or an empty mapping when there are none usable."""
        self._loaded = 0
        try:
            with self.path.open("rb") as f:
                data = json.loads(f.read())
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as exc:
            log.warning("ignoring the analysis cache %s: %s", self.path, exc)
            return {}
        if (
            not isinstance(data, dict)
            or data.get("format") != FORMAT
            or data.get("version") != self.version
            or not isinstance(data.get("claims"), dict)
        ):
            log.warning("ignoring the analysis cache %s: not written for this version", self.path)
            return {}
        claims: dict[str, Any] = data["claims"]
        self._loaded = len(claims)
        return claims

    def save(self, prepared: Mapping[str, Any], used: set[str] | None = None) -> bool:
        """Write ``prepared`` if it holds entries the file did not; whether it wrote.

        ``used`` are the keys of the build just made: they are kept first when the file would
        exceed :data:`LIMIT` entries. A failure to write is logged, never raised.
        """
        if len(prepared) <= self._loaded:
            return False
        keep: Mapping[str, Any] = prepared
        if len(prepared) > LIMIT:
            first = [k for k in prepared if used is None or k in used][:LIMIT]
            rest = [k for k in prepared if used is not None and k not in used][: LIMIT - len(first)]
            keep = {k: prepared[k] for k in (*first, *rest)}
        body = json.dumps(
            {"format": FORMAT, "version": self.version, "claims": keep},
            ensure_ascii=False,
            separators=(",", ":"),
        ).encode("utf-8")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.directory, prefix=".analysis-", suffix=".tmp")
            try:
                with os.fdopen(fd, "wb") as f:
                    f.write(body)
                os.replace(tmp, self.path)
            except BaseException:
                Path(tmp).unlink(missing_ok=True)
                raise
            for old in self.directory.glob("analysis-*.json"):  # other versions are never read again
                if old != self.path:
                    old.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("could not write the analysis cache %s: %s", self.path, exc)
            return False
        self._loaded = len(keep)
        return True
