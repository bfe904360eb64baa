"""The worked example of docs/codebook_guide.md: a port strike and floods, with a codebook and an
actor gazetteer of its own (docs/examples/), on the synthetic corpus tests/fixtures/portstrike/."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from kursk_utils import actors, engine, framing, tables
from kursk_utils.stages import FramingSettings, SentimentSettings

from conftest import PROJECT_ROOT

EXAMPLES = PROJECT_ROOT / "docs" / "examples"
CODEBOOK = EXAMPLES / "portstrike_codebook.toml"
ACTORS = EXAMPLES / "portstrike_actors.csv"
GOLD = EXAMPLES / "portstrike_gold.csv"
CORPUS = PROJECT_ROOT / "tests" / "fixtures" / "portstrike"


def kursk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kursk_utils", *args], capture_output=True, text=True,
                          cwd=PROJECT_ROOT)


def test_the_example_codebook_and_gazetteer_load():
    codebook = framing.load_codebook(CODEBOOK)
    assert codebook.frame_ids == ("labour_conflict", "flood_impact")
    assert codebook.fallbacks == ("negation", "referents", "agents", "voice")
    gazetteer = actors.load_gazetteer(ACTORS)
    assert {"port_authority", "lopez", "carver"} <= set(gazetteer["actor_id"])


@pytest.fixture(scope="module")
def analysed(tmp_path_factory):
    out = tmp_path_factory.mktemp("portstrike")
    engine.analyze_corpus(CORPUS, out, SentimentSettings(actors_path=str(ACTORS)),
                          FramingSettings(codebook_path=str(CODEBOOK), actors_path=str(ACTORS)))
    return out


def test_the_users_frames_are_the_columns_of_frames_by_document(analysed):
    by_document = pd.read_csv(analysed / "data" / "frames_by_document.csv", dtype={"doc_id": "str"})
    assert list(by_document.columns) == [
        "doc_id", "labour_conflict", "flood_impact", "labour_conflict_score", "labour_conflict_sentences",
        "flood_impact_score", "flood_impact_sentences"]
    present = by_document.set_index("doc_id")[["labour_conflict", "flood_impact"]]
    # Read in the articles: the strike report has no flood; the evacuation report has floods and
    # (last sentence) "the strike at the port" delaying flood barriers.
    assert present.loc["dockside-voice_2025-10-14_strike-begins"].tolist() == [1, 0]
    assert present.loc["wren-bulletin_2025-10-16_evacuations"].tolist() == [1, 1]
    assert len(present) == 10  # 6 txt/md files, 2 JSONL rows, 1 CSV row; metadata.csv is no article


def test_the_example_codebook_fits_its_corpus_and_the_shipped_one_does_not(analysed, tmp_path):
    fit = framing.topic_fit(tables.read_table(analysed, "topic_check"))
    assert (fit["n_on_topic"], fit["fits"]) == (10, True)
    engine.analyze_corpus(CORPUS, tmp_path, SentimentSettings(), FramingSettings())
    checked = tables.read_table(tmp_path, "topic_check")
    # None of the ten articles speaks of war, Ukraine or Russia (read by hand).
    assert checked["topic_sentences"].tolist() == [0] * 10
    assert framing.topic_fit(checked)["fits"] is False


def test_kursk_validate_framing_scores_the_example_on_its_gold_file():
    result = kursk("validate", "framing", "--gold", str(GOLD), "--codebook", str(CODEBOOK), "--json")
    assert result.returncode == 0, result.stderr
    figures = json.loads(result.stdout)
    assert figures["datasets"]["portstrike_gold"]["sentence"]["frames"] == ["labour_conflict", "flood_impact"]
    sentence = figures["figures"]["portstrike_gold"]["sentence"]
    # Counted in the gold file: labour_conflict in 4 of its 9 sentences, flood_impact in 3.
    assert (sentence["labour_conflict"]["support"], sentence["flood_impact"]["support"]) == (4, 3)
    assert sentence["labour_conflict"]["n"] == 9
    unrelated = kursk("validate", "framing", "--gold", str(GOLD))  # the shipped codebook
    assert unrelated.returncode != 0
    assert "no frame column of the codebook" in unrelated.stderr


def test_kursk_run_of_the_example_through_every_notebook(tmp_path):
    out = tmp_path / "run"
    result = kursk("run", "--corpus", str(CORPUS), "--output", str(out),
                   "-p", "codebook_path", str(CODEBOOK.relative_to(PROJECT_ROOT)),
                   "-p", "actors_path", str(ACTORS.relative_to(PROJECT_ROOT)))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "frustration_frame: the codebook has no frame 'soldier_frustration'" in result.stdout
    assert "topic check: 10 of 10 articles (100%) mention the codebook's topic" in result.stdout
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert [nb["status"] for nb in manifest["notebooks"]] == ["ok"] * 5
    assert manifest["parameters"]["distrust_frame"] is None
    assert manifest["topic_check"]["fits"] is True
    header = (out / "data" / "frames_by_document.csv").read_text(encoding="utf-8").splitlines()[0]
    assert header.split(",")[1:3] == ["labour_conflict", "flood_impact"]
    index = (out / "html" / "index.html").read_text(encoding="utf-8")
    assert "mention the codebook&#x27;s topic" in index
    # without the Kursk focus frames, the front page quotes the evidence of the user's two frames
    assert "Labour conflict" in index and "Flood impact" in index
    assert {p.name for p in (out / "figures").glob("*.html")} >= {"frame_prevalence.html", "voices.html",
                                                                   "distrust_of_us_support.html"}


@pytest.fixture(scope="module")
def shipped_codebook_run(tmp_path_factory):
    """``kursk run`` of the port strike corpus with the shipped (Kursk) codebook and gazetteer."""
    out = tmp_path_factory.mktemp("kursk_codebook") / "run"
    return kursk("run", "--corpus", str(CORPUS), "--output", str(out)), out


def test_a_codebook_that_does_not_fit_is_said_in_the_log_run_json_and_report(shipped_codebook_run):
    result, out = shipped_codebook_run
    warning = "only 0 of 10 articles (0%) mention the codebook's topic (fewer than 50%): the codebook may not fit"
    assert warning in result.stdout
    manifest = json.loads((out / "run.json").read_text(encoding="utf-8"))  # written even if 04 fails
    assert manifest["topic_check"]["fits"] is False and warning in manifest["topic_check"]["message"]
    index = (out / "html" / "index.html").read_text(encoding="utf-8")
    assert '<p class="status-failed">topic check: only 0 of 10 articles' in index


def test_the_shipped_codebook_on_a_non_war_corpus_runs_to_the_end(shipped_codebook_run):
    result, out = shipped_codebook_run
    assert result.returncode == 0, result.stderr[-2000:]
