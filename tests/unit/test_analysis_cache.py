"""Claims' analyses kept between runs: the index built from them matches as one built from scratch,
a restart analyses only what changed, and a damaged, foreign or missing cache costs only time."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

import claims_db.matching as matching
from claims_db.matching import Matcher, analysis_version, prepared_key
from claims_db.matching.analyze import analyze
from claims_db.matching.normalize import normalize
from claims_db.models import Verdict
from claims_db.service import ClaimService, bundled_claims
from claims_db.store import open_store
from claims_db.store.cache import AnalysisCache, cache_dir
from tests.conftest import claim_dict

pytestmark = pytest.mark.lexical  # about the words' analysis; the semantic tier is not involved

MESSAGES = [
    "Tehran sent ballistic missiles to Moscow",
    "Russia supplied ballistic missiles to Iran",  # reversed: never a match
    "did iran ship rockets to putin?",
    "Iran denies sending missiles to Russia",
    "the weather is nice today",
]


@pytest.fixture
def analysed(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """The statements of the claims analysed from their texts (not read from a cache)."""
    seen: list[str] = []
    real = matching._analyse_texts

    def counting(raw):  # type: ignore[no-untyped-def]
        seen.append(raw[0])
        return real(raw)

    monkeypatch.setattr(matching, "_analyse_texts", counting)
    yield seen


def _verdicts(m: Matcher) -> list[tuple[str, str | None, float]]:
    out = []
    for text in MESSAGES:
        r = m.check(text)
        top = r.matches[0] if r.matches else None
        out.append((r.verdict.value, top.claim_id if top else None, round(top.score, 6) if top else 0.0))
    return out


def test_an_index_built_from_kept_analyses_answers_as_one_built_from_the_texts() -> None:
    claims = bundled_claims()
    prepared: dict = {}
    first = Matcher(claims, prepared=prepared)
    assert len(prepared) == len(claims)
    kept = json.loads(json.dumps(prepared))  # what the file gives back
    again = Matcher(claims, prepared=kept)
    assert _verdicts(again) == _verdicts(first) == _verdicts(Matcher(claims))
    assert _verdicts(again)[1][0] != Verdict.MATCH.value  # the swap is vetoed
    # and every kept analysis is the one the analyser gives (the roles and entities included)
    for claim in claims:
        entry, _, _ = matching._prepare(claim, kept)
        for text, got in zip(dict.fromkeys(claim.texts), entry.texts, strict=True):
            want = analyze(normalize(text))
            assert (got.text, got.terms, got.entities, got.roles) == (
                want.text, want.terms, want.entities, want.roles)  # fmt: skip
    assert any(t.roles for claim in claims for t in matching._prepare(claim, kept)[0].texts)


def test_a_damaged_entry_is_analysed_again(analysed: list[str]) -> None:
    claims = bundled_claims()[:3]
    prepared: dict = {}
    Matcher(claims, prepared=prepared)
    key = prepared_key(claims[1].texts)
    prepared[key] = [["text", "not a list", [], [], []]]
    analysed.clear()
    m = Matcher(claims, prepared=prepared)
    assert analysed == [claims[1].statement]
    assert m.check(claims[1].statement).matches[0].claim_id == claims[1].id


async def _start(db: str, where: Path) -> ClaimService:
    async with open_store(db) as store:
        service = ClaimService(store, cache_dir=where)
        await service.ensure_index()
        return service


async def test_a_restart_analyses_only_the_claims_that_changed(tmp_path: Path, analysed: list[str]) -> None:
    db, where = f"sqlite:///{tmp_path}/claims.db", tmp_path / "cache"
    async with open_store(db) as store:
        await ClaimService(store).load(seed_if_empty=True, index=False)
    seeds = bundled_claims()

    await _start(db, where)
    assert len(analysed) == len(seeds)
    files = list(where.glob("analysis-*.json"))
    assert [f.name for f in files] == [f"analysis-{analysis_version()}.json"]

    analysed.clear()
    service = await _start(db, where)
    assert analysed == []
    outcome = await service.check("Tehran sent ballistic missiles to Moscow")
    assert outcome.result.verdict is Verdict.MATCH

    async with open_store(db) as store:
        svc = ClaimService(store)
        await svc.load()
        await svc.edit(
            "iran-srbm-russia", {"paraphrases": ["Iran shipped Fath-360 missiles to Russia"]}, actor="t"
        )
    analysed.clear()
    service = await _start(db, where)
    assert analysed == ["Iran supplied short-range ballistic missiles to Russia for use in Ukraine"]
    outcome = await service.check("Iran shipped Fath-360 missiles to Russia")
    assert outcome.result.matches[0].claim_id == "iran-srbm-russia"


@pytest.mark.parametrize(
    "content",
    [
        b"\x00\xffnot json at all",
        b'{"format": 1, "version": "another", "claims": {}}',
        b'["a list"]',
    ],
    ids=["garbage", "another version", "wrong shape"],
)
async def test_a_damaged_or_foreign_cache_is_ignored_and_replaced(
    tmp_path: Path, analysed: list[str], content: bytes
) -> None:
    db, where = f"sqlite:///{tmp_path}/claims.db", tmp_path / "cache"
    async with open_store(db) as store:
        await ClaimService(store).import_claims(json.dumps([claim_dict()]), actor="t")
    where.mkdir()
    path = where / f"analysis-{analysis_version()}.json"
    path.write_bytes(content)
    service = await _start(db, where)
    assert analysed == [claim_dict()["statement"]]
    assert (await service.check("Tehran sent ballistic missiles to Moscow")).result.verdict is Verdict.MATCH
    assert json.loads(path.read_text())["version"] == analysis_version()


async def test_an_unwritable_cache_directory_only_costs_time(tmp_path: Path, analysed: list[str]) -> None:
    db = f"sqlite:///{tmp_path}/claims.db"
    async with open_store(db) as store:
        await ClaimService(store).import_claims(json.dumps([claim_dict()]), actor="t")
    blocker = tmp_path / "a file"
    blocker.write_text("not a directory")
    service = await _start(db, blocker / "cache")
    assert (await service.check("Tehran sent ballistic missiles to Moscow")).result.verdict is Verdict.MATCH


def test_old_versions_are_removed_when_a_new_one_is_written(tmp_path: Path) -> None:
    (tmp_path / "analysis-old.json").write_text("{}")
    cache = AnalysisCache(tmp_path, analysis_version())
    assert cache.save({"k": []})
    assert [p.name for p in tmp_path.iterdir()] == [cache.path.name]
    assert not cache.save(cache.load())  # nothing new: not written again


def test_the_cache_directory_comes_from_the_environment(tmp_path: Path) -> None:
    assert cache_dir({"CLAIMBOT_CACHE_DIR": str(tmp_path)}) == tmp_path
    assert cache_dir({"CLAIMBOT_CACHE_DIR": "off"}) is None
    assert cache_dir({}) is not None and cache_dir({}).name == "claimbot"  # the user's cache directory


def test_the_version_changes_with_the_lexicon(monkeypatch: pytest.MonkeyPatch) -> None:
    analysis_version.cache_clear()
    before = analysis_version()
    analysis_version.cache_clear()
    from importlib import resources

    real = resources.files

    class Patched:
        def __init__(self, inner):  # type: ignore[no-untyped-def]
            self.inner = inner

        def iterdir(self):  # type: ignore[no-untyped-def]
            for f in self.inner.iterdir():
                if f.name == "words.json":
                    yield _Renamed(f)
                else:
                    yield f

    class _Renamed:
        def __init__(self, f):  # type: ignore[no-untyped-def]
            self.f, self.name = f, f.name

        def is_file(self) -> bool:
            return True

        def read_bytes(self) -> bytes:
            return self.f.read_bytes() + b" "

    def files(pkg):  # type: ignore[no-untyped-def]
        return Patched(real(pkg)) if pkg == "claims_db.data" else real(pkg)

    monkeypatch.setattr(resources, "files", files)
    try:
        assert analysis_version() != before
    finally:
        monkeypatch.undo()
        analysis_version.cache_clear()
    assert analysis_version() == before
