"""Shared fixtures: the project's paths and the ingested seed corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

from kursk_utils.corpus import Ingested, ingest

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS = PROJECT_ROOT / "seeds"
NOTEBOOKS = PROJECT_ROOT / "notebooks"


@pytest.fixture(scope="session")
def seed_ingested() -> Ingested:
    """The seed articles, ingested once per test session."""
    return ingest(SEEDS)
