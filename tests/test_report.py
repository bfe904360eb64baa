"""The offline report of kursk_utils.report, built from a synthetic run (tests/viz_synthetic.py)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from kursk_utils import findings, report
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
    assert sorted(p.name for p in (run_dir / "html").iterdir()) == ["01_tables.html", "04_visualize.html", "index.html"]
    links = re.findall(r'href="([^"]+)"', index)
    assert "01_tables.html" in links and "04_visualize.html" in links
    assert "../figures/frame_heatmap.html" in links
    for link in links:
        assert (run_dir / "html" / link).exists(), link
    assert "<td>9.2 s</td>" in index  # 9.25 s rounds half to even


def test_index_states_date_corpus_parameters_and_headline_findings(run_dir):
    index = (run_dir / "html" / "index.html").read_text(encoding="utf-8")
    assert "2026-03-14T09:30:00+00:00" in index
    assert "<code>/corpora/&lt;b&gt;kursk&lt;/b&gt;</code>" in index
    # worked out by hand from tests/viz_synthetic.py: of the codebook's 11 frames, article a has
    # 4 and h has 2
    assert "3.0 of 11 frames per article on average (range 2–4, 2 articles)" in index
    assert "2 of 2 soldier quotes carry &#x27;soldier_frustration&#x27; (100%), in 2 of 2 articles" in index
    assert "&#x27;us_support_distrust&#x27; in 2 of 2 articles (2 sentences); voiced by narrator (no attributed speaker) 2" in index
    assert "a#0 h#0" in index and "a#3 h#2" in index


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


def test_pages_are_offline_with_plotly_embedded_once(run_dir):
    visualize = (run_dir / "html" / "04_visualize.html").read_text(encoding="utf-8")
    assert visualize.count(PLOTLYJS_BANNER) == 1
    assert visualize.count("Plotly.newPlot(") == 6
    assert len(re.findall(r'<div class="plotly-graph-div" id="figure-\d+-\d+"', visualize)) == 6
    tables_page = (run_dir / "html" / "01_tables.html").read_text(encoding="utf-8")
    assert PLOTLYJS_BANNER not in tables_page  # no figures, no 4.8 MB of plotly.js
    for page in (run_dir / "html").glob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert not REMOTE_RESOURCE.search(text), page.name
        assert "require.min.js" not in text and "MathJax.js" not in text and "mermaid.esm" not in text


def test_committed_notebook_holds_figure_json_but_no_plotly_js():
    nb = nbformat.read(Path(__file__).parent.parent / "notebooks" / "04_visualize.ipynb", as_version=4)
    mimetypes = [key for cell in nb.cells for out in cell.get("outputs", []) for key in out.get("data", {})]
    assert mimetypes.count("application/vnd.plotly.v1+json") == 6
    assert "text/html" in mimetypes  # the findings table
    raw = (Path(__file__).parent.parent / "notebooks" / "04_visualize.ipynb").read_text(encoding="utf-8")
    assert PLOTLYJS_BANNER not in raw and len(raw) < 1_000_000


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
    assert "Headline findings are not available" in index and "article list is not available" in index
    (tmp_path / "notebooks" / "02_broken.ipynb").write_text("not a notebook", encoding="utf-8")
    with pytest.raises(ValueError, match="cannot read notebook 02_broken.ipynb"):
        report.build_report(tmp_path)


def test_plotly_outputs_of_any_notebook_become_html(tmp_path):
    figure = {"data": [{"type": "bar", "x": ["a"], "y": [1]}], "layout": {}}
    cell = new_code_cell("fig", outputs=[new_output("display_data", data={"application/vnd.plotly.v1+json": figure})])
    path = tmp_path / "05_validate.ipynb"
    nbformat.write(new_notebook(cells=[cell]), path)
    page = report.render_notebook(path, tmp_path / "html").read_text(encoding="utf-8")
    assert page.count(PLOTLYJS_BANNER) == 1 and 'id="figure-0-0"' in page
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
