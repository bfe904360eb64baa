"""The report and JupyterLab in headless Chromium (Debian's /usr/bin/chromium, driven by Playwright).

Without Chromium these tests fail (they are not skipped): run ``.ci/ensure-chromium``.
Screenshots go to ``outputs/screenshots/`` for people to look at.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from benchmarks.generate import OUTLETS, generate_corpus
from kursk_utils import report
from kursk_utils.pipeline import run_pipeline

PROJECT_ROOT = Path(__file__).resolve().parent.parent
SEEDS = PROJECT_ROOT / "seeds"
HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"
# the hostile article's title line and a quoted payload, as a reader must see them: as text
HOSTILE_TITLE = """<img src=x onerror="window.__pwned='title'"><b>Kursk</b> retreat: "trust" & <i>doubt</i>"""
HOSTILE_QUOTE = "<script>window.__pwned = 'quote'; alert('quote')</script>"
SCREENSHOTS = PROJECT_ROOT / "outputs" / "screenshots"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
LAPTOP = {"width": 1366, "height": 900}
LAB_START_TIMEOUT_S = 90
# The larger run: generated articles with a metadata sidecar through the whole `kursk run`, grouped
# by perspective (the slowest test of this file; heavier runs are in `make bench`).
LARGER_RUN_ARTICLES = 1000
PERSPECTIVES = sorted({perspective for _, perspective in OUTLETS})
LARGER_RUN_PAGE_TIMEOUT_MS = 180_000  # a page with many figures on a busy 2-core machine
NO_RENDERER = "No renderer could be found"


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.is_file():
        pytest.fail(f"Chromium not found at {CHROMIUM}: run .ci/ensure-chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


class PageWatch:
    """A page that records JS errors, requests and dialogs (a hostile payload may call alert)."""

    def __init__(self, browser):
        self.page = browser.new_page(viewport=LAPTOP)
        self.errors: list[str] = []
        self.requests: list[str] = []
        self.dialogs: list[str] = []
        self.page.on("pageerror", lambda err: self.errors.append(str(err)))
        self.page.on("console", lambda msg: msg.type == "error" and self.errors.append(msg.text))
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("dialog", lambda dialog: (self.dialogs.append(dialog.message), dialog.dismiss()))

    def remote_requests(self, allowed_prefix: str = "file://") -> list[str]:
        # data: and blob: URLs are in-page resources (JupyterLab starts workers from blobs)
        return [url for url in self.requests if not url.startswith((allowed_prefix, "data:", "blob:"))]

    def pwned(self):
        return self.page.evaluate("window.__pwned")


@pytest.fixture(scope="module")
def report_dir(tmp_path_factory) -> Path:
    """A full ``kursk run`` over the seed articles plus the hostile fixture, with its report."""
    corpus = tmp_path_factory.mktemp("corpus")
    for article in [*SEEDS.glob("*.txt"), *HOSTILE.glob("*.txt")]:
        shutil.copy(article, corpus)
    out = tmp_path_factory.mktemp("run")
    run_pipeline(corpus, out, log=lambda line: None)  # renders the report too
    return out


def rendered_plots(page) -> list[dict]:
    return page.evaluate(
        """() => [...document.querySelectorAll('.js-plotly-plot')].map(gd => ({
            id: gd.id, svg: gd.querySelectorAll('svg.main-svg').length,
            traces: (gd.data || []).length, title: gd.layout?.title?.text ?? '',
            notes: (gd.layout?.annotations || []).length}))"""
    )


def hover_every_point(page, div_id: str) -> list[str]:
    """Show the hover label of every point of a figure in turn; return the labels' text."""
    return page.evaluate(
        """async (id) => {
            const gd = document.getElementById(id);
            const labels = [];
            for (const [curve, points] of gd.calcdata.entries()) {
                const trace = points[0].trace;
                if (trace.visible === false) continue;  // another article of the dropdown
                const subplot = (trace.xaxis || 'x') + (trace.yaxis || 'y');
                for (let point = 0; point < points.length; point++) {
                    Plotly.Fx.hover(gd, [{curveNumber: curve, pointNumber: point}], subplot);
                    await new Promise(resolve => setTimeout(resolve, 60));  // plotly throttles hover
                    labels.push(gd.querySelector('.hoverlayer').textContent);
                }
            }
            Plotly.Fx.unhover(gd);
            return labels;
        }""",
        div_id,
    )


def report_pages(report_dir: Path) -> list[Path]:
    return sorted((report_dir / "html").glob("*.html"))


def test_every_report_page_is_offline_and_runs_no_article_code(browser, report_dir):
    pages = report_pages(report_dir)
    assert [p.name for p in pages] == ["01_ingest.html", "02_sentiment.html", "03_framing.html",
                                       "04_visualize.html", "05_validate.html", "index.html"]
    # one plotly.js beside the pages, loaded by relative path
    assert (report_dir / "html" / "plotly.min.js").is_file()
    for page_path in pages:
        watch = PageWatch(browser)
        watch.page.goto(page_path.as_uri())
        watch.page.wait_for_load_state("load")
        injected = watch.page.locator("img[src='x'], svg[onload], a[href^='javascript:']").count()
        assert injected == 0, page_path.name
        assert watch.errors == [] and watch.dialogs == [] and watch.pwned() is None, page_path.name
        assert watch.remote_requests() == [], page_path.name
        watch.page.close()


def test_report_index_shows_hostile_title_as_text(browser, report_dir):
    watch = PageWatch(browser)
    watch.page.goto((report_dir / "html" / "index.html").as_uri())
    body = watch.page.inner_text("body")
    assert HOSTILE_TITLE in body  # its article is quoted as evidence
    assert "Soldier frustration: the strongest evidence" in body
    assert "Distrust of US support: the strongest evidence" in body
    assert watch.pwned() is None
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    watch.page.screenshot(path=SCREENSHOTS / "report_index.png", full_page=True)


def test_visualization_page_renders_every_figure_with_inert_hover_text(browser, report_dir):
    watch = PageWatch(browser)
    watch.page.goto((report_dir / "html" / "04_visualize.html").as_uri())
    watch.page.wait_for_function("document.querySelectorAll('.js-plotly-plot svg.main-svg').length >= 8")
    plots = rendered_plots(watch.page)
    assert len(plots) == 8 and all(plot["svg"] >= 1 for plot in plots)
    # the seeds have no dates: the timeline says so instead of drawing traces
    assert sum(plot["traces"] == 0 for plot in plots) == 1
    view = next(plot["id"] for plot in plots if plot["title"].startswith("One article at a time"))
    n_articles = watch.page.evaluate("(id) => document.getElementById(id).layout.updatemenus[0].buttons.length", view)
    labels = []
    for index in range(n_articles):  # pick each article of the dropdown in turn
        watch.page.evaluate("""([id, index]) => {
            const gd = document.getElementById(id);
            return Plotly.update(gd, gd.layout.updatemenus[0].buttons[index].args[0]);
        }""", [view, index])
        labels += ["".join(label.split()) for label in hover_every_point(watch.page, view)]
    assert any("".join(HOSTILE_QUOTE.split()) in label for label in labels)  # shown, as text
    assert watch.errors == [] and watch.dialogs == [] and watch.pwned() is None
    assert watch.remote_requests() == []
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    watch.page.screenshot(path=SCREENSHOTS / "report_visualize.png", full_page=True)


def test_standalone_figure_files_render_offline(browser, report_dir):
    pages = sorted((report_dir / "figures").glob("*.html"))
    assert len(pages) == 8
    watch = PageWatch(browser)
    for page in pages:
        watch.page.goto(page.as_uri())
        watch.page.wait_for_function("document.querySelector('.js-plotly-plot svg.main-svg') !== null")
    assert watch.errors == [] and watch.dialogs == [] and watch.pwned() is None
    assert watch.remote_requests() == []


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture()
def jupyterlab(tmp_path, report_dir):
    """JupyterLab on 127.0.0.1 over a copy of the project's 04 notebook and synthetic tables.

    Its own token, settings, workspace, runtime and config dirs; autosave off and windowing
    off (every cell rendered) in the settings. Yields (base_url, token, lab_root).
    """
    root = tmp_path / "lab"
    (root / "notebooks").mkdir(parents=True)
    shutil.copy(PROJECT_ROOT / "notebooks" / "04_visualize.ipynb", root / "notebooks")
    shutil.copytree(report_dir / "data", root / "outputs" / "data")
    settings = tmp_path / "settings"
    for plugin, values in {
        "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
        "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
        "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    }.items():
        package, name = plugin.rsplit("/", 1)
        (settings / package).mkdir(parents=True, exist_ok=True)
        (settings / package / f"{name}.jupyterlab-settings").write_text(json.dumps(values), encoding="utf-8")
    token = secrets.token_hex(16)
    port = _free_port()
    env = os.environ | {
        "JUPYTER_RUNTIME_DIR": str(tmp_path / "runtime"),
        "JUPYTER_CONFIG_DIR": str(tmp_path / "config"),
        "JUPYTERLAB_SETTINGS_DIR": str(settings),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp_path / "workspaces"),
    }
    log = (tmp_path / "lab.log").open("w")
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "jupyter-lab"), "--no-browser", "--ServerApp.ip=127.0.0.1",
         f"--ServerApp.port={port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
         f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True",
         *(["--allow-root"] if os.geteuid() == 0 else [])],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + LAB_START_TIMEOUT_S
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{base_url}/api/status?token={token}", timeout=2):
                    break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start within {LAB_START_TIMEOUT_S} s:\n"
                                + (tmp_path / "lab.log").read_text()[-3000:])
                time.sleep(0.5)
        yield base_url, token, root
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()


def test_jupyterlab_renders_committed_figures_and_runs_cells(browser, jupyterlab):
    base_url, token, root = jupyterlab
    watch = PageWatch(browser)
    page = watch.page
    page.set_default_timeout(60_000)
    page.goto(f"{base_url}/lab/tree/notebooks/04_visualize.ipynb?token={token}")
    page.wait_for_selector(".jp-Notebook .jp-Cell")
    # the committed outputs, rendered by the jupyterlab-plotly MIME renderer
    page.wait_for_function("document.querySelectorAll('.jp-Notebook .js-plotly-plot svg.main-svg').length >= 8")
    assert len(rendered_plots(page)) == 8
    assert NO_RENDERER not in page.inner_text(".jp-Notebook")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator(".jp-Notebook .js-plotly-plot").nth(1).scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "jupyterlab_04_visualize.png")

    page.wait_for_function("window.jupyterapp && document.querySelector('.jp-Notebook-ExecutionIndicator[data-status=\"idle\"]') !== null")
    page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
    n_code = page.locator(".jp-Notebook .jp-CodeCell").count()
    page.wait_for_function(
        """(n) => [...document.querySelectorAll('.jp-Notebook .jp-CodeCell .jp-InputPrompt')]
                  .filter(p => /\\[\\d+\\]/.test(p.textContent)).length === n""",
        arg=n_code, timeout=120_000,
    )
    page.wait_for_function("document.querySelectorAll('.jp-Notebook .js-plotly-plot svg.main-svg').length >= 8")
    prompts = page.locator(".jp-Notebook .jp-CodeCell .jp-InputPrompt").all_inner_texts()
    assert [p.strip() for p in prompts] == [f"[{i}]:" for i in range(1, n_code + 1)]
    assert page.locator(".jp-Notebook [data-mime-type='application/vnd.jupyter.error']").count() == 0
    assert NO_RENDERER not in page.inner_text(".jp-Notebook")
    assert (root / "outputs" / "figures" / "frame_prevalence.html").is_file()  # the last cell ran
    assert watch.dialogs == [] and watch.pwned() is None
    assert watch.remote_requests(allowed_prefix=base_url) == []
    page.locator(".jp-Notebook .js-plotly-plot").nth(2).scroll_into_view_if_needed()
    page.screenshot(path=SCREENSHOTS / "jupyterlab_04_visualize_rerun.png")


# --- slow: the report of a larger run (LARGER_RUN_ARTICLES articles through `kursk run`) -----------


@pytest.fixture(scope="module")
def larger_report_dir(tmp_path_factory) -> Path:
    """``kursk run -p group_by perspective`` over generated articles whose metadata sidecar gives
    each its outlet, perspective, date and url, with its report."""
    corpus = tmp_path_factory.mktemp("larger_corpus")
    generate_corpus(corpus, LARGER_RUN_ARTICLES, metadata=True)
    out = tmp_path_factory.mktemp("larger_run")
    run_pipeline(corpus, out, {"group_by": "perspective"}, log=lambda line: None)
    return out


def test_larger_run_report_renders_every_figure_offline(browser, larger_report_dir):
    """Slow (a full `kursk run` of LARGER_RUN_ARTICLES articles): every page of the report opens
    without a JavaScript error or a network request, every figure draws, the figures compare the
    perspectives over the weeks of the sidecar's dates, and the front page reads as a summary
    (screenshots: outputs/screenshots/report_index_larger_run.png, report_visualize_larger_run.png)."""
    index, *notebook_pages = sorted(report_pages(larger_report_dir), key=lambda page: page.name != "index.html")
    for page_path in [index, *notebook_pages]:
        watch = PageWatch(browser)
        watch.page.set_default_timeout(LARGER_RUN_PAGE_TIMEOUT_MS)
        watch.page.goto(page_path.as_uri())
        watch.page.wait_for_load_state("load")
        n_figures = watch.page.locator(".plotly-graph-div").count()
        if n_figures:
            watch.page.wait_for_function(
                "n => document.querySelectorAll('.js-plotly-plot svg.main-svg').length >= n", arg=n_figures)
            plots = rendered_plots(watch.page)
            assert len(plots) == n_figures, page_path.name
            # a figure without data must say why (viz's empty figures carry a note)
            assert all(plot["svg"] >= 1 and (plot["traces"] >= 1 or plot["notes"] >= 1) for plot in plots), \
                (page_path.name, plots)
        assert watch.errors == [] and watch.dialogs == [], page_path.name
        assert watch.remote_requests() == [], page_path.name
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        if page_path.name == "04_visualize.html":
            # with metadata at run time every figure has data: groups and periods are real
            assert n_figures == 8 and all(plot["traces"] >= 1 for plot in plots), plots
            by_title = {plot["title"].split(":")[0]: plot["id"] for plot in plots}
            traces = watch.page.evaluate("""id => document.getElementById(id).data.map(
                trace => ({name: trace.name ?? '', n: (trace.x ?? []).length}))""", by_title["Frame prevalence"])
            assert [t["name"].split(" (n = ")[0] for t in traces] == ["(all articles)", *PERSPECTIVES]
            periods = watch.page.evaluate("id => document.getElementById(id).data.at(-1).x.length",
                                          by_title["Frames over time"])
            assert periods >= 4  # the weeks of March 2025
            watch.page.screenshot(path=SCREENSHOTS / "report_visualize_larger_run.png", full_page=True)
        if page_path == index:
            watch.page.screenshot(path=SCREENSHOTS / "report_index_larger_run.png", full_page=True)
            body = watch.page.inner_text("body")
            assert f"{LARGER_RUN_ARTICLES:,} articles from {len(OUTLETS)} outlets." in body
            assert f"All {LARGER_RUN_ARTICLES:,} input files read; none skipped." in body
            assert "Published from 2025-03-" in body
            assert "Articles grouped by perspective" in body
            assert watch.page.locator("blockquote").count() == 2 * report.EVIDENCE_PER_FRAME
            # no row per article: the rows are frames, groups, validation and parameters
            assert watch.page.locator("tr").count() < LARGER_RUN_ARTICLES // 10
        watch.page.close()
