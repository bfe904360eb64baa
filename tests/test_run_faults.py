"""After a fault no output claims success: run.json's status, the folder lock, kernels that die with
their run, and the report of a failed run (kursk_utils.pipeline)."""

from __future__ import annotations

import html
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import plotly.graph_objects as go
import psutil
import pytest

from kursk_utils import report, runs, viz
from kursk_utils.pipeline import PipelineError, run_lock, run_pipeline
from test_pipeline import write_notebook

from conftest import PROJECT_ROOT, SEEDS

WAIT_SECONDS = 120  # generous bound on waiting for a subprocess to reach a point (not a timing assertion)

# Writes the kernel's pid, then blocks in C code holding the GIL (catastrophic backtracking), as the
# codebook cue of issue 16 did: ipykernel's own parent watch cannot stop such a kernel.
STUCK_IN_A_REGEX = (
    "import os, re\nfrom pathlib import Path\n"
    "Path(output_dir, 'pid.partial').write_text(str(os.getpid()))\n"
    "os.replace(Path(output_dir, 'pid.partial'), Path(output_dir, 'kernel.pid'))\n"
    "re.match(r'(a+)+$', 'a' * 64 + 'b')"
)
# Writes the kernel's pid, then waits (GIL released) until the test creates the file `release`.
WAIT_FOR_RELEASE = (
    "import os, time\nfrom pathlib import Path\n"
    "Path(output_dir, 'pid.partial').write_text(str(os.getpid()))\n"
    "os.replace(Path(output_dir, 'pid.partial'), Path(output_dir, 'kernel.pid'))\n"
    "while not Path(output_dir, 'release').exists():\n    time.sleep(0.05)"
)


def start_run(notebooks: Path, out: Path, corpus: Path = SEEDS) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "kursk_utils", "run", "--corpus", str(corpus), "--output", str(out),
         "--notebooks", str(notebooks)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env, cwd=PROJECT_ROOT,
    )


def wait_for(path: Path, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not path.exists():
        if process.poll() is not None:
            raise AssertionError(f"the run ended before {path.name} appeared: {process.stderr.read()[-3000:]}")
        if time.monotonic() > deadline:
            raise AssertionError(f"{path.name} did not appear")
        time.sleep(0.05)


def kernel_is_gone(pid: int) -> bool:
    """True when the process no longer runs (a zombie awaiting its reaper counts as gone)."""
    try:
        return psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return True


def wait_until_gone(pid: int) -> bool:
    deadline = time.monotonic() + WAIT_SECONDS
    while not kernel_is_gone(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    return kernel_is_gone(pid)


def kill_leftover(pid: int) -> None:
    """Clean up after a failing assertion: never leave a kernel this test started."""
    if not kernel_is_gone(pid):
        psutil.Process(pid).kill()


def notebook_folder(tmp_path: Path, name: str, bodies: dict[str, str]) -> Path:
    """Numbered notebooks taking output_dir and corpus_path; ``bodies`` by file name."""
    folder = tmp_path / name
    folder.mkdir()
    for file_name, body in bodies.items():
        write_notebook(folder / file_name, 'corpus_path = "x"\noutput_dir = "y"', body)
    return folder


def write_data(name: str, text: str) -> str:
    """Notebook source writing ``data/<name>`` (a stand-in for a stage's table)."""
    return ("from pathlib import Path\n"
            f"Path(output_dir, 'data').mkdir(exist_ok=True)\n"
            f"Path(output_dir, 'data', {name!r}).write_text({text})")


@pytest.fixture
def earlier_run(tmp_path) -> Path:
    """An output folder holding a complete, successful earlier run on the corpus 'old'."""
    old_corpus = tmp_path / "old"
    old_corpus.mkdir()
    (old_corpus / "a.txt").write_text("An old article. It says old things.")
    notebooks = notebook_folder(tmp_path, "old_nbs", {
        "01_ingest.ipynb": write_data("documents", "corpus_path"),
        "02_sentiment.ipynb": write_data("sentence_sentiment", "corpus_path"),
    })
    out = tmp_path / "out"
    assert run_pipeline(old_corpus, out, None, notebooks, log=lambda line: None)["status"] == "ok"
    return out


def test_sigterm_during_a_run_over_an_earlier_one_leaves_nothing_claiming_success(tmp_path, earlier_run):
    out = earlier_run
    notebooks = notebook_folder(tmp_path, "nbs", {
        "01_ingest.ipynb": write_data("documents", "corpus_path"),
        "02_sentiment.ipynb": STUCK_IN_A_REGEX,
    })
    run = start_run(notebooks, out)
    wait_for(out / "kernel.pid", run)
    kernel = int((out / "kernel.pid").read_text())
    try:
        run.send_signal(signal.SIGTERM)
        assert run.wait(WAIT_SECONDS) == 128 + signal.SIGTERM
        assert wait_until_gone(kernel), "the kernel outlived its run"
    finally:
        kill_leftover(kernel)
    stderr = run.stderr.read()
    assert "\nkursk run: interrupted by SIGTERM; run.json records it\n" in stderr, stderr[-3000:]
    manifest = json.loads((out / "run.json").read_text())
    assert manifest["status"] == "interrupted"
    assert manifest["interrupted"] == {"signal": "SIGTERM"}
    assert manifest["corpus_path"] == str(SEEDS)
    assert [(n["name"], n["status"]) for n in manifest["notebooks"]] == [
        ("01_ingest.ipynb", "ok"), ("02_sentiment.ipynb", "interrupted")]
    # The new corpus's documents; nothing of the old run's sentiment, pages or report.
    assert (out / "data" / "documents").read_text() == str(SEEDS)
    assert not (out / "data" / "sentence_sentiment").exists()
    assert not (out / "html").exists()


def test_a_failing_kernel_is_not_left_running_either(tmp_path):
    """A notebook that fails after starting a process in its kernel's group: the group dies too."""
    notebooks = notebook_folder(tmp_path, "nbs", {"01_ingest.ipynb": (
        "import subprocess, sys\nfrom pathlib import Path\n"
        "child = subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(600)'])\n"
        "Path(output_dir, 'child.pid').write_text(str(child.pid))\n"
        "raise RuntimeError('stage failed')")})
    out = tmp_path / "out"
    with pytest.raises(PipelineError, match="RuntimeError: stage failed"):
        run_pipeline(SEEDS, out, None, notebooks, log=lambda line: None)
    child = int((out / "child.pid").read_text())
    try:
        assert wait_until_gone(child)
    finally:
        kill_leftover(child)
    manifest = json.loads((out / "run.json").read_text())
    assert manifest["status"] == "failed"
    assert manifest["failed"]["notebook"] == "01_ingest.ipynb"
    assert "RuntimeError: stage failed" in manifest["failed"]["error"]


def test_a_failed_run_shows_its_own_status_and_outputs_not_the_earlier_runs(tmp_path):
    finding = ("import pandas as pd\nfrom kursk_utils.tables import write_table\n"
               "write_table(pd.DataFrame({'finding': ['OLD FINDING'], 'value': ['42'], 'detail': ['d'], "
               "'evidence': ['e']}), output_dir, 'headline_findings')")
    notebooks = notebook_folder(tmp_path, "nbs", {
        "01_ingest.ipynb": "print('ingested')",
        "02_visualize.ipynb": finding,
    })
    out = tmp_path / "out"
    run_pipeline(SEEDS, out, None, notebooks, log=lambda line: None)
    assert "02_visualize" in (out / "html" / "index.html").read_text()  # the earlier run's page

    write_notebook(notebooks / "01_ingest.ipynb", 'corpus_path = "x"\noutput_dir = "y"',
                   "raise ValueError('unreadable corpus')")
    with pytest.raises(PipelineError):
        run_pipeline(SEEDS, out, None, notebooks, log=lambda line: None)
    index = (out / "html" / "index.html").read_text()
    assert "02_visualize" not in index
    assert 'run status: <span class="status-failed">failed</span> in notebook 01_ingest.ipynb' in index
    assert "ValueError: unreadable corpus" in index and "This run did not complete" in index
    assert sorted(p.name for p in (out / "html").iterdir()) == ["01_ingest.html", "index.html"]
    assert sorted(p.name for p in (out / "notebooks").iterdir()) == ["01_ingest.ipynb"]
    assert not (out / "data").exists()


def test_a_second_run_into_the_same_folder_is_refused_naming_the_first(tmp_path):
    notebooks = notebook_folder(tmp_path, "nbs", {"01_ingest.ipynb": WAIT_FOR_RELEASE})
    out = tmp_path / "out"
    first = start_run(notebooks, out)
    try:
        wait_for(out / "kernel.pid", first)
        second = start_run(notebooks, out)
        _, stderr = second.communicate(timeout=WAIT_SECONDS)
        assert second.returncode == 2
        started = json.loads((out / "run.json").read_text())["started"]
        assert stderr == (f"kursk run: another kursk run is writing to {out} (pid {first.pid}, started "
                          f"{started}); wait for it to end, or choose another --output\n")
        (out / "release").touch()
        assert first.wait(WAIT_SECONDS) == 0
    finally:
        if first.poll() is None:
            first.kill()
    manifest = json.loads((out / "run.json").read_text())
    assert manifest["status"] == "ok" and manifest["pid"] == first.pid


def test_a_killed_run_reads_as_interrupted_and_its_lock_is_taken_over(tmp_path):
    notebooks = notebook_folder(tmp_path, "nbs", {"01_ingest.ipynb": "print('ingested')",
                                                  "02_sentiment.ipynb": WAIT_FOR_RELEASE})
    out = tmp_path / "out"
    killed = start_run(notebooks, out)
    wait_for(out / "kernel.pid", killed)
    kernel = int((out / "kernel.pid").read_text())
    assert runs.read_run_manifest(out)["status"] == "running"  # alive, holding the lock
    killed.kill()  # SIGKILL: no chance to clean up or record anything
    try:
        # Exited but not reaped: its pid still exists (a zombie), only the lock, released once its
        # last thread has gone, tells.
        deadline = time.monotonic() + WAIT_SECONDS
        while runs.lock_is_held(out) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert psutil.pid_exists(killed.pid) and kernel_is_gone(killed.pid)
        assert runs.read_run_manifest(out)["status"] == "interrupted"
    finally:
        killed.wait(WAIT_SECONDS)
    try:
        # The kernel's own parent watch ends it (it is not stuck holding the GIL).
        assert wait_until_gone(kernel)
    finally:
        kill_leftover(kernel)
    raw = json.loads((out / "run.json").read_text())
    assert raw["status"] == "running"  # its last word
    assert [(n["name"], n["status"]) for n in raw["notebooks"]] == [("01_ingest.ipynb", "ok")]
    ended = (f"the run's process (pid {killed.pid}) ended without recording how: killed (e.g. SIGKILL, "
             "out of memory) or crashed")
    manifest = runs.read_run_manifest(out)
    assert manifest["status"] == "interrupted"
    assert manifest["interrupted"] == {"notebook": "02_sentiment.ipynb", "error": ended}
    assert [(n["name"], n["status"]) for n in manifest["notebooks"]] == [
        ("01_ingest.ipynb", "ok"), ("02_sentiment.ipynb", "interrupted")]
    index = report.build_report(out).read_text()
    assert ('run status: <span class="status-interrupted">interrupted</span> in notebook '
            f"02_sentiment.ipynb: <code>{html.escape(ended)}</code>") in index
    assert "This run did not complete" in index
    (out / "release").touch()
    lines = []
    manifest = run_pipeline(SEEDS, out, None, notebooks, log=lines.append)
    assert lines[0] == (f"the previous run in this folder (started {raw['started']}) was interrupted in "
                        f"02_sentiment.ipynb: {ended}; its outputs are replaced")
    assert manifest["status"] == json.loads((out / "run.json").read_text())["status"] == "ok"


def test_running_is_stale_only_without_a_live_lock_holder(tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    # this process's pid: it exists, so only the lock can tell (a pid reused after the run died)
    (out / "run.json").write_text(json.dumps({"status": "running", "pid": os.getpid(), "notebooks": []}))
    assert runs.read_run_manifest(out)["status"] == "interrupted"  # no lock file at all
    with run_lock(out, "2026-03-14T09:30:00+00:00"):
        assert runs.read_run_manifest(out)["status"] == "running"
    assert runs.read_run_manifest(out)["status"] == "interrupted"  # released
    (out / "run.json").write_text(json.dumps({"status": "ok", "pid": 0}))
    assert runs.read_run_manifest(out)["status"] == "ok"  # an ended run is read as written


def test_a_folder_that_is_not_an_earlier_runs_is_left_alone(tmp_path):
    notebooks = notebook_folder(tmp_path, "nbs", {"01_ingest.ipynb": "print('hi')"})
    out = tmp_path / "mine"
    (out / "data").mkdir(parents=True)
    (out / "data" / "thesis.tex").write_text("precious")
    with pytest.raises(PipelineError, match=r"holds data but no run\.json: it is not the folder of an earlier"):
        run_pipeline(SEEDS, out, None, notebooks, log=lambda line: None)
    assert (out / "data" / "thesis.tex").read_text() == "precious"
    assert sorted(p.name for p in out.iterdir()) == ["data"]


@pytest.mark.skipif(not viz.CHROMIUM_PATH.is_file(), reason="PNG export needs Chromium")
def test_png_export_lists_only_the_pngs_it_wrote_and_names_the_others(tmp_path, capsys):
    figures = {name: go.Figure(go.Bar(x=["a", "b"], y=[1, 2]), layout={"height": 300})
               for name in ("first", "second", "third")}
    blocked = tmp_path / "figures" / "second.png"
    blocked.parent.mkdir()
    blocked.symlink_to(tmp_path / "missing" / "second.png")  # a write through it cannot succeed
    stale = tmp_path / "figures" / "third.png"
    stale.write_bytes(b"an earlier run's PNG")
    written = viz.write_figures(figures, tmp_path)
    assert all(path.is_file() for path in written)
    pngs = [path.name for path in written if path.suffix == ".png"]
    assert pngs == ["first.png", "third.png"]
    assert stale.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"  # rewritten, not the earlier file
    message = capsys.readouterr().out
    assert "PNG export failed for 1 of 3 figures (second) with Chromium at" in message
    assert f"FileNotFoundError: [Errno 2] No such file or directory: '{blocked}'" in message
