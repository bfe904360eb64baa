"""The offline report of kursk_utils.report, built from a synthetic run (tests/viz_synthetic.py)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pandas as pd
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from kursk_utils import findings, report, stages
from kursk_utils.tables import read_table
from viz_synthetic import FRAMES, synthetic_tables, write_synthetic_run

PLOTLYJS_BANNER = "* plotly.js v"  # first comment line of the bundled plotly.min.js
REMOTE_RESOURCE = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)\s*=\s*["']?(?:https?:)?//""", re.I)


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory) -> Path:
    out = write_synthetic_run(tmp_path_factory.mktemp("run"))
    report.build_report(out)
    return out


def test_every_notebook_is_rendered_and_linked_from_the_index(run_dir):
    index = (run_dir / "html" / "index.html").read_text(encoding="utf-8")
    assert sorted(p.name for p in (run_dir / "html").iterdir()) == [
        "01_tables.html", "04_visualize.html", "index.html", "plotly.min.js"]
    links = re.findall(r'href="([^"]+)"', index)
    assert "01_tables.html" in links and "04_visualize.html" in links
    assert "../figures/frame_prevalence.html" in links
    for link in links:
        assert (run_dir / "html" / link).exists(), link
    assert "<td>9.2 s</td>" in index  # 9.25 s rounds half to even


def test_index_states_date_corpus_and_quotes_evidence(run_dir):
    index = (run_dir / "html" / "index.html").read_text(encoding="utf-8")
    assert "2026-03-14T09:30:00+00:00" in index
    assert "<code>/corpora/&lt;b&gt;kursk&lt;/b&gt;</code>" in index
    # worked out by hand from tests/viz_synthetic.py: articles a and h, no outlet or date, one
    # skipped file; soldier frustration scores 2.0 in a#1 (a soldier's reported speech), 1.5 in h#1
    assert ("<p>2 articles with no outlet recorded. No publication dates recorded: no timeline. "
            "1 input skipped: unsupported extension &#x27;.bin&#x27; (1).</p>") in index
    assert ("<blockquote><p>The retreat was chaotic and nobody told us, said a soldier.</p>"
            "<footer>— a soldier (soldier) · <em>Soldiers describe chaotic retreat</em>") in index
    assert index.index("nobody told us") < index.index("We were abandoned")
    # the study tables are written (no metadata: no grouping, said so); the validation figures
    # were not written in this run: said so
    assert "Articles are not compared by group: they have no perspective or outlet" in index
    assert "<code>validation/framing.json</code> was not" in index


def test_article_markup_is_escaped_everywhere(run_dir):
    for page in (run_dir / "html").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        for payload in ("<img src=x onerror", "<script>window.__pwned", "<b>Kursk</b>", "<b>kursk</b>"):
            assert payload not in text, (page.name, payload)
    index = (run_dir / "html" / "index.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=&quot;window.__pwned=&#x27;title&#x27;&quot;&gt;&lt;b&gt;Kursk&lt;/b&gt; retreat" in index
    assert "&lt;script&gt;window.__pwned" in index  # the parameter, shown as text
    tables_page = (run_dir / "html" / "01_tables.html").read_text(encoding="utf-8")
    assert "&lt;img src=x onerror=" in tables_page


def test_pages_are_offline_and_share_one_plotly_js(run_dir):
    visualize = (run_dir / "html" / "04_visualize.html").read_text(encoding="utf-8")
    assert PLOTLYJS_BANNER not in visualize  # not embedded: loaded from the file beside the page
    assert visualize.count('<script src="plotly.min.js" type="text/javascript"></script>') == 1
    assert PLOTLYJS_BANNER in (run_dir / "html" / "plotly.min.js").read_text(encoding="utf-8")
    assert visualize.count("Plotly.newPlot(") == 8
    assert len(re.findall(r'<div class="plotly-graph-div" id="figure-\d+-\d+"', visualize)) == 8
    tables_page = (run_dir / "html" / "01_tables.html").read_text(encoding="utf-8")
    assert "plotly.min.js" not in tables_page  # no figures, no plotly.js
    for page in (run_dir / "html").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not REMOTE_RESOURCE.search(text), page.name
        assert "require.min.js" not in text and "MathJax.js" not in text and "mermaid.esm" not in text


def test_committed_notebook_holds_figure_json_but_no_plotly_js():
    nb = nbformat.read(Path(__file__).parent.parent / "notebooks" / "04_visualize.ipynb", as_version=4)
    mimetypes = [key for cell in nb.cells for out in cell.get("outputs", []) for key in out.get("data", {})]
    assert mimetypes.count("application/vnd.plotly.v1+json") == 8
    assert "text/html" in mimetypes  # the findings table
    raw = (Path(__file__).parent.parent / "notebooks" / "04_visualize.ipynb").read_text(encoding="utf-8")
    assert PLOTLYJS_BANNER not in raw and len(raw) < 1_000_000


def test_the_notebook_writes_the_study_tables_of_the_stage(run_dir):
    tables = synthetic_tables()
    settings = stages.StudySettings(frame_ids=findings.frame_ids(tables["frames_by_document"]))
    for name, expected in stages.compare(tables, settings).items():
        pd.testing.assert_frame_equal(read_table(run_dir, name), expected, check_dtype=False, obj=name)
    prevalence = pd.read_csv(run_dir / "data" / "frame_prevalence.csv")
    # by hand: soldier_frustration is in both articles (a and h), chaotic_retreat only in a
    overall = prevalence.set_index("frame")
    assert overall.loc["soldier_frustration", ["n_articles", "n_with_frame"]].tolist() == [2, 2]
    assert overall.loc["chaotic_retreat", ["n_articles", "n_with_frame"]].tolist() == [2, 1]
    assert (run_dir / "data" / "group_differences.csv").is_file()


def test_rendering_is_deterministic(run_dir, tmp_path):
    copy = tmp_path / "copy"
    shutil.copytree(run_dir, copy, ignore=shutil.ignore_patterns("html"))
    report.build_report(copy)
    for page in (run_dir / "html").glob("*.html"):
        if page.name != "index.html":  # the index shows output_dir, which differs
            assert (copy / "html" / page.name).read_bytes() == page.read_bytes(), page.name


def test_missing_pieces_give_clear_errors_or_notes(tmp_path):
    with pytest.raises(FileNotFoundError, match="no run manifest .*run.json: run `kursk run` first"):
        report.build_report(tmp_path)
    (tmp_path / "run.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(ValueError, match="not valid JSON"):
        report.build_report(tmp_path)
    (tmp_path / "run.json").write_text('{"started": "2026-03-14T09:30:00+00:00", "notebooks": []}', encoding="utf-8")
    with pytest.raises(FileNotFoundError, match="no executed notebooks"):
        report.build_report(tmp_path)
    (tmp_path / "notebooks").mkdir()
    nbformat.write(new_notebook(cells=[new_markdown_cell("# only text")]), tmp_path / "notebooks" / "01_x.ipynb")
    index = report.build_report(tmp_path).read_text(encoding="utf-8")
    assert "the table <code>documents</code> was not written" in index
    assert "the table <code>frames_by_sentence</code> was not written" in index
    (tmp_path / "notebooks" / "02_broken.ipynb").write_text("not a notebook", encoding="utf-8")
    with pytest.raises(ValueError, match="cannot read notebook 02_broken.ipynb"):
        report.build_report(tmp_path)


def test_plotly_outputs_of_any_notebook_become_html(tmp_path):
    figure = {"data": [{"type": "bar", "x": ["a"], "y": [1]}], "layout": {}}
    cell = new_code_cell("fig", outputs=[new_output("display_data", data={"application/vnd.plotly.v1+json": figure})])
    path = tmp_path / "05_validate.ipynb"
    nbformat.write(new_notebook(cells=[cell]), path)
    page = report.render_notebook(path, tmp_path / "html").read_text(encoding="utf-8")
    assert 'src="plotly.min.js"' in page and 'id="figure-0-0"' in page
    assert PLOTLYJS_BANNER in (tmp_path / "html" / "plotly.min.js").read_text(encoding="utf-8")
    assert '<div style="height:525px; width:100%;">' in page  # figures without a height get one


def test_headline_findings_needs_known_frames():
    with pytest.raises(ValueError, match=r"unknown frame id\(s\) \['morale'\]; frames in the data: \['soldier_frustration'"):
        findings.headline_findings(synthetic_tables(), "morale", FRAMES[3])


def test_index_says_whether_the_codebook_fits_the_corpus(tmp_path):
    shutil.copytree(write_synthetic_run(tmp_path / "a"), tmp_path / "run")
    out = tmp_path / "run"
    manifest = report.read_run_manifest(out)
    assert "Topic check: not recorded" in report.build_report(out).read_text(encoding="utf-8")
    message = "topic check: only 1 of 7 articles (14%) mention <the> codebook's topic"
    manifest["topic_check"] = {"fits": False, "message": message}
    (out / "run.json").write_text(json.dumps(manifest), encoding="utf-8")
    index = report.build_report(out).read_text(encoding="utf-8")
    assert '<p class="status-failed">topic check: only 1 of 7 articles (14%) mention &lt;the&gt; codebook&#x27;s topic</p>' in index


def test_headline_findings_skip_a_frame_parameter_set_to_none():
    headline = findings.headline_findings(synthetic_tables(), None, None)
    assert headline["value"].tolist()[1:] == [findings.skipped_frame("frustration_frame"),
                                              findings.skipped_frame("distrust_frame")]
    assert headline["evidence"].tolist()[1:] == ["", ""]
