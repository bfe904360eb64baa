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

from kursk_utils import findings, stages, viz
from kursk_utils.framing import load_codebook

FRAME_IDS = load_codebook().frame_ids  # the shipped codebook, in its order
from viz_synthetic import HOSTILE_SENTENCE, HOSTILE_SPEAKER, HOSTILE_TITLE, synthetic_tables

FRAMES = {"frustration_frame": "soldier_frustration", "reassurance_frame": "official_reassurance"}
DISTRUST = "us_support_distrust"


def study_tables_of(tables):
    settings = stages.StudySettings(frame_ids=findings.frame_ids(tables["frames_by_document"]), **FRAMES)
    return stages.compare(tables, settings)


@pytest.fixture()
def tables():
    return synthetic_tables()


@pytest.fixture()
def figures(tables):
    return viz.build_figures(tables, study_tables_of(tables), DISTRUST)


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
    assert set(figures) == {"corpus_overview", "frame_prevalence", "frame_timeline", "frame_cooccurrence",
                            "article_view", "actor_sentiment", "voices", "distrust_of_us_support"}
    for name, fig in figures.items():
        text = figure_strings(fig)
        for payload in ("<script", "<img", "<b>Kursk", "<b>Washington", "<b>rely"):
            assert payload not in text, (name, payload)


def test_prevalence_share_of_articles_with_wilson_interval(figures):
    (bars,) = figures["frame_prevalence"].data  # no metadata: only the all-articles bars
    assert bars.name == "(all articles) (n = 2)"
    shares = dict(zip(bars.y, bars.x, strict=True))
    assert list(bars.y) == list(FRAME_IDS)  # codebook order
    # article a has four frames, h two of them (soldier_frustration, us_support_distrust)
    assert shares["soldier_frustration"] == shares["us_support_distrust"] == 1.0
    assert shares["chaotic_retreat"] == shares["official_reassurance"] == 0.5
    assert sum(shares.values()) == 3.0
    # Wilson 95% for 1 of 2, worked out by hand: (1.4604 -/+ 1.1843) / 2.9208
    index = list(bars.y).index("chaotic_retreat")
    assert bars.x[index] - bars.error_x.arrayminus[index] == pytest.approx(0.0945, abs=1e-4)
    assert bars.x[index] + bars.error_x.array[index] == pytest.approx(0.9055, abs=1e-4)
    assert "1 of 2 articles (50%; 95% interval 9.5%–91%)" in bars.text[index]


def test_timeline_without_dates_says_so(figures):
    timeline = figures["frame_timeline"]
    assert not timeline.data
    assert "No dated article" in timeline.layout.annotations[0].text


def test_cooccurrence_counts_articles_with_both_frames(figures):
    (heatmap,) = figures["frame_cooccurrence"].data
    frames = list(FRAME_IDS)
    cell = {(a, b): (heatmap.z[i][j], heatmap.text[i][j]) for i, a in enumerate(frames)
            for j, b in enumerate(frames)}
    assert cell[("soldier_frustration", "us_support_distrust")] == (1.0, "2")  # both in a and h
    assert cell[("us_support_distrust", "soldier_frustration")] == (1.0, "2")
    assert cell[("chaotic_retreat", "soldier_frustration")] == (0.5, "1")  # both in a; either in 2
    assert np.isnan(cell[("chaotic_retreat", "chaotic_retreat")][0])


def test_article_view_picks_articles_from_a_dropdown(figures):
    fig = figures["article_view"]
    (menu,) = fig.layout.updatemenus
    # a has frame sentences 1, 2, 3; h has 1, 2
    assert [b.label for b in menu.buttons] == [
        "Soldiers describe chaotic retreat (3 frame sentences)",
        viz.escape_text(HOSTILE_TITLE, width=None, max_chars=70) + " (2 frame sentences)"]
    arc_a, bars_a, arc_h = fig.data[0], fig.data[1], fig.data[2]
    assert arc_a.visible and bars_a.visible and not arc_h.visible
    assert list(menu.buttons[1].args[0]["visible"][:4]) == [False, False, True, True]
    points = dict(zip(arc_a.x, arc_a.text, strict=True))
    # a#1 has chaotic_retreat (1.0) and soldier_frustration (2.0): the higher score colours it
    assert "frames:</i> soldier_frustration (2.00), chaotic_retreat (1.00)" in points[1]
    assert "speaker:</i> a soldier" in points[1]
    assert f"speaker:</i> {findings.NARRATOR}" in points[0]
    assert arc_a.marker.color[0] == viz.NO_FRAME_COLOUR
    assert viz.escape_text(HOSTILE_SPEAKER) in arc_h.text[1]
    shares = dict(zip(bars_a.x, bars_a.y, strict=True))
    assert shares["chaotic_retreat"] == pytest.approx(0.25)  # 1 of a's 4 sentences


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


def test_voices_share_of_quotes_with_n(figures):
    soldier, official = figures["voices"].data
    # soldier quotes a#0 and h#0 both carry soldier_frustration; the one official quote (a#1)
    # carries official_reassurance
    assert list(soldier.x) == ["(all articles)"] and list(soldier.y) == [1.0] and list(soldier.text) == ["2/2"]
    assert list(official.y) == [1.0] and list(official.text) == ["1/1"]
    assert "from 2 article(s)" in soldier.customdata[0]


def test_distrust_counts_sentences_by_position_and_voice(figures):
    (trace,) = figures["distrust_of_us_support"].data
    assert trace.name == findings.NARRATOR
    # a#3 is the last of 4 sentences, h#2 the last of 3: both in the last tenth
    assert list(trace.y) == [0] * 9 + [2]
    # the example is the higher-scoring sentence (h#2, 2.0)
    assert "Officials in Kyiv said they could no longer rely on US support." in trace.customdata[9]
    assert "(h #2)" in trace.customdata[9]


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
        viz.build_figures(tables, study_tables_of(tables), "morale")
    with pytest.raises(ValueError, match=r"quotes table is missing column\(s\) \['role'\]"):
        findings.sentence_voices(tables["quotes"].drop(columns=["role"]))


def test_figures_are_deterministic(tables, figures):
    again = viz.build_figures(synthetic_tables(), study_tables_of(synthetic_tables()), DISTRUST)
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
    # A codebook without the Kursk frames: the parameters are None (parameters.default_frames).
    settings = stages.StudySettings(frame_ids=findings.frame_ids(tables["frames_by_document"]),
                                    frustration_frame="soldier_frustration", reassurance_frame=None)
    figures = viz.build_figures(tables, stages.compare(tables, settings), distrust_frame=None)
    assert figures["distrust_of_us_support"].data == ()
    assert "distrust_frame is None" in figures["distrust_of_us_support"].layout.title.text
    assert figures["voices"].data == ()  # no voices table without the reassurance frame: said so
    assert "No voices table" in figure_strings(figures["voices"])


