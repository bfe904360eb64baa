"""Shared fixtures: the project's paths, the ingested seed corpus and the validation sentences."""

from __future__ import annotations

from pathlib import Path

import pytest

from kursk_utils.corpus import Ingested, ingest
from kursk_utils.validation import framing as framing_validation
from kursk_utils.validation import sentiment as sentiment_validation

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS = PROJECT_ROOT / "seeds"
NOTEBOOKS = PROJECT_ROOT / "notebooks"

# A user's codebook with two frames of its own and nothing else (the other sections fall back).
TWO_FRAME_CODEBOOK = """
[frames.wages]
label = "Wages"
definition = "Pay as the issue."
include = "pay, wages or salaries are the issue"
threshold = 1
cues = [{ pattern = 'wages?|pay rise', weight = 1 }]

[frames.weather]
label = "Weather"
definition = "The weather as the cause."
include = "rain, storms or floods cause the events"
threshold = 1.0
negatable = true
cues = [{ pattern = 'rain\\w*|storms?', weight = 0.5 }, { pattern = 'flood\\w*', weight = 1.0 }]
"""


@pytest.fixture(scope="session")
def seed_ingested() -> Ingested:
    """The seed articles, ingested once per test session."""
    return ingest(SEEDS)


@pytest.fixture(scope="session")
def validation_texts() -> list[str]:
    """The 6,580 sentences of the shipped validation sets (NYT, NewsMTSC, frame gold sets)."""
    texts = sentiment_validation.load_nyt_editorials()["text"].tolist()
    texts += sentiment_validation.load_newsmtsc("devtest_rw")["sentence"].tolist()
    for name in ("frame_annotations.csv", "frame_challenge.csv"):
        texts += framing_validation.load_annotations(name)["text"].tolist()
    return texts
