"""Frame validation: metric arithmetic checked by hand, and the measured figures guarded."""

from __future__ import annotations

import json
import tomllib

import pandas as pd
import pytest

from conftest import SEEDS, TWO_FRAME_CODEBOOK

from kursk_utils import engine, tables
from kursk_utils.framing import DEFAULT_CODEBOOK_PATH, load_codebook
from kursk_utils.stages import FramingSettings, SentimentSettings
from kursk_utils.validation import framing as validation

# Figures measured on 2026-11-21 with the shipped codebook (see the report in the module docstring
# of kursk_utils.validation.framing); the guards allow a small drop only.
SEED_SENTENCE_MICRO_F1 = 0.7943
SEED_DOCUMENT_MICRO_F1 = 0.9259
CHALLENGE_SENTENCE_MICRO_F1 = 0.7597
SEED_SENTENCE_F1 = {
    "soldier_frustration": 0.7619,
    "us_support_distrust": 0.6364,
    "chaotic_retreat": 0.9032,
    "incursion_strategic_value": 0.6667,
    "peace_negotiations": 0.8667,
    "russian_military_success": 0.7273,
    "north_korean_troops": 1.0,
    "human_cost": 0.9333,
    "official_reassurance": 0.8889,
    "european_support": 1.0,
    "drone_technology": 0.7059,
}
TOLERANCE = 0.02
FRAME_IDS = list(load_codebook().frame_ids)


@pytest.fixture(scope="module")
def result():
    return validation.evaluate()


def test_result_is_json_and_covers_every_frame(result):
    assert json.loads(json.dumps(result)) == result
    assert result["seed"]["sentences_from"] == "ingested seed corpus"
    for block in (result["seed"]["sentence"], result["seed"]["document"], result["challenge"]["sentence"]):
        assert list(block["per_frame"]) == list(FRAME_IDS)
    assert result["seed"]["sentence"]["n_items"] == 101
    assert result["seed"]["document"]["n_items"] == 4


def test_figures_do_not_regress(result):
    assert result["seed"]["sentence"]["micro"]["f1"] >= SEED_SENTENCE_MICRO_F1 - TOLERANCE
    assert result["seed"]["document"]["micro"]["f1"] >= SEED_DOCUMENT_MICRO_F1 - TOLERANCE
    assert result["challenge"]["sentence"]["micro"]["f1"] >= CHALLENGE_SENTENCE_MICRO_F1 - TOLERANCE
    for frame_id, f1 in SEED_SENTENCE_F1.items():
        assert result["seed"]["sentence"]["per_frame"][frame_id]["f1"] >= f1 - 0.05, frame_id


def test_support_matches_the_annotation_files(result):
    seed = validation.load_annotations(validation.SEED_ANNOTATIONS)
    challenge = validation.load_annotations(validation.CHALLENGE)
    for frame_id in FRAME_IDS:
        assert result["seed"]["sentence"]["per_frame"][frame_id]["support"] == int(seed[frame_id].sum())
        assert result["challenge"]["sentence"]["per_frame"][frame_id]["support"] == int(challenge[frame_id].sum())
    styles = result["challenge"]["by_style"]
    assert sum(s["support"] for s in styles.values()) == result["challenge"]["sentence"]["micro"]["support"]


def test_scores_by_hand():
    # human_cost: gold 1,1,0,0 vs predicted 1,0,1,0 -> tp 1, fp 1, fn 1: P = R = F1 = 0.5.
    # drone_technology: gold 1,0,0,0 vs predicted 1,0,0,0 -> P = R = F1 = 1.
    # Every other frame: no gold, no prediction -> zeros, left out of the macro average.
    gold = pd.DataFrame(0, index=range(4), columns=list(FRAME_IDS))
    predicted = gold.copy()
    gold["human_cost"] = [1, 1, 0, 0]
    predicted["human_cost"] = [1, 0, 1, 0]
    gold["drone_technology"] = [1, 0, 0, 0]
    predicted["drone_technology"] = [1, 0, 0, 0]
    scores = validation._scores(gold, predicted, FRAME_IDS)
    assert scores["per_frame"]["human_cost"] == {
        "precision": 0.5, "recall": 0.5, "f1": 0.5, "support": 2, "predicted": 2, "tp": 1
    }
    assert scores["per_frame"]["drone_technology"]["f1"] == 1.0
    assert scores["per_frame"]["peace_negotiations"]["f1"] == 0.0
    # micro pools tp 2, fp 1, fn 1 -> P = R = 2/3
    assert scores["micro"]["precision"] == round(2 / 3, 4) and scores["micro"]["recall"] == round(2 / 3, 4)
    assert scores["macro"] == {"precision": 0.75, "recall": 0.75, "f1": 0.75, "n_frames": 2}


def test_summary_frame_rows(result):
    table = validation.summary_frame(result)
    assert list(table.columns) == validation.SUMMARY_COLUMNS
    # seed: sentence + document, challenge: sentence; 11 frames + micro + macro each
    assert len(table) == 3 * (len(FRAME_IDS) + 2)
    micro = table[(table["dataset"] == "seed") & (table["level"] == "sentence") & (table["frame"] == "micro")]
    assert micro["f1"].iloc[0] == result["seed"]["sentence"]["micro"]["f1"]
    assert table.loc[table["frame"] == "macro", "support"].isna().all()


def test_without_seed_corpus_uses_annotation_text(tmp_path):
    result = validation.evaluate(corpus_path=tmp_path / "absent")
    assert result["seed"]["sentences_from"] == "annotation text"
    assert result["seed"]["sentence"]["n_items"] == 101
    assert result["seed"]["sentence"]["micro"]["f1"] >= 0.7925 - TOLERANCE


def test_validation_detects_the_frames_a_pipeline_run_writes(tmp_path, seed_ingested):
    # Non-default settings: the validation must use the pipeline's settings, not its own.
    sentiment_settings = SentimentSettings(threshold=0.3, arc_window=2)
    framing_settings = FramingSettings(implementation="nltk")
    engine.analyze_corpus(SEEDS, tmp_path, sentiment_settings, framing_settings)
    detected = validation.detect_as_pipeline(seed_ingested.documents, seed_ingested.sentences,
                                             sentiment_settings, framing_settings)
    pd.testing.assert_frame_equal(detected, tables.read_table(tmp_path, "frames_by_sentence"),
                                  check_exact=True)
    assert len(detected) > 50  # the seeds have frames to compare


def test_only_the_frames_of_both_codebook_and_annotations_are_scored(tmp_path):
    # A codebook with two of the shipped frames (drone_technology, human_cost) and two of its own.
    data = tomllib.loads(DEFAULT_CODEBOOK_PATH.read_text(encoding="utf-8"))
    own = tmp_path / "subset.toml"
    keep = {name: data["frames"][name] for name in ("drone_technology", "human_cost")}
    lines = []
    for name, frame in keep.items():
        lines.append(f"[frames.{name}]")
        for key in ("label", "definition", "include"):
            lines.append(f"{key} = {json.dumps(frame[key])}")
        lines.append(f"threshold = {frame['threshold']}")
        lines.append("cues = [" + ", ".join(
            f"{{ pattern = {json.dumps(c['pattern'])}, weight = {c['weight']} }}" for c in frame["cues"]) + "]")
    own.write_text("\n".join(lines) + "\n" + TWO_FRAME_CODEBOOK, encoding="utf-8")
    result = validation.evaluate(codebook_path=own)
    assert result["frames"] == ["drone_technology", "human_cost"]
    assert result["frames_not_annotated"] == ["wages", "weather"]
    seed = validation.load_annotations(validation.SEED_ANNOTATIONS)
    for frame_id in result["frames"]:
        assert result["seed"]["sentence"]["per_frame"][frame_id]["support"] == int(seed[frame_id].sum())
    assert list(result["challenge"]["sentence"]["per_frame"]) == ["drone_technology", "human_cost"]

    none_shared = tmp_path / "none.toml"
    none_shared.write_text(TWO_FRAME_CODEBOOK, encoding="utf-8")
    result = validation.evaluate(codebook_path=none_shared)
    assert result["frames"] == [] and result["seed"] is None and "--gold" in result["note"]
    assert validation.summary_frame(result).empty


def test_evaluate_gold_scores_a_users_codebook_on_their_annotations(tmp_path):
    codebook = tmp_path / "mine.toml"
    codebook.write_text(TWO_FRAME_CODEBOOK, encoding="utf-8")
    gold = tmp_path / "gold.csv"
    # wages: gold 1,0,1 | detected 1 ("pay rise"), 0, 0 ("salaries" is no cue): tp 1, fn 1 -> P 1, R 0.5.
    # weather: gold 0,1,0 | detected 0, 1 ("flood", 1.0), 0 ("storm" weighs 0.5 < threshold 1): P = R = 1.
    gold.write_text(
        "doc_id,text,wages,weather,notes\n"
        "a,Dockers want a pay rise.,1,0,\n"
        "a,The flood closed the quay.,0,1,\n"
        "b,Salaries are too low; a storm is coming.,1,0,storm is a metaphor\n",
        encoding="utf-8")
    result = validation.evaluate_gold(gold, codebook)
    assert result["frames"] == ["wages", "weather"] and result["gold"] == "gold.csv"
    sentence = result["annotations"]["sentence"]
    assert sentence["per_frame"]["wages"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667,
                                              "support": 2, "predicted": 1, "tp": 1}
    assert sentence["per_frame"]["weather"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0,
                                                "support": 1, "predicted": 1, "tp": 1}
    # Documents: a has wages and weather in gold and detected; b has wages in gold only.
    document = result["annotations"]["document"]
    assert document["per_frame"]["wages"]["recall"] == 0.5 and document["per_frame"]["weather"]["f1"] == 1.0
    table = validation.summary_frame(result)
    assert set(table["dataset"]) == {"annotations"} and len(table) == 2 * (2 + 2)

    unrelated = tmp_path / "unrelated.csv"
    unrelated.write_text("doc_id,text,human_cost\na,x,1\n", encoding="utf-8")
    with pytest.raises(ValueError, match="annotates none of the frames of mine.toml: .*wages, weather"):
        validation.evaluate_gold(unrelated, codebook)
    with pytest.raises(ValueError, match=r"lacks the column\(s\) \['text'\]"):
        bad = tmp_path / "bad.csv"
        bad.write_text("doc_id,wages\na,1\n", encoding="utf-8")
        validation.evaluate_gold(bad, codebook)
