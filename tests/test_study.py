"""Study tables (kursk_utils.study) over tables the real pipeline wrote for a small corpus."""

from __future__ import annotations

import math
import shutil
from pathlib import Path
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest

from conftest import SEEDS

from benchmarks.generate import generate_corpus
from kursk_utils import actors, engine, framing, study

FRAME_IDS = list(framing.load_codebook().frame_ids)
PERSPECTIVES = ["russian_state", "ukrainian", "western"]


@pytest.fixture(scope="module")
def analysed(tmp_path_factory) -> dict[str, pd.DataFrame]:
    """The four seeds, 36 generated articles and an exact copy of a seed, through the engine."""
    folder = tmp_path_factory.mktemp("study_corpus")
    for seed in sorted(SEEDS.glob("*.txt")):
        shutil.copy(seed, folder / seed.name)
    generate_corpus(folder / "generated", 36)
    first_seed = sorted(SEEDS.glob("*.txt"))[0]
    shutil.copy(first_seed, folder / "zz-copy.txt")
    stages = engine.analyze_corpus(folder, tmp_path_factory.mktemp("study_out"))
    return {name: table for stage in stages.values() for name, table in stage.items()}


@pytest.fixture()
def documents(analysed) -> pd.DataFrame:
    """The real documents with the columns a metadata sidecar adds: every 3rd article per
    perspective in doc_id order, every 10th without one; dates over March 2025, some unusable."""
    docs = analysed["documents"].sort_values("doc_id", ignore_index=True)
    docs["perspective"] = [None if i % 10 == 9 else PERSPECTIVES[i % 3] for i in range(len(docs))]
    docs["published"] = [None if i % 13 == 12 else "March 3" if i % 17 == 16
                         else f"2025-03-{1 + i % 28:02d}" for i in range(len(docs))]
    return docs


def wilson_by_formula(successes: int, n: int, level: float = 0.95) -> tuple[float, float]:
    """Wilson (1927): (p + z²/2n ± z·sqrt(p(1-p)/n + z²/4n²)) / (1 + z²/n)."""
    z = NormalDist().inv_cdf(0.5 + level / 2)
    p = successes / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return centre - half, centre + half


def fisher_two_sided(a: int, b: int, c: int, d: int) -> float:
    """Two-sided Fisher p of [[a, b], [c, d]]: the hypergeometric probability of every table with
    the same margins that is no more likely than the observed one."""
    row, col, n = a + b, a + c, a + b + c + d

    def probability(x: int) -> float:
        return math.comb(col, x) * math.comb(n - col, row - x) / math.comb(n, row)

    observed = probability(a)
    tables = range(max(0, row + col - n), min(row, col) + 1)
    return sum(probability(x) for x in tables if probability(x) <= observed * (1 + 1e-7))


def counted_with_groups(documents: pd.DataFrame) -> pd.DataFrame:
    """Non-duplicate documents with their perspective label, computed independently of study."""
    kept = documents[documents["duplicate_of"].isna()].copy()
    kept["label"] = kept["perspective"].fillna("(unknown)")
    return kept


# --- hand-checked helpers ---------------------------------------------------------------------------


def test_wilson_interval_matches_the_formula_and_is_exact_at_the_ends():
    low, high = study.wilson_interval(np.array([3, 0, 10, 0]), np.array([10, 6, 10, 0]))
    assert (low[0], high[0]) == pytest.approx(wilson_by_formula(3, 10), abs=1e-12)
    assert (low[0], high[0]) == pytest.approx((0.1078, 0.6032), abs=1e-4)  # published value
    assert low[1] == 0.0 and high[1] == pytest.approx(wilson_by_formula(0, 6)[1], abs=1e-12)
    assert high[2] == 1.0
    assert np.isnan(low[3]) and np.isnan(high[3])


def test_the_fisher_helper_of_these_tests_gives_the_textbook_tea_tasting_value():
    # Fisher's lady tasting tea: 3 of 4 cups right each way, two-sided p = 34/70.
    assert fisher_two_sided(3, 1, 1, 3) == pytest.approx(34 / 70, abs=1e-12)


# --- grouping and scope -----------------------------------------------------------------------------


def test_resolve_group_by_defaults_and_errors(analysed, documents):
    assert study.resolve_group_by(documents) == "perspective"
    assert study.resolve_group_by(documents.assign(perspective=None, outlet="Kyiv Independent")) == "outlet"
    # The seeds carry no outlet or perspective: no grouping.
    assert study.resolve_group_by(analysed["documents"]) is None
    assert study.resolve_group_by(documents, "layout") == "layout"
    with pytest.raises(ValueError, match=r"'region' is not a documents column.*'perspective'"):
        study.resolve_group_by(documents, "region")


def test_study_articles_assigns_groups_periods_and_says_why_articles_are_left_out(documents):
    docs = documents.head(6).copy()
    docs["perspective"] = ["ukrainian", None, "  ", "western", 7, "ukrainian"]
    docs["published"] = ["2025-03-12", "2025-03-12T23:30:00-05:00", "2025-02-30", "12/03/2025",
                         None, "2025-03-02 10:00"]
    docs["duplicate_of"] = [None, None, None, None, None, docs["doc_id"].iloc[0]]
    week = study.study_articles(docs, "perspective", "week")
    assert week["group"].tolist() == ["ukrainian", "(unknown)", "(unknown)", "western", "7", "ukrainian"]
    # 2025-03-12 is a Wednesday: its ISO week starts on Monday 10 March; 2 March is a Sunday.
    assert week["period"].tolist()[:2] == ["2025-03-10", "2025-03-10"]
    assert week["period"].iloc[5] == "2025-02-24"
    assert week["excluded"].tolist()[2:] == ["published not an ISO date", "published not an ISO date",
                                             "published missing", "duplicate"]
    assert study.study_articles(docs, None, "day")["period"].iloc[1] == "2025-03-12"  # date as written
    assert study.study_articles(docs, None, "month")["period"].iloc[0] == "2025-03-01"
    assert study.exclusions(docs, "week").to_dict("list") == {
        "reason": ["duplicate", "published missing", "published not an ISO date"],
        "n_articles": [1, 1, 2]}
    assert study.exclusions(docs, include_duplicates=True).empty
    with pytest.raises(ValueError, match="period must be one of"):
        study.study_articles(docs, None, "year")


def test_a_group_value_that_clashes_with_the_all_articles_label_is_refused(documents):
    docs = documents.assign(perspective="(all articles)")
    with pytest.raises(ValueError, match="reserved"):
        study.study_articles(docs, "perspective")


# --- frame prevalence and timeline -----------------------------------------------------------------


def test_frame_prevalence_counts_match_frames_by_document(analysed, documents):
    frames = analysed["frames_by_document"]
    table = study.frame_prevalence(frames, documents, FRAME_IDS, "perspective")
    assert list(table.columns) == study.PREVALENCE_COLUMNS
    kept = counted_with_groups(documents).merge(frames, on="doc_id")
    expected_with = kept.groupby("label")[FRAME_IDS].sum()
    expected_n = kept.groupby("label").size()
    for row in table.itertuples():
        if row.group == "(all articles)":
            assert (row.n_articles, row.n_with_frame) == (len(kept), kept[row.frame].sum())
        else:
            assert row.n_articles == expected_n[row.group]
            assert row.n_with_frame == expected_with.loc[row.group, row.frame]
        assert row.share == pytest.approx(row.n_with_frame / row.n_articles)
        assert (row.ci_low, row.ci_high) == pytest.approx(
            wilson_by_formula(row.n_with_frame, row.n_articles), abs=1e-12)
    # Codebook order of frames; all articles first, groups by name, unknown last.
    groups = ["(all articles)", *PERSPECTIVES, "(unknown)"]
    assert table["frame"].tolist() == [f for f in FRAME_IDS for _ in groups]
    assert table["group"].tolist() == groups * len(FRAME_IDS)
    assert table["group_by"].eq("perspective").all()
    assert table["n_with_frame"].sum() > 0


def test_duplicates_are_counted_once_unless_asked(analysed, documents):
    frames = analysed["frames_by_document"]
    assert documents["duplicate_of"].notna().sum() == 1  # the copy of a seed
    default = study.frame_prevalence(frames, documents, FRAME_IDS, None)
    every_copy = study.frame_prevalence(frames, documents, FRAME_IDS, None, include_duplicates=True)
    assert default["n_articles"].unique().tolist() == [len(documents) - 1]
    assert every_copy["n_articles"].unique().tolist() == [len(documents)]
    copy = documents.loc[documents["duplicate_of"].notna(), "doc_id"].iloc[0]
    copy_frames = frames.set_index("doc_id").loc[copy, FRAME_IDS].to_numpy()
    assert (every_copy["n_with_frame"].to_numpy() - default["n_with_frame"].to_numpy()
            == copy_frames).all()


def test_frame_timeline_rows_per_period_add_up(analysed, documents):
    frames = analysed["frames_by_document"]
    table = study.frame_timeline(frames, documents, FRAME_IDS, "week", "perspective")
    assert list(table.columns) == study.TIMELINE_COLUMNS
    articles = study.study_articles(documents, "perspective", "week")
    dated = articles[articles["excluded"].isna()]
    every = table[(table["group"] == "(all articles)") & (table["frame"] == FRAME_IDS[0])]
    assert every["period"].tolist() == sorted(dated["period"].unique())
    assert every["n_articles"].tolist() == dated.groupby("period").size().tolist()
    excluded = study.exclusions(documents, "week").set_index("reason")["n_articles"]
    assert every["n_articles"].sum() == len(documents) - excluded.sum()
    assert excluded["published missing"] > 0 and excluded["published not an ISO date"] > 0
    # Per period and frame, the groups' counts add up to the all-articles row.
    groups = table[table["group"] != "(all articles)"].groupby(["period", "frame"])[
        ["n_articles", "n_with_frame"]].sum()
    totals = table[table["group"] == "(all articles)"].set_index(["period", "frame"])[
        ["n_articles", "n_with_frame"]]
    pd.testing.assert_frame_equal(groups.sort_index(), totals.sort_index())
    month = study.frame_timeline(frames, documents, FRAME_IDS, "month")
    assert month["period"].unique().tolist() == ["2025-03-01"]
    assert month["group_by"].isna().all()


# --- co-occurrence ----------------------------------------------------------------------------------


def test_frame_cooccurrence_counts_and_measures(analysed, documents):
    frames = analysed["frames_by_document"]
    table = study.frame_cooccurrence(frames, FRAME_IDS, documents)
    n_frames = len(FRAME_IDS)
    assert len(table) == n_frames * (n_frames - 1) // 2
    kept = frames[frames["doc_id"].isin(counted_with_groups(documents)["doc_id"])]
    for row in table.itertuples():
        a, b = kept[row.frame_a].astype(bool), kept[row.frame_b].astype(bool)
        assert (row.n_articles, row.n_a, row.n_b, row.n_both) == (len(kept), a.sum(), b.sum(), (a & b).sum())
        if (a | b).any():
            assert row.jaccard == pytest.approx((a & b).sum() / (a | b).sum())
        if a.any() and b.any():
            # lift = P(a and b) / (P(a) P(b))
            assert row.lift == pytest.approx((a & b).mean() / (a.mean() * b.mean()))
        else:
            assert np.isnan(row.lift)
    assert FRAME_IDS.index(table["frame_a"].iloc[0]) < FRAME_IDS.index(table["frame_b"].iloc[0])
    assert (table["n_both"] > 0).any()
    # Without documents every row of frames_by_document counts, the copy too.
    assert study.frame_cooccurrence(frames, FRAME_IDS)["n_articles"].iloc[0] == len(frames)


# --- actors and voices ------------------------------------------------------------------------------


def test_actor_sentiment_over_all_articles_equals_the_corpus_rows_of_actor_sentiment(analysed, documents):
    mentions = analysed["actor_mentions"]
    table = study.actor_sentiment_by_group(mentions, documents, "perspective", include_duplicates=True)
    assert list(table.columns) == study.ACTOR_GROUP_COLUMNS
    every = table[table["group"] == "(all articles)"].reset_index(drop=True)
    corpus = analysed["actor_sentiment"]
    corpus = corpus[corpus["doc_id"] == "*"].reset_index(drop=True)
    assert every["actor_id"].tolist() == corpus["actor_id"].tolist()
    for column in ["n_sentences", "mean_compound", "ci_low", "ci_high", "share_negative",
                   "share_positive", "most_negative_sentence_id", "most_negative_doc_id"]:
        pd.testing.assert_series_equal(every[column], corpus[column], check_names=False, obj=column)
    assert every["n_mentions"].tolist() == mentions.groupby("actor_id").size().loc[every["actor_id"]].tolist()
    # Groups split the all-articles counts.
    groups = table[table["group"] != "(all articles)"].groupby("actor_id")[
        ["n_mentions", "n_sentences", "n_articles"]].sum()
    pd.testing.assert_frame_equal(groups, every.set_index("actor_id")[["n_mentions", "n_sentences",
                                                                       "n_articles"]])


def test_voices_by_group_counts_quotes_by_role_and_frame(analysed, documents):
    quotes = analysed["quotes"]
    table = study.voices_by_group(quotes, documents, "perspective", FRAME_IDS)
    assert list(table.columns) == study.VOICE_COLUMNS
    kept = quotes.merge(counted_with_groups(documents)[["doc_id", "label"]], on="doc_id")
    officials = {"ukrainian_official", "russian_official", "us_official"}
    for row in table.itertuples():
        roles = {"soldier"} if row.voice == "soldier" else officials
        chosen = kept[kept["role"].isin(roles)]
        if row.group != "(all articles)":
            chosen = chosen[chosen["label"] == row.group]
        with_frame = chosen["frames"].str.split().map(lambda fs, f=row.frame: f in fs)
        assert (row.n_quotes, row.n_articles, row.n_with_frame) == (
            len(chosen), chosen["doc_id"].nunique(), with_frame.sum())
        if row.n_quotes:
            assert (row.ci_low, row.ci_high) == pytest.approx(
                wilson_by_formula(row.n_with_frame, row.n_quotes), abs=1e-12)
        else:
            assert np.isnan(row.share)
    every = table[table["group"] == "(all articles)"].set_index("voice")
    # The seeds' soldier interviews carry frustration; a Ukrainian official reassures (doc 003).
    assert every.loc["soldier", "n_with_frame"] > 0 and every.loc["official", "n_with_frame"] > 0
    assert table["frame"].unique().tolist() == ["soldier_frustration", "official_reassurance"]
    lacking = study.voices_by_group(quotes, documents, "perspective", ["human_cost"])
    assert lacking.empty and list(lacking.columns) == study.VOICE_COLUMNS


# --- differences between groups ---------------------------------------------------------------------


def test_group_differences_fisher_p_values_by_hand_and_holm_correction(analysed, documents):
    frames = analysed["frames_by_document"]
    # Groups by how many of two common frames an article has: some differences are real.
    count = frames.set_index("doc_id")[["chaotic_retreat", "human_cost"]].sum(axis=1)
    documents = documents.assign(perspective=documents["doc_id"].map(count).map(
        {0: "neither", 1: "one", 2: "both"}))
    table = study.group_differences(frames, documents, FRAME_IDS, "perspective")
    assert list(table.columns) == study.DIFFERENCE_COLUMNS
    fisher = table[table["test"] == "fisher_exact"]
    tested = fisher[~fisher["too_small"]]
    assert len(tested) > 0
    for row in tested.itertuples():
        a, c = row.n_group_with, row.n_rest_with
        p = fisher_two_sided(a, row.n_group - a, c, row.n_rest - c)
        assert row.p_value == pytest.approx(p, rel=1e-9)
    # Holm over every test made: sorted p times (m - rank), running maximum, at most 1.
    made = table[~table["too_small"]].sort_values("p_value", kind="stable")
    m = len(made)
    holm = np.minimum(np.maximum.accumulate(made["p_value"].to_numpy() * (m - np.arange(m))), 1)
    assert made["p_adjusted"].to_numpy() == pytest.approx(holm, rel=1e-12)
    assert (made["significant"] == (made["p_adjusted"] <= 0.05)).all()
    assert made["significant"].any() and (made["p_adjusted"] > made["p_value"]).any()
    small = table[table["too_small"]]
    assert small["p_value"].isna().all() and small["p_adjusted"].isna().all()
    assert small["reason"].notna().all() and not small["significant"].any()


def test_group_differences_chi_square_when_valid_and_flags_when_not(analysed, documents):
    frames = analysed["frames_by_document"]
    # Three groups of 13-14 articles: common frames pass Cochran's rule, rare ones do not.
    documents = documents.assign(perspective=[PERSPECTIVES[i % 3] for i in range(len(documents))])
    table = study.group_differences(frames, documents, FRAME_IDS, "perspective")
    chi = table[table["test"] == "chi_square"].set_index("frame")
    assert chi.index.tolist() == FRAME_IDS and chi["group"].eq("(all groups)").all()
    kept = counted_with_groups(documents).merge(frames, on="doc_id")
    made = chi[~chi["too_small"]]
    assert len(made) > 0
    for frame, row in made.iterrows():
        observed = pd.crosstab(kept["label"], kept[frame]).to_numpy().astype(float)
        expected = observed.sum(1, keepdims=True) * observed.sum(0, keepdims=True) / observed.sum()
        statistic = ((observed - expected) ** 2 / expected).sum()
        assert row["chi2"] == pytest.approx(statistic, rel=1e-9)
        assert row["dof"] == 2  # three groups, with/without
        # Chi-square with 2 degrees of freedom is exponential: P(X > x) = exp(-x/2).
        assert row["p_value"] == pytest.approx(math.exp(-statistic / 2), rel=1e-9)
    flagged = chi[chi["too_small"]]
    assert flagged["reason"].str.contains("frame in no counted article|expected counts too small").all()
    # With min_n above every group, no Fisher test is made, each says why.
    strict = study.group_differences(frames, documents, FRAME_IDS, "perspective", min_n=100)
    fisher = strict[strict["test"] == "fisher_exact"]
    assert fisher["too_small"].all() and fisher["reason"].str.contains("fewer than 100").all()


def test_fisher_on_the_tea_tasting_table_gives_the_textbook_p(analysed, documents):
    # Eight real articles: four with chaotic_retreat, four without; group "a" holds three of the
    # four with it: the 2x2 table [[3, 1], [1, 3]], two-sided p = 34/70 (Fisher, 1935).
    frames = analysed["frames_by_document"]
    kept = frames[frames["doc_id"].isin(counted_with_groups(documents)["doc_id"])]
    with_frame = kept.loc[kept["chaotic_retreat"] == 1, "doc_id"].head(4).tolist()
    without = kept.loc[kept["chaotic_retreat"] == 0, "doc_id"].head(4).tolist()
    groups = dict.fromkeys(with_frame[:3] + without[:1], "a") | dict.fromkeys(with_frame[3:] + without[1:], "b")
    docs = documents[documents["doc_id"].isin(groups)].assign(perspective=lambda d: d["doc_id"].map(groups))
    table = study.group_differences(frames[frames["doc_id"].isin(groups)], docs, ["chaotic_retreat"],
                                    "perspective", min_n=4)
    assert len(table) == 1
    row = table.iloc[0]
    assert (row["group"], row["n_group"], row["n_group_with"], row["n_rest"], row["n_rest_with"]) == ("a", 4, 3, 4, 1)
    assert row["p_value"] == pytest.approx(34 / 70, abs=1e-12) and row["odds_ratio"] == pytest.approx(9.0)
    assert row["p_adjusted"] == row["p_value"]  # a family of one test


def test_two_groups_give_one_fisher_test_per_frame(analysed, documents):
    docs = documents.assign(perspective=["a" if i % 2 else "b" for i in range(len(documents))])
    table = study.group_differences(analysed["frames_by_document"], docs, FRAME_IDS, "perspective")
    assert table["test"].eq("fisher_exact").all() and table["group"].eq("a").all()
    assert table["frame"].tolist() == FRAME_IDS


# --- empty, one article, no metadata, bad input, determinism ----------------------------------------


def all_tables(analysed, documents, group_by, frame_ids=FRAME_IDS) -> dict[str, pd.DataFrame]:
    frames = analysed["frames_by_document"]
    return {
        "prevalence": study.frame_prevalence(frames, documents, frame_ids, group_by),
        "timeline": study.frame_timeline(frames, documents, frame_ids, "day", group_by),
        "cooccurrence": study.frame_cooccurrence(frames, frame_ids, documents),
        "actors": study.actor_sentiment_by_group(analysed["actor_mentions"], documents, group_by),
        "voices": study.voices_by_group(analysed["quotes"], documents, group_by, frame_ids),
        "differences": study.group_differences(frames, documents, frame_ids, group_by),
    }


COLUMNS = {"prevalence": study.PREVALENCE_COLUMNS, "timeline": study.TIMELINE_COLUMNS,
           "cooccurrence": study.COOCCURRENCE_COLUMNS, "actors": study.ACTOR_GROUP_COLUMNS,
           "voices": study.VOICE_COLUMNS, "differences": study.DIFFERENCE_COLUMNS}


def test_empty_input_gives_empty_tables_with_the_same_columns_and_dtypes(analysed, documents):
    full = all_tables(analysed, documents, "perspective")
    empty_docs = documents.iloc[:0]
    empty = {
        "prevalence": study.frame_prevalence(analysed["frames_by_document"].iloc[:0], empty_docs,
                                             FRAME_IDS, "perspective"),
        "timeline": study.frame_timeline(analysed["frames_by_document"].iloc[:0], empty_docs,
                                         FRAME_IDS, "day", "perspective"),
        "cooccurrence": study.frame_cooccurrence(analysed["frames_by_document"].iloc[:0], FRAME_IDS),
        "actors": study.actor_sentiment_by_group(analysed["actor_mentions"].iloc[:0], empty_docs,
                                                 "perspective"),
        "voices": study.voices_by_group(analysed["quotes"].iloc[:0], empty_docs, "perspective",
                                        FRAME_IDS),
        "differences": study.group_differences(analysed["frames_by_document"].iloc[:0], empty_docs,
                                               FRAME_IDS, "perspective"),
    }
    for name, table in empty.items():
        assert table.empty, name
        assert list(table.columns) == COLUMNS[name], name
        pd.testing.assert_series_equal(table.dtypes, full[name].dtypes, obj=name)
    no_frames = all_tables(analysed, documents, "perspective", frame_ids=[])
    for name in ("prevalence", "timeline", "cooccurrence", "voices", "differences"):
        assert no_frames[name].empty and list(no_frames[name].columns) == COLUMNS[name], name


def test_one_article(analysed, documents):
    seed = documents[documents["source_path"] == "000_a4d19107e3aefedf.txt"]
    # The tables must describe the same documents: keep the rows of this one.
    one = {name: table[table["doc_id"].isin(seed["doc_id"])] for name, table in analysed.items()
           if "doc_id" in table.columns}
    tables = all_tables(one, seed, "perspective")
    prevalence = tables["prevalence"]
    assert prevalence["group"].unique().tolist() == ["(all articles)", seed["perspective"].iloc[0]]
    assert prevalence["n_articles"].eq(1).all()
    soldier = prevalence[prevalence["frame"] == "soldier_frustration"]
    assert soldier["n_with_frame"].tolist() == [1, 1] and soldier["ci_high"].eq(1.0).all()
    assert tables["cooccurrence"]["n_articles"].eq(1).all()
    assert tables["differences"].empty  # one group: nothing to compare
    assert tables["voices"]["n_articles"].max() == 1


def test_no_metadata_gives_only_all_articles_rows(analysed):
    seeds_only = analysed["documents"]  # no perspective column, outlet and published null
    group_by = study.resolve_group_by(seeds_only)
    assert group_by is None
    prevalence = study.frame_prevalence(analysed["frames_by_document"], seeds_only, FRAME_IDS, group_by)
    assert prevalence["group"].eq("(all articles)").all() and prevalence["group_by"].isna().all()
    assert prevalence["frame"].tolist() == FRAME_IDS
    assert study.group_differences(analysed["frames_by_document"], seeds_only, FRAME_IDS, None).empty
    timeline = study.frame_timeline(analysed["frames_by_document"], seeds_only, FRAME_IDS, "week")
    assert timeline.empty
    assert study.exclusions(seeds_only, "week").set_index("reason").loc[
        "published missing", "n_articles"] == len(seeds_only) - 1
    voices = study.voices_by_group(analysed["quotes"], seeds_only, None, FRAME_IDS)
    assert voices["group"].eq("(all articles)").all() and len(voices) == 2


def test_same_tables_whatever_the_row_order_of_the_inputs(analysed, documents):
    first = all_tables(analysed, documents, "perspective")
    shuffled = {name: table.sample(frac=1, random_state=3) for name, table in analysed.items()}
    again = all_tables(shuffled, documents.sample(frac=1, random_state=4), "perspective")
    for name in first:
        pd.testing.assert_frame_equal(first[name], again[name], check_exact=True, obj=name)


def test_bad_input_is_refused_before_any_work(analysed, documents):
    frames = analysed["frames_by_document"]
    with pytest.raises(ValueError, match="missing column"):
        study.frame_prevalence(frames, documents, [*FRAME_IDS, "not_a_frame"], "perspective")
    with pytest.raises(ValueError, match="no row for 1 document"):
        study.frame_prevalence(frames.iloc[1:], documents, FRAME_IDS, "perspective")
    with pytest.raises(ValueError, match="doc_ids not in documents"):
        study.frame_prevalence(frames, documents.iloc[1:], FRAME_IDS, "perspective")
    with pytest.raises(ValueError, match="is not a documents column"):
        study.voices_by_group(analysed["quotes"], documents, "region", FRAME_IDS)
    with pytest.raises(TypeError, match="frame_ids"):
        study.frame_prevalence(frames, documents, "soldier_frustration", None)
    with pytest.raises(ValueError, match="period must be one of"):
        study.frame_timeline(frames, documents, FRAME_IDS, "quarter")
    with pytest.raises(ValueError, match="min_n"):
        study.group_differences(frames, documents, FRAME_IDS, "perspective", min_n=0)
    with pytest.raises(ValueError):
        study.group_differences(frames, documents, FRAME_IDS, "perspective", method="no_such")
