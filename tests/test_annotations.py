"""Format checks for the human frame annotations shipped in ``kursk_utils/data/validation/``.

``frame_annotations.csv`` is the gold standard for the seeds (one row per sentence of the current
segmentation); ``frame_challenge.csv`` holds synthetic sentences in other outlets' styles for
testing generalization. Both are hand-labelled; these tests guard their shape, not the detector.
"""

from __future__ import annotations

import re
from importlib import resources

import pandas as pd
import pytest

FRAME_IDS = [
    "soldier_frustration",
    "us_support_distrust",
    "chaotic_retreat",
    "incursion_strategic_value",
    "peace_negotiations",
    "russian_military_success",
    "north_korean_troops",
    "human_cost",
    "official_reassurance",
    "european_support",
    "drone_technology",
]
CHALLENGE_STYLES = {"kyiv_independent", "ukrainska_pravda", "reuters", "ap", "tass", "rt", "isw"}
VALIDATION_DIR = resources.files("kursk_utils").joinpath("data", "validation")


def read_validation_csv(name: str) -> pd.DataFrame:
    """Read a shipped annotation file as text columns plus integer labels (empty notes stay "")."""
    with VALIDATION_DIR.joinpath(name).open("rb") as f:
        return pd.read_csv(f, keep_default_na=False, dtype={"doc_id": str, "item_id": str})


@pytest.fixture(scope="module")
def annotations() -> pd.DataFrame:
    return read_validation_csv("frame_annotations.csv")


@pytest.fixture(scope="module")
def challenge() -> pd.DataFrame:
    return read_validation_csv("frame_challenge.csv")


def label_row(annotations: pd.DataFrame, doc_id: str, text_start: str) -> pd.Series:
    rows = annotations[(annotations["doc_id"] == doc_id) & annotations["text"].str.startswith(text_start)]
    assert len(rows) == 1, f"expected one sentence of {doc_id} starting {text_start!r}"
    return rows.iloc[0]


# --- seed gold standard ---------------------------------------------------------------------------

def test_annotation_columns_are_keys_text_frames_notes(annotations):
    assert list(annotations.columns) == ["doc_id", "sentence_id", "text", *FRAME_IDS, "notes"]


def test_every_seed_sentence_is_annotated_exactly_once(annotations, seed_ingested):
    sentences = seed_ingested.sentences[["doc_id", "sentence_id", "text"]]
    assert not annotations.duplicated(["doc_id", "sentence_id"]).any()
    merged = sentences.merge(
        annotations[["doc_id", "sentence_id", "text"]],
        on=["doc_id", "sentence_id"],
        how="outer",
        suffixes=("_segmented", "_annotated"),
        indicator=True,
    )
    unmatched = merged[merged["_merge"] != "both"]
    assert unmatched.empty, f"sentences not matched between segmentation and annotations:\n{unmatched}"
    changed = merged[merged["text_segmented"] != merged["text_annotated"]]
    assert changed.empty, f"annotated text differs from sentences.text:\n{changed}"


def test_annotations_are_sorted_by_key(annotations):
    keys = annotations[["doc_id", "sentence_id"]]
    assert keys.equals(keys.sort_values(["doc_id", "sentence_id"], ignore_index=True))


@pytest.mark.parametrize("name", ["frame_annotations.csv", "frame_challenge.csv"])
def test_labels_are_binary_integers(name):
    labels = read_validation_csv(name)[FRAME_IDS]
    assert all(pd.api.types.is_integer_dtype(dtype) for dtype in labels.dtypes)
    assert set(pd.unique(labels.to_numpy().ravel())) <= {0, 1}


def test_every_frame_has_a_positive_seed_sentence(annotations):
    # Sentence-level recall is undefined for a frame without any gold positive.
    positives = annotations[FRAME_IDS].sum()
    assert (positives > 0).all(), positives[positives == 0]


def test_codebook_boundary_cases_are_labelled_as_the_codebook_says(annotations):
    # The codebook's own examples: resolve is not frustration; denied encirclement is reassurance,
    # not a chaotic retreat; "carrying out their tasks" is reassurance.
    holding_on = label_row(annotations, "000_a4d19107e3aefedf", "Even in the challenging environment")
    assert holding_on["soldier_frustration"] == 0
    no_encirclement = label_row(annotations, "003_78ab2bbd060f4baf", "Commander-in-Chief Oleksandr Syrskyi")
    assert (no_encirclement["official_reassurance"], no_encirclement["chaotic_retreat"]) == (1, 0)
    tasks = label_row(annotations, "003_78ab2bbd060f4baf", "Ukrainian President Volodymyr Zelenskyy")
    assert tasks["official_reassurance"] == 1
    burnt_vehicles = label_row(annotations, "000_a4d19107e3aefedf", "During their final trip")
    assert burnt_vehicles["human_cost"] == 0


# --- synthetic challenge set ----------------------------------------------------------------------

def test_challenge_columns_ids_and_styles(challenge):
    assert list(challenge.columns) == ["item_id", "style", "text", *FRAME_IDS, "notes"]
    assert challenge["item_id"].is_unique
    assert challenge["item_id"].map(lambda item_id: re.fullmatch(r"c\d{3}", item_id) is not None).all()
    assert set(challenge["style"]) == CHALLENGE_STYLES
    assert challenge["text"].str.strip().ne("").all()
    assert challenge["text"].is_unique


def test_challenge_has_enough_positives_and_negatives_per_frame(challenge):
    assert len(challenge) >= 120
    positives = challenge[FRAME_IDS].sum()
    assert (positives >= 8).all(), positives[positives < 8]
    assert ((len(challenge) - positives) >= 4).all()


def test_challenge_sentences_are_not_taken_from_the_seeds(challenge, seed_ingested):
    seed_texts = set(seed_ingested.sentences["text"])
    assert not set(challenge["text"]) & seed_texts


# --- guidelines -----------------------------------------------------------------------------------

def test_guidelines_give_rules_for_every_frame_and_flag_synthetic_items():
    guidelines = VALIDATION_DIR.joinpath("ANNOTATION_GUIDELINES.md").read_text(encoding="utf-8")
    headings = set(re.findall(r"^#+\s+`?([a-z_]+)`?\s*$", guidelines, flags=re.MULTILINE))
    assert set(FRAME_IDS) <= headings, set(FRAME_IDS) - headings
    assert "synthetic" in guidelines.lower()
