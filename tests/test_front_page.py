"""The report's front page (html/index.html) as a journalist reads it, on runs analysed by the real
stages (tests/front_page_run.py): the seeds without metadata, a corpus with metadata, hostile
metadata, and 60 articles (the page stays bounded)."""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from benchmarks.generate import generate_corpus
from front_page_run import analysed_run
from kursk_utils import findings, framing, report
from kursk_utils import tables
from kursk_utils.tables import read_table
from kursk_utils.validation import framing as framing_validation

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS = PROJECT_ROOT / "seeds"
HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile" / "hostile_article.txt"
EVIDENCE_ID = re.compile(r"[0-9a-f]{16}#\d")  # a doc_id#sentence_id key, never shown to a reader


def page_text(index_html: str) -> str:
    """The page as a reader sees it: tags dropped, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", index_html)).split())


def build_index(run: Path) -> str:
    return report.build_report(run).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def validation() -> dict:
    return framing_validation.evaluate()


@pytest.fixture(scope="module")
def seeds_index(tmp_path_factory, validation) -> tuple[Path, str]:
    run = analysed_run(SEEDS, tmp_path_factory.mktemp("seeds"), validation=validation)
    return run, build_index(run)


def test_seeds_front_page_has_no_grouping_and_no_empty_section(seeds_index):
    run, index = seeds_index
    text = page_text(index)
    assert "Not available" not in text and "was not written" not in text
    # the seeds: 4 files, no outlet or date, no copies (checked by reading seeds/)
    assert "4 articles with no outlet recorded. No publication dates recorded: no timeline." in text
    assert "All 4 input files read; none skipped. No duplicate articles." in text
    assert "Articles are not compared by group" in text
    header = re.search(r"How often each frame appears.*?<tr>(.*?)</tr>", index, re.S).group(1)
    assert re.findall(r"<th>(.*?)</th>", header) == ["frame", "(all articles)"]
    by_document = read_table(run, "frames_by_document")
    for frame in ("soldier_frustration", "us_support_distrust", "chaotic_retreat"):
        n = int(by_document[frame].sum())
        assert f"{n / 4:.0%} {n} of 4 " in text, frame
    assert (f"Soldier frustration: in {by_document['soldier_frustration'].sum()} of 4 articles "
            f"({by_document['soldier_frustration'].mean():.0%}; 95% interval ") in in_brief(index)[3]
    assert "Articles are not compared by group: they have no perspective or outlet" in in_brief(index)[-1]
    assert "groups of" not in text  # no groups, no tests to speak of


def in_brief(index_html: str) -> list[str]:
    """The "In brief" list of the front page, item by item as a reader sees it."""
    brief = re.search(r"<h2>In brief</h2>\s*<ul>(.*?)</ul>", index_html, re.S).group(1)
    return [page_text(item) for item in re.findall(r"<li>(.*?)</li>", brief)]


def test_in_brief_says_what_notebook_04_says(seeds_index, metadata_index):
    # notebook 04 prints study_summary over the run's study tables, with the run's focus frames
    labels = findings.frame_labels(framing.load_codebook())
    focus = ["soldier_frustration", "us_support_distrust"]
    for run, index in (seeds_index, metadata_index):
        tables = {name: read_table(run, name) for name in (
            "frame_prevalence", "frame_timeline", "voices_by_group", "group_differences", "study_exclusions")}
        summary = findings.study_summary(tables, labels, focus)
        brief = in_brief(index)
        assert len(brief) >= 5 and brief == summary[1:1 + len(brief)], run
        assert summary[1 + len(brief)].startswith(("Dated articles span", "No article has a usable"))


def test_seeds_evidence_is_quoted_in_full_with_speaker_and_article(seeds_index):
    run, index = seeds_index
    text = page_text(index)
    sentences = read_table(run, "sentences").set_index(["doc_id", "sentence_id"])["text"]
    documents = read_table(run, "documents").set_index("doc_id")
    scored = read_table(run, "frames_by_sentence")
    for frame, label in (("soldier_frustration", "Soldier frustration"),
                         ("us_support_distrust", "Distrust of US support")):
        rows = scored[scored["frame"] == frame]
        assert f"{label}: the strongest evidence" in text
        strongest = rows.sort_values(["score", "doc_id", "sentence_id"], ascending=[False, True, True]).iloc[0]
        quoted = sentences[(strongest["doc_id"], strongest["sentence_id"])]
        assert f"<blockquote><p>{html.escape(quoted)}</p><footer>" in index
        assert (f"Found in {len(rows)} sentences of {rows['doc_id'].nunique()} articles" in text)
    assert not EVIDENCE_ID.search(index)
    # seeds 002 and 003 have no title (they open with their body): shown by file name
    untitled = documents[documents["title"].fillna("").str.strip() == ""]
    assert list(untitled["source_path"]) == ["002_624225025d5b85e3.txt", "003_78ab2bbd060f4baf.txt"]
    assert "<em>002_624225025d5b85e3.txt</em>" in index
    # a soldier's quote is attributed; narration is said to be the article's own voice
    assert "— Serhiy (soldier)" in text  # seed 000 quotes the soldier Serhiy
    assert "the article itself (no attributed speaker)" in text


def test_seeds_validity_box_gives_each_frames_precision_and_recall(seeds_index, validation):
    _, index = seeds_index
    text = page_text(index)
    for frame, label in (("soldier_frustration", "Soldier frustration"),
                         ("us_support_distrust", "Distrust of US support")):
        seed = validation["figures"]["seed"]["sentence"][frame]
        # the most honest set of other outlets' styles present: the blind held-out parts pooled
        other_set = next(name for name in ("blind_heldout_pooled", "blind_heldout5", "blind_heldout4",
                                           "blind_heldout3", "blind_heldout2", "blind_heldout", "blind_dev",
                                           "challenge")
                         if name in validation["figures"])
        other = validation["figures"][other_set]["sentence"][frame]
        assert (f"{label}: of the sentences the detector marks, {seed['precision']:.0%} on the four "
                f"annotated seed articles ({seed['predicted']} sentences) and {other['precision']:.0%} on "
                f"sentences in other outlets' styles ({other['predicted']} sentences) were marked so by a "
                f"person too (precision); of the sentences the person marked ({seed['support']} and "
                f"{other['support']}), it finds {seed['recall']:.0%} and {other['recall']:.0%} (recall).") in text
    assert "the shares above are more likely too low than too high" in text
    n_frames = len([f for f in validation["figures"]["seed"]["sentence"] if f not in ("micro", "macro")])
    box = re.search(r'<div class="validity">(.*?)</div>', index, re.S).group(1)
    assert box.count("<tr>") == 1 + n_frames
    # the default scorer is the hybrid: the box says a learned model adds frames too
    assert validation["frame_scorer"] == "hybrid"
    assert ("Frames are found by transparent keyword rules (the codebook) and a learned model that adds "
            "the frames it is confident of") in text


def test_validity_box_of_a_rules_only_validation_names_only_the_rules(seeds_index, validation, tmp_path):
    run, _ = seeds_index
    copy = tmp_path / "run"
    shutil.copytree(run, copy, ignore=shutil.ignore_patterns("html"))
    (copy / "validation" / "framing.json").write_text(json.dumps({**validation, "frame_scorer": "rules"}),
                                                      encoding="utf-8")
    text = page_text(build_index(copy))
    assert "Frames are found by transparent keyword rules (the codebook), not by people." in text


def test_front_page_without_study_tables_or_validation_says_what_is_missing(seeds_index, tmp_path):
    run, _ = seeds_index
    copy = tmp_path / "run"
    shutil.copytree(run, copy, ignore=shutil.ignore_patterns("html", "validation", "frame_prevalence*",
                                                             "voices_by_group*"))
    text = page_text(build_index(copy))
    assert "Not available: the table frame_prevalence was not written" in text
    assert "Not available: the table voices_by_group was not written" in text
    assert "Not available: validation/framing.json was not written (did 05_validate run?)" in text
    assert "the strongest evidence" in text and "4 articles" in text  # the rest is still there


METADATA = {  # perspective, outlet, url, published by file: a sidecar's columns
    "000_a4d19107e3aefedf.txt": {"perspective": "Ukrainian", "outlet": "Kyiv Independent",
                                 "url": "https://kyivindependent.com/a", "published": "2025-03-12"},
    "001_84f33d5342423382.txt": {"perspective": "Ukrainian", "outlet": "Ukrainska Pravda",
                                 "url": "https://pravda.com.ua/b", "published": "2025-03-13T10:00:00Z"},
    "002_624225025d5b85e3.txt": {"perspective": "Western", "outlet": "Reuters",
                                 "url": "https://reuters.com/c", "published": "2025-03-07"},
    "003_78ab2bbd060f4baf.txt": {"perspective": "Western", "outlet": "Associated Press",
                                 "url": "http://apnews.com/d", "published": "2025-03-14"},
    "article-0000000.txt": {"perspective": "Ukrainian", "outlet": "Kyiv Independent",
                            "url": "https://kyivindependent.com/e", "published": "2025-03-10"},
    "article-0000001.txt": {"perspective": None, "outlet": None, "url": None, "published": None},
}


@pytest.fixture(scope="module")
def metadata_index(tmp_path_factory) -> tuple[Path, str]:
    corpus = tmp_path_factory.mktemp("corpus")
    for article in SEEDS.glob("*.txt"):
        shutil.copy(article, corpus)
    generate_corpus(corpus, 2)
    run = analysed_run(corpus, tmp_path_factory.mktemp("run"), metadata=METADATA, group_by="perspective")
    return run, build_index(run)


def test_front_page_compares_perspectives_consistently_with_frames_by_document(metadata_index):
    run, index = metadata_index
    text = page_text(index)
    assert ("6 articles from 4 outlets (1 without an outlet). Published from 2025-03-07 to 2025-03-14 "
            "(1 without a date).") in text
    assert "Articles grouped by perspective" in text
    header = re.search(r"How often each frame appears.*?<tr>(.*?)</tr>", index, re.S).group(1)
    assert re.findall(r"<th>(.*?)</th>", header) == ["frame", "(all articles)", "Ukrainian", "Western",
                                                    "(unknown)"]
    by_document = read_table(run, "frames_by_document")
    perspective = by_document["doc_id"].map(
        read_table(run, "documents").set_index("doc_id")["perspective"]).fillna("(unknown)")
    row = re.search(r"<tr><td><strong>Soldier frustration</strong></td>(.*?)</tr>", index, re.S).group(1)
    cells = [page_text(cell) for cell in re.findall(r"<td>(.*?)</td>", row)]
    expected = [by_document["soldier_frustration"]] + [
        by_document.loc[perspective == group, "soldier_frustration"] for group in ("Ukrainian", "Western",
                                                                                   "(unknown)")]
    for cell, flags in zip(cells, expected, strict=True):
        assert cell.startswith(f"{flags.mean():.0%} {int(flags.sum())} of {len(flags)} "), cell


def test_front_page_evidence_names_outlet_and_links_the_article(metadata_index):
    run, index = metadata_index
    evidence = findings.strongest_evidence(
        *(read_table(run, name) for name in ("frames_by_sentence", "sentences", "documents", "quotes")),
        "soldier_frustration")
    first = evidence.iloc[0]
    assert first["url"] == METADATA[read_table(run, "documents").set_index("doc_id")
                                    .at[first["doc_id"], "source_path"]]["url"]
    quote = re.search(re.escape(f"<blockquote><p>{html.escape(first['text'])}</p><footer>") + "(.*?)</footer>",
                      index, re.S)
    assert quote, "the strongest sentence is quoted"
    footer = quote.group(1)
    assert html.escape(first["outlet"]) in footer and first["published"] in footer
    assert f'<a href="{html.escape(first["url"])}" rel="noopener noreferrer">{html.escape(first["article"])}</a>' in footer


@pytest.fixture(scope="module")
def hostile_index(tmp_path_factory) -> str:
    corpus = tmp_path_factory.mktemp("corpus")
    for article in [*SEEDS.glob("*.txt"), HOSTILE]:
        shutil.copy(article, corpus)
    hostile_outlet = "<img src=x onerror=\"window.__pwned='outlet'\">=HYPERLINK(\"x\")"
    metadata = {path.name: {"outlet": hostile_outlet, "url": "javascript:window.__pwned='url'",
                            "perspective": "<script>window.__pwned='group'</script>"}
                for path in corpus.iterdir()}
    metadata["001_84f33d5342423382.txt"] |= {"url": 'https://example.org/?a=1&b="x"><script>'}
    run = analysed_run(corpus, tmp_path_factory.mktemp("run"), metadata=metadata)
    return build_index(run)


def test_hostile_titles_outlets_and_urls_are_text_and_only_http_is_linked(hostile_index):
    index = hostile_index
    for payload in ("<img src=x", "<script>", "<b>Kursk</b>", "<svg onload", 'href="javascript:',
                    "href='javascript:"):
        assert payload not in index, payload
    links = re.findall(r'<a href="([^"]*)"', index)
    assert [link for link in links if not link.endswith(".html") and link != "documents.csv"] \
        == ["https://example.org/?a=1&amp;b=&quot;x&quot;&gt;&lt;script&gt;"] * links.count(
            "https://example.org/?a=1&amp;b=&quot;x&quot;&gt;&lt;script&gt;")
    text = page_text(index)
    assert "(address not a web link: javascript:window.__pwned='url')" in text
    assert "<script>window.__pwned='group'</script>" in text  # the group, as a column header's text
    assert "<img src=x onerror=\"window.__pwned='outlet'\">=HYPERLINK(\"x\")" in text
    # the hostile article's title line and its soldier's quote, shown as text
    assert "<img src=x onerror=\"window.__pwned='title'\"><b>Kursk</b> retreat: \"trust\" & <i>doubt</i>" in text


@pytest.fixture(scope="module")
def sixty_articles_index(tmp_path_factory) -> str:
    corpus = tmp_path_factory.mktemp("corpus")
    paths = generate_corpus(corpus, 60)
    metadata = {path.name: {"outlet": f"Outlet {i % 12:02d}", "url": f"https://example.org/article/{i}",
                            "published": f"2025-03-{1 + i % 28:02d}"} for i, path in enumerate(paths)}
    return build_index(analysed_run(corpus, tmp_path_factory.mktemp("run"), metadata=metadata))


def test_front_page_never_lists_every_article(sixty_articles_index):
    index = sixty_articles_index
    text = page_text(index)
    assert "60 articles from 12 outlets." in text
    assert "Articles grouped by outlet" in text
    assert "Showing the 6 largest of 12 groups of outlet" in text
    assert index.count("https://example.org/article/") <= 2 * report.EVIDENCE_PER_FRAME
    assert index.count("<blockquote>") <= 2 * report.EVIDENCE_PER_FRAME
    # a table row per frame, group or validated frame, parameter and notebook; none per article
    assert index.count("<tr>") < 60
    assert len(index) < 60_000
    assert 'href="documents.csv"' in index


def test_article_labels_use_the_file_name_for_untitled_articles():
    documents = pd.DataFrame({"doc_id": ["a", "b", "c"], "title": ["  Kursk  ", None, " "],
                              "source_path": ["x/a.txt", "x/b.txt", "feed.csv"],
                              "source_row": pd.array([None, None, 7], dtype="Int64")})
    assert findings.article_labels(documents).to_dict() == {"a": "Kursk", "b": "b.txt", "c": "feed.csv, row 7"}


def test_corpus_summary_counts_skips_by_reason_and_copies():
    documents = pd.DataFrame({"doc_id": list("abcd"), "outlet": ["X", "X", " ", None],
                              "published": ["2025-03-09", "soon", None, "2025-03-02T08:00"],
                              "duplicate_kind": [None, "exact", "near", "near"]})
    manifest = pd.DataFrame({"status": ["ingested", "skipped", "skipped", "skipped_record", "skipped",
                                        "skipped"],
                             "reason": [None, "empty file", "hidden file", "no text", "empty file",
                                        "binary file (contains NUL bytes)"]})
    # a metadata sidecar's own row and a record read with a warning are not skipped inputs
    read = pd.DataFrame({"status": ["ingested", "ingested", "metadata", "ingested_record"],
                         "reason": [None, None, None, None]})
    assert findings.corpus_summary(documents, read)[2] == "All 2 input files read; none skipped."
    contained = documents.assign(duplicate_kind=[None, None, "contained", None])
    assert findings.corpus_summary(contained)[-1] == (
        "1 article is a copy of another (1 inside a longer article): counted once in the comparisons.")
    assert findings.corpus_summary(documents, manifest) == [
        "4 articles from 1 outlet (2 without an outlet).",
        "Published from 2025-03-02 to 2025-03-09 (2 without a date).",
        "5 inputs skipped: empty file (2); binary file (contains NUL bytes) (1); hidden file (1); "
        "1 other reasons.",
        "3 articles are copies of another (1 exact, 2 near): counted once in the comparisons.",
    ]


def test_corpus_summary_neither_counts_the_sidecar_nor_warned_records_as_skipped():
    documents = pd.DataFrame({"doc_id": ["a", "b", "c"], "outlet": ["X", "Y", "Y"]})
    # two text files, a CSV with a record ingested with a warning, and the metadata sidecar's own row
    manifest = pd.DataFrame({"status": ["ingested", "ingested", "ingested", "ingested_record", "metadata"],
                             "reason": [None] * 5})
    assert findings.corpus_summary(documents, manifest)[2] == "All 3 input files read; none skipped."


def test_difference_sentences_state_what_holds_after_correction_with_n_and_interval(tmp_path):
    from kursk_utils import study

    documents = pd.DataFrame({"doc_id": [f"d{i:02d}" for i in range(43)],
                              "perspective": ["A"] * 20 + ["B"] * 20 + ["C"] * 3,
                              "duplicate_of": pd.array([None] * 43, dtype="str")})
    with_frame = [1] * 20 + [0] * 20 + [1, 0, 0]
    by_document = pd.DataFrame({"doc_id": documents["doc_id"], "chaotic_retreat": with_frame,
                                "chaotic_retreat_score": [float(f) for f in with_frame],
                                "chaotic_retreat_sentences": with_frame})
    args = (by_document, documents, ["chaotic_retreat"], "perspective")
    lines = findings.difference_sentences(study.frame_prevalence(*args), study.group_differences(*args),
                                          {"chaotic_retreat": "Chaotic retreat"})
    # A (20 of 20) against B and C (1 of 23) is significant; B (0 of 20) against A and C (21 of 23)
    # too (Fisher p ~ 1e-11); C has 3 articles, too few; the chi-square over the three groups is
    # too sparse (Cochran). Wilson 95% for 20 of 20: 84%-100%, for 0 of 20: 0%-16%.
    assert lines == [
        "2 differences between the 3 groups of perspective hold after correction (Fisher's exact test "
        "of each group against the others, Holm correction for 2 tests):",
        "Chaotic retreat: in 20 of 20 articles of A (100%; 95% interval 84%–100%), against 1 of 23 "
        "articles of the other groups (4.3%); adjusted p < 0.001.",
        "Chaotic retreat: in 0 of 20 articles of B (0%; 95% interval 0%–16%), against 21 of 23 "
        "articles of the other groups (91%); adjusted p < 0.001.",
        "1 group has too few articles to test (fewer than 5).",
    ]
    # the same from the tables as the report reads them back from disk (counts stored with nulls come
    # back as floats), not "1.0 of 23.0"
    for name, table in (("frame_prevalence", study.frame_prevalence(*args)),
                        ("group_differences", study.group_differences(*args))):
        tables.write_table(table, tmp_path, name)
    assert findings.difference_sentences(tables.read_table(tmp_path, "frame_prevalence"),
                                         tables.read_table(tmp_path, "group_differences"),
                                         {"chaotic_retreat": "Chaotic retreat"}) == lines
    # two groups: the one test names the other group; a single group: nothing to compare
    two = documents.iloc[:40]
    args = (by_document.iloc[:40], two, ["chaotic_retreat"], "perspective")
    lines = findings.difference_sentences(study.frame_prevalence(*args), study.group_differences(*args), {})
    assert lines[1].startswith("chaotic_retreat: in 20 of 20 articles of A (100%; 95% interval 84%–100%), "
                               "against 0 of 20 articles of B (0%)")
    one = documents.iloc[:20]
    args = (by_document.iloc[:20], one, ["chaotic_retreat"], "perspective")
    assert findings.difference_sentences(study.frame_prevalence(*args), study.group_differences(*args), {}) == [
        "Articles are not compared by group: all are in one group of perspective, A."]


def test_strongest_evidence_shows_each_text_and_article_once_without_copies():
    documents = pd.DataFrame({"doc_id": ["a", "b", "c"], "title": ["A", None, "C"],
                              "source_path": ["a.txt", "b.txt", "c.txt"],
                              "duplicate_of": pd.array([None, None, "a"], dtype="str"),
                              "url": ["https://x.org/a", None, None]})
    sentences = pd.DataFrame({"doc_id": ["a", "b", "b", "c"], "sentence_id": [0, 0, 1, 0],
                              "text": ["Same words.", "Same words.", "Other words, Taras said.", "Copy."]})
    scored = pd.DataFrame({"doc_id": ["a", "b", "b", "c"], "sentence_id": [0, 0, 1, 0],
                           "frame": ["f", "f", "f", "f"], "score": [2.0, 2.0, 1.5, 3.0]})
    quotes = pd.DataFrame({"doc_id": ["b"], "sentence_ids": ["1"], "speaker": ["Taras"],
                           "role": ["soldier"], "kind": ["reported"]})
    evidence = findings.strongest_evidence(scored, sentences, documents, quotes, "f")
    # c is a copy; b's "Same words." repeats a's (a comes first at equal score): b shows its other sentence
    assert evidence[["doc_id", "sentence_id", "text", "speaker", "article", "n_frame_sentences"]].values.tolist() == [
        ["a", 0, "Same words.", findings.NARRATOR, "A", 1],
        ["b", 1, "Other words, Taras said.", "Taras", "b.txt", 2],
    ]
    assert findings.frame_reach(scored, documents, "f") == (3, 2)
