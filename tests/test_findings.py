"""What the notebooks, figures and report say about a corpus (kursk_utils.findings)."""

from __future__ import annotations

import pandas as pd
import pytest

from kursk_utils import findings, stages, study
from kursk_utils import framing
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


def test_headline_findings_of_a_corpus_without_soldier_or_official_quotes(tables):
    # a non-war corpus: every quote is someone else's (the port-strike example gave this)
    tables["quotes"] = tables["quotes"].assign(role="other")
    headline = findings.headline_findings(tables, "soldier_frustration", "us_support_distrust")
    frustration = headline.set_index("finding").loc["soldier frustration"]
    assert frustration["value"].startswith("0 of 0 soldier quotes carry 'soldier_frustration', in 0 of ")
    assert frustration["evidence"] == ""


def test_quotes_with_frame_is_a_row_mask_even_when_empty():
    no_quotes = pd.DataFrame({"doc_id": pd.Series([], dtype=str), "frames": pd.Series([], dtype=str)})
    mask = findings.quotes_with_frame(no_quotes, "soldier_frustration")
    assert mask.dtype == bool
    assert list(no_quotes[mask].columns) == ["doc_id", "frames"]


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
    labels = findings.frame_labels(framing.load_codebook())
    lines = findings.study_summary(stages.compare(tables, settings), labels, focus=["us_support_distrust"])
    # worked out by hand from tests/viz_synthetic.py: a has four frames (chaotic retreat, official
    # reassurance, soldier frustration, distrust of US support), h two of them (the last two); 6
    # frames over 2 articles; Wilson 95% for 2 of 2 is 34%-100%, for 1 of 2 9.5%-91%, for 1 of 1
    # 21%-100%; ties in codebook order (chaotic retreat before official reassurance)
    assert lines == [
        "2 articles counted.",
        "On average an article has 3.0 of the 11 frames.",
        "Most common: Soldier frustration, in 2 of 2 articles (100%; 95% interval 34%–100%); "
        "Distrust of US support, in 2 of 2 articles (100%; 95% interval 34%–100%); "
        "Chaotic retreat, in 1 of 2 articles (50%; 95% interval 9.5%–91%).",
        "In no article: Strategic value of the incursion, Peace negotiations, Russian military success, "
        "North Korean troops, Human cost, European support, Drones and technology.",
        "Distrust of US support: in 2 of 2 articles (100%; 95% interval 34%–100%).",
        "Articles are not compared by group: they have no perspective or outlet (add a metadata file, "
        "or set the group_by parameter).",
        "No article has a usable publication date, so there is no timeline.",
        "Of the soldier quotes, 2 of 2 quotes (100%; 95% interval 34%–100%) carry Soldier frustration; "
        "they come from 2 articles.",
        "Of the official quotes, 1 of 1 quotes (100%; 95% interval 21%–100%) carry Official reassurance; "
        "they come from 1 article.",
    ]


def prevalence_table(counts: dict[str, int], n: int) -> pd.DataFrame:
    """All-articles rows of a frame_prevalence table for ``counts`` (frame -> articles with it)."""
    low, high = study.wilson_interval(list(counts.values()), [n] * len(counts))
    return pd.DataFrame({"group_by": None, "group": study.ALL_ARTICLES, "frame": list(counts),
                         "n_articles": n, "n_with_frame": list(counts.values()),
                         "share": [k / n for k in counts.values()], "ci_low": low, "ci_high": high})


def test_prevalence_sentences_name_the_least_common_frame_when_every_frame_is_found():
    table = prevalence_table({"a": 3, "b": 9, "c": 1, "d": 9, "e": 1}, 12)
    lines = findings.prevalence_sentences(table, {"a": "Frame A", "e": "Frame E"}, focus=["e", "a"])
    # 23 frames over 12 articles; ties in table order (b before d, c before e); Wilson 95% for
    # 9/12 is 47%-91%, 3/12 8.9%-53%, 1/12 1.5%-35%
    assert lines == [
        "On average an article has 1.9 of the 5 frames.",
        "Most common: b, in 9 of 12 articles (75%; 95% interval 47%–91%); d, in 9 of 12 articles (75%; "
        "95% interval 47%–91%); Frame A, in 3 of 12 articles (25%; 95% interval 8.9%–53%).",
        "Least common: Frame E, in 1 of 12 articles (8.3%; 95% interval 1.5%–35%).",
        "Frame E: in 1 of 12 articles (8.3%; 95% interval 1.5%–35%).",
        "Frame A: in 3 of 12 articles (25%; 95% interval 8.9%–53%).",
    ]
    assert findings.prevalence_sentences(table.iloc[0:0], {}) == ["No article counts, so no frame is measured."]


def test_framing_summary_counts_every_article_with_the_same_sentences():
    by_document = pd.DataFrame({"doc_id": ["x", "y", "z"], "f": [1, 1, 0], "g": [0, 0, 0],
                                "f_score": [0.5, 0.2, 0.0], "g_score": [0.0, 0.0, 0.0],
                                "f_sentences": [1, 1, 0], "g_sentences": [0, 0, 0]})
    lines = findings.framing_summary(by_document, {"f": "Frame F"}, focus=["f"])
    assert lines == findings.prevalence_sentences(prevalence_table({"f": 2, "g": 0}, 3), {"f": "Frame F"},
                                                  focus=["f"]) + ["1 of the 3 articles has no frame."]
    assert lines[1] == "Most common: Frame F, in 2 of 3 articles (67%; 95% interval 21%–94%)."


def test_format_share_keeps_small_shares_visible():
    assert [findings.format_share(x) for x in (0.0, 0.003, 0.094, 0.1, 0.5, 1.0)] == [
        "0%", "0.3%", "9.4%", "10%", "50%", "100%"]
    assert findings.format_share(float("nan")) == "n/a"
