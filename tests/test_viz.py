"""Figures of kursk_utils.viz on hand-built tables (tests/viz_synthetic.py), checked by hand."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio
import pytest
from plotly.utils import PlotlyJSONEncoder

from kursk_utils import findings, viz
from kursk_utils.framing import load_codebook

FRAME_IDS = load_codebook().frame_ids  # the shipped codebook, in its order
from viz_synthetic import HOSTILE_SENTENCE, HOSTILE_SPEAKER, HOSTILE_TITLE, synthetic_tables

FRAMES = {"frustration_frame": "soldier_frustration", "reassurance_frame": "official_reassurance",
          "distrust_frame": "us_support_distrust"}


@pytest.fixture()
def tables():
    return synthetic_tables()


@pytest.fixture()
def figures(tables):
    return viz.build_figures(tables, **FRAMES)


def figure_strings(fig: go.Figure) -> str:
    """All of a figure's JSON without plotly's own ``<``-escaping, to look for raw markup."""
    return json.dumps(fig.to_plotly_json(), cls=PlotlyJSONEncoder, ensure_ascii=False)


def test_escape_text_makes_markup_inert_and_wraps():
    assert viz.escape_text("<script>x</script> & <b>") == "&lt;script&gt;x&lt;/script&gt; &amp; &lt;b&gt;"
    assert viz.escape_text("aaa bbb ccc", width=7) == "aaa bbb<br>ccc"
    assert viz.escape_text("abcdefghij", width=None, max_chars=5) == "abcd…"
    assert viz.escape_text(None) == ""
    assert viz.escape_text(float("nan")) == ""


def test_setup_renderer_emits_only_the_plotly_mimetype():
    viz.setup_renderer()
    assert pio.renderers.default == "plotly_mimetype"
    bundle = go.Figure(go.Scatter(x=[1], y=[2]))._repr_mimebundle_({}, {})
    assert set(bundle) == {"application/vnd.plotly.v1+json"}


def test_no_figure_contains_raw_article_markup(figures):
    assert set(figures) == {"corpus_overview", "frame_heatmap", "sentiment_arc", "actor_sentiment",
                            "voices", "distrust_of_us_support"}
    for name, fig in figures.items():
        text = figure_strings(fig)
        for payload in ("<script", "<img", "<b>Kursk", "<b>Washington", "<b>rely"):
            assert payload not in text, (name, payload)


def test_frame_heatmap_share_of_sentences(tables, figures):
    heatmap = figures["frame_heatmap"].data[0]
    # every codebook frame, in codebook order (soldier_frustration, us_support_distrust,
    # chaotic_retreat, ..., official_reassurance, ...)
    assert list(heatmap.x) == list(FRAME_IDS)
    assert list(heatmap.y) == ["a", "h"]
    # article a: 4 sentences, each of its four frames fires in one; article h: 3 sentences,
    # soldier_frustration and us_support_distrust once each
    expected = pd.DataFrame(0.0, index=["a", "h"], columns=list(FRAME_IDS))
    expected.loc["a", ["chaotic_retreat", "official_reassurance", "soldier_frustration",
                       "us_support_distrust"]] = 1 / 4
    expected.loc["h", ["soldier_frustration", "us_support_distrust"]] = 1 / 3
    np.testing.assert_allclose(np.asarray(heatmap.z), expected.to_numpy(), atol=1e-6)
    hover = heatmap.text[1][0]
    assert viz.escape_text(HOSTILE_TITLE, width=60) in hover
    assert "frame: soldier_frustration" in hover and "sentences with cues: 1 of 3 (33%)" in hover


def test_sentiment_arc_colours_by_dominant_frame_and_names_the_speaker(figures):
    # one panel per article: article a on x axis "x", article h on "x2"
    points = {
        (trace.xaxis, trace.name, x): text
        for trace in figures["sentiment_arc"].data if trace.mode == "markers"
        for x, text in zip(trace.x, trace.text, strict=True)
    }
    assert len(points) == 7
    # a#1 has chaotic_retreat (1.0) and soldier_frustration (2.0): the higher score wins
    assert ("x", "chaotic_retreat", 1) not in points
    a1 = points[("x", "soldier_frustration", 1)]
    assert "frames:</i> soldier_frustration (2.00), chaotic_retreat (1.00)" in a1
    assert "speaker:</i> a soldier" in a1
    assert f"speaker:</i> {findings.NARRATOR}" in points[("x", "no frame", 0)]
    h1 = points[("x2", "soldier_frustration", 1)]
    assert viz.escape_text(HOSTILE_SPEAKER) in h1 and viz.escape_text(HOSTILE_SENTENCE) in h1


def test_actor_sentiment_uses_corpus_rows_with_interval_and_evidence(figures):
    traces = {trace.name: trace for trace in figures["actor_sentiment"].data}
    assert set(traces) == {"foreign", "ukraine"}
    army = traces["ukraine"]
    assert list(army.y) == ["Ukrainian army (n=3)"]
    assert army.x[0] == pytest.approx(-0.2)
    assert army.error_x.array[0] == pytest.approx(0.6) and army.error_x.arrayminus[0] == pytest.approx(0.4)
    assert f"most negative:</i> [h #1] {viz.escape_text(HOSTILE_SENTENCE)}" in army.text[0]
    assert "most positive:</i> [a #2] The commander said the troops were safe." in army.text[0]
    assert list(traces["foreign"].y) == ["&lt;b&gt;Washington&lt;/b&gt; (n=2)"]


def test_voices_counts_quotes_by_role_and_frame(figures):
    bars = {(trace.xaxis, trace.name): list(trace.y) for trace in figures["voices"].data}
    assert all(list(trace.x) == ["a", "h"] for trace in figures["voices"].data)
    assert bars == {
        ("x", "frustration (soldier_frustration)"): [1, 1],
        ("x", "reassurance (official_reassurance)"): [0, 0],
        ("x2", "frustration (soldier_frustration)"): [0, 0],
        ("x2", "reassurance (official_reassurance)"): [1, 0],
    }
    soldier_frustration = figures["voices"].data[0]
    assert "a soldier: “The retreat was chaotic and nobody told us”" in soldier_frustration.text[0]


def test_distrust_places_sentences_and_speakers(figures):
    (trace,) = figures["distrust_of_us_support"].data
    assert trace.name == findings.NARRATOR
    assert list(trace.y) == ["a", "h"]
    # a#3 is the last of 4 sentences, h#2 the last of 3: both at the article's end
    assert list(trace.x) == [1.0, 1.0]
    assert "cues:</i> &lt;b&gt;rely on US&lt;/b&gt;" in trace.text[1]


def test_sentence_voices_spreads_quotes_over_their_sentences():
    quotes = pd.DataFrame({
        "doc_id": ["d", "d", "d"], "sentence_ids": ["2 3", "3", "7"],
        "speaker": ["Artem", "Serhiy", None], "role": ["soldier", "soldier", None],
        "kind": ["direct", "reported", "direct"],
    })
    assert findings.sentence_voices(quotes).to_dict("list") == {
        "doc_id": ["d", "d", "d"], "sentence_id": [2, 3, 7],
        "speaker": ["Artem", "Artem; Serhiy", "unattributed"], "role": ["soldier", "soldier", "unattributed"],
    }


def test_corpus_counts(tables):
    counts = viz.corpus_counts(tables["documents"], tables["sentences"], tables["quotes"], tables["ingest_manifest"])
    assert counts == {"articles": 2, "words": 100, "sentences": 7, "quotes": 3, "duplicates": 0,
                      "skipped inputs": 1}


def test_unknown_frame_and_missing_column_give_clear_errors(tables):
    with pytest.raises(ValueError, match=r"unknown frame id\(s\) \['morale'\].*soldier_frustration"):
        viz.build_figures(tables, **(FRAMES | {"distrust_frame": "morale"}))
    with pytest.raises(ValueError, match=r"quotes table is missing column\(s\) \['role'\]"):
        findings.sentence_voices(tables["quotes"].drop(columns=["role"]))


def test_figures_are_deterministic(tables, figures):
    again = viz.build_figures(synthetic_tables(), **FRAMES)
    for name, fig in figures.items():
        assert fig.to_json() == again[name].to_json(), name


def test_write_figures_offline_html_and_png(figures, tmp_path):
    written = viz.write_figures(figures, tmp_path)
    figures_dir = tmp_path / "figures"
    html_files = sorted(figures_dir.glob("*.html"))
    assert [p.stem for p in html_files] == sorted(figures)
    for page in html_files:
        text = page.read_text(encoding="utf-8")
        assert '<script charset="utf-8" src="plotly.min.js"></script>' in text
        assert "cdn.plot.ly" not in text and "<script>window.__pwned" not in text
    assert (figures_dir / "plotly.min.js").stat().st_size > 1_000_000
    if viz.CHROMIUM_PATH.is_file():
        pngs = sorted(figures_dir.glob("*.png"))
        assert [p.stem for p in pngs] == sorted(figures)
        assert all(p.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" for p in pngs)
        assert set(written) == {figures_dir / "plotly.min.js", *html_files, *pngs}


def test_write_figures_without_chromium_skips_png_with_a_message(figures, tmp_path, capsys):
    written = viz.write_figures(figures, tmp_path, chromium_path=tmp_path / "no-chromium")
    assert "PNG export skipped" in capsys.readouterr().out
    assert not list((tmp_path / "figures").glob("*.png"))
    assert len(written) == 1 + len(figures)
    first = {p: p.read_bytes() for p in written}
    viz.write_figures(figures, tmp_path, chromium_path=Path("/nonexistent"))
    assert {p: p.read_bytes() for p in written} == first


def test_write_figures_rejects_unsafe_names(tmp_path):
    with pytest.raises(ValueError, match="file-name safe"):
        viz.write_figures({"../evil": go.Figure()}, tmp_path)


def test_a_frame_parameter_set_to_none_gives_an_empty_figure_saying_why(tables):
    figures = viz.build_figures(tables, **(FRAMES | {"reassurance_frame": None, "distrust_frame": None}))
    assert set(figures) == {"corpus_overview", "frame_heatmap", "sentiment_arc", "actor_sentiment",
                            "voices", "distrust_of_us_support"}
    for name, parameter in (("voices", "reassurance_frame"), ("distrust_of_us_support", "distrust_frame")):
        assert figures[name].data == ()
        assert f"{parameter} is None" in figures[name].layout.title.text
