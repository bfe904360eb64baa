"""What the notebooks, figures and report say about a corpus (kursk_utils.findings)."""

from __future__ import annotations

import pandas as pd
import pytest

from kursk_utils import findings, stages
from kursk_utils.framing import load_codebook

FRAME_IDS = load_codebook().frame_ids  # the shipped codebook, in its order
from viz_synthetic import synthetic_tables


@pytest.fixture()
def tables() -> dict[str, pd.DataFrame]:
    tables = synthetic_tables()
    # Two US mentions in a#3 (compounds -0.4 and -0.2), none in h#2.
    tables["actor_mentions"] = pd.DataFrame({
        "doc_id": ["a", "a", "h"], "sentence_id": [3, 3, 0], "group": ["us", "us", "ukraine"],
        "alias": ["US", "Washington", "Kyiv"], "compound": [-0.4, -0.2, 0.5],
    })
    return tables


def test_frames_are_in_codebook_order(tables):
    assert findings.frame_ids(tables["frames_by_document"]) == list(FRAME_IDS)
    headline = findings.headline_findings(tables, "soldier_frustration", "us_support_distrust")
    assert headline.loc[0, "detail"] == (
        "a: soldier_frustration, us_support_distrust, chaotic_retreat, official_reassurance; "
        "h: soldier_frustration, us_support_distrust")


def test_frame_shares_are_counts_over_the_article_sentences(tables):
    counts, shares = findings.frame_shares(tables["frames_by_document"])
    # a has 4 sentences, h 3 (viz_synthetic); h has soldier_frustration in sentence 1 only.
    assert counts.loc["h", "soldier_frustration"] == 1
    assert shares.loc["h", "soldier_frustration"] == round(1 / 3, 6)
    assert shares.loc["a", "chaotic_retreat"] == 0.25
    assert shares.loc["a", "human_cost"] == 0.0
    assert list(shares.columns) == list(FRAME_IDS)


def test_distrust_passages_join_voice_tone_and_text(tables):
    passages = findings.distrust_passages(tables, "us_support_distrust")
    assert passages[["doc_id", "sentence_id"]].values.tolist() == [["a", 3], ["h", 2]]
    # Neither sentence is inside a quote: both are the narrator's.
    assert passages["role"].tolist() == [findings.NARRATOR, findings.NARRATOR]
    assert passages.loc[0, "us_mentions"] == "US, Washington"
    assert passages.loc[0, "compound_toward_us"] == pytest.approx(-0.3)
    assert pd.isna(passages.loc[1, "us_mentions"])
    assert passages["compound"].tolist() == [-0.3, -0.2]
    assert passages.loc[0, "text"] == "Officials doubted US support."
    by_role = findings.passages_by_role(passages)
    assert by_role.to_dict("list") == {
        "role": [findings.NARRATOR], "n_passages": [2], "mean_compound_toward_us": [pytest.approx(-0.3)],
        "mean_sentence_compound": [pytest.approx(-0.25)]}


def test_voice_counts_count_each_role_of_a_sentence():
    voiced = pd.DataFrame({"role": ["soldier; us_official", "soldier", findings.NARRATOR]})
    assert findings.voice_counts(voiced).to_dict() == {"soldier": 2, findings.NARRATOR: 1,
                                                       "us_official": 1}


def test_frame_and_role_counts_per_article(tables):
    counts = findings.frame_and_role_counts(
        tables["documents"], tables["frames_by_sentence"], tables["quotes"],
        frames=["soldier_frustration", "official_reassurance"], roles=["soldier", "ukrainian_official"])
    assert counts.to_dict("list") == {
        "doc_id": ["a", "h"], "soldier_frustration_sentences": [1, 1],
        "official_reassurance_sentences": [1, 0], "soldier_quotes": [1, 1],
        "ukrainian_official_quotes": [1, 0]}


def test_study_summary_says_what_the_tables_show_with_n():
    tables = synthetic_tables()
    settings = stages.StudySettings(frame_ids=findings.frame_ids(tables["frames_by_document"]))
    lines = findings.study_summary(stages.compare(tables, settings))
    # worked out by hand from tests/viz_synthetic.py: a has four frames, h two of them; Wilson 95%
    # for 2 of 2 is 34%-100%, for 1 of 1 21%-100%
    assert lines == [
        "2 article(s) counted.",
        "Most common frame: 'soldier_frustration' in 2 of 2 articles (100%, 95% interval 34%–100%); "
        "7 frame(s) in no article: incursion_strategic_value, peace_negotiations, russian_military_success, "
        "north_korean_troops, human_cost, european_support, drone_technology.",
        "No comparison between groups: the articles are not grouped (no perspective or outlet metadata, "
        "or a single group).",
        "No article has a usable publication date, so there is no timeline.",
        "Soldier quotes carrying 'soldier_frustration': 2 of 2 (100%, 95% interval 34%–100%), from 2 article(s).",
        "Official quotes carrying 'official_reassurance': 1 of 1 (100%, 95% interval 21%–100%), from 1 article(s).",
    ]


def test_format_share_keeps_small_shares_visible():
    assert [findings.format_share(x) for x in (0.0, 0.003, 0.094, 0.1, 0.5, 1.0)] == [
        "0%", "0.3%", "9.4%", "10%", "50%", "100%"]
    assert findings.format_share(float("nan")) == "n/a"
