"""The papermill driver and the ``kursk`` command, end to end."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from kursk_utils.pipeline import PipelineError, parse_value, run_pipeline

from conftest import NOTEBOOKS, PROJECT_ROOT, SEEDS


def write_notebook(path: Path, parameters: str, body: str) -> None:
    nb = nbformat.v4.new_notebook(
        cells=[
            nbformat.v4.new_code_cell(parameters, metadata={"tags": ["parameters"]}),
            nbformat.v4.new_code_cell(body),
        ],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}},
    )
    nbformat.write(nb, path)


@pytest.fixture
def tiny_notebooks(tmp_path: Path) -> Path:
    folder = tmp_path / "nbs"
    folder.mkdir()
    write_notebook(
        folder / "01_first.ipynb",
        'corpus_path = "x"\noutput_dir = "y"\nthreshold = 0.5',
        "from pathlib import Path\n"
        "Path(output_dir, 'first.txt').write_text(f'{threshold}')",
    )
    write_notebook(
        folder / "02_second.ipynb",
        'output_dir = "y"\nlabel = "default"',
        "from pathlib import Path\nPath(output_dir, 'second.txt').write_text(label)",
    )
    (folder / "notes.ipynb").write_text("not part of the pipeline")
    return folder


def test_parameters_go_to_the_notebooks_that_declare_them(tmp_path, tiny_notebooks):
    out = tmp_path / "out"
    logged = []
    manifest = run_pipeline(SEEDS, out, {"threshold": 0.25, "label": "mine"}, tiny_notebooks,
                            log=logged.append)
    assert (out / "first.txt").read_text() == "0.25"
    assert (out / "second.txt").read_text() == "mine"
    assert [n["name"] for n in manifest["notebooks"]] == ["01_first.ipynb", "02_second.ipynb"]
    assert all(n["status"] == "ok" and n["seconds"] >= 0 for n in manifest["notebooks"])
    assert (out / "notebooks" / "02_second.ipynb").exists()
    assert logged[0] == "[1/2] 01_first.ipynb ..."
    assert json.loads((out / "run.json").read_text())["status"] == "ok"


def test_unknown_parameter_is_rejected_before_running(tmp_path, tiny_notebooks):
    with pytest.raises(PipelineError, match="unknown parameter.*treshold.*declare: label, threshold"):
        run_pipeline(SEEDS, tmp_path / "out", {"treshold": 1}, tiny_notebooks)
    assert not (tmp_path / "out").exists()


def test_failing_notebook_stops_the_run_and_keeps_the_partial_copy(tmp_path, tiny_notebooks):
    write_notebook(tiny_notebooks / "02_second.ipynb", 'output_dir = "y"',
                   "raise ValueError('no sentences table')")
    write_notebook(tiny_notebooks / "03_third.ipynb", 'output_dir = "y"', "print('never runs')")
    out = tmp_path / "out"
    with pytest.raises(PipelineError) as err:
        run_pipeline(SEEDS, out, None, tiny_notebooks, log=lambda line: None)
    message = str(err.value)
    assert "notebook 02_second.ipynb failed in cell" in message
    assert "ValueError: no sentences table" in message
    partial = nbformat.read(out / "notebooks" / "02_second.ipynb", as_version=4)
    assert any(o.get("ename") == "ValueError" for c in partial.cells for o in c.get("outputs", []))
    assert not (out / "notebooks" / "03_third.ipynb").exists()
    # The report is rendered for the partial run too.
    assert (out / "html" / "01_first.html").exists()
    assert (out / "html" / "02_second.html").exists()
    manifest = json.loads((out / "run.json").read_text())
    assert manifest["status"] == "failed"
    assert [n["status"] for n in manifest["notebooks"]] == ["ok", "failed"]


@pytest.mark.parametrize(
    ("text", "value"),
    [("0.1", 0.1), ("3", 3), ("true", True), ("False", False), ("null", None), ("None", None),
     ('["a", "b"]', ["a", "b"]), ("vadersentiment", "vadersentiment"), ("../my corpus", "../my corpus")],
)
def test_parse_value(text, value):
    assert parse_value(text) == value


def test_cli_reports_a_missing_corpus_without_a_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "kursk_utils", "run", "--corpus", str(tmp_path / "missing"),
         "--output", str(tmp_path / "out")],
        capture_output=True, text=True, cwd=PROJECT_ROOT,
    )
    assert result.returncode == 1
    assert "corpus path does not exist" in result.stderr
    assert "Traceback" not in result.stderr


def test_end_to_end_run_on_the_seeds(tmp_path):
    out = tmp_path / "out"
    result = subprocess.run(
        [sys.executable, "-m", "kursk_utils", "run", "--corpus", str(SEEDS), "--output", str(out)],
        capture_output=True, text=True, cwd=PROJECT_ROOT,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    notebooks = sorted(p.name for p in NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    assert sorted(p.name for p in (out / "notebooks").glob("*.ipynb")) == notebooks

    manifest = json.loads((out / "run.json").read_text())
    assert manifest["status"] == "ok"
    assert [n["name"] for n in manifest["notebooks"]] == notebooks
    assert manifest["parameters"]["corpus_path"] == str(SEEDS)
    assert manifest["package_versions"]["pandas"] == pd.__version__
    assert {i["path"]: i["sha256"] for i in manifest["inputs"]} == {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in SEEDS.glob("*.txt")
    }

    documents = pd.read_parquet(out / "data" / "documents.parquet")
    sentences = pd.read_parquet(out / "data" / "sentences.parquet")
    assert sorted(documents["doc_id"]) == sorted(p.stem for p in SEEDS.glob("*.txt"))
    assert documents["n_sentences"].sum() == len(sentences) > 80
    assert (out / "data" / "documents.csv").exists()
    ingest_manifest = pd.read_parquet(out / "data" / "ingest_manifest.parquet")
    assert (ingest_manifest["status"] == "ingested").all()

    index = (out / "html" / "index.html").read_text()
    for name in notebooks:
        page = name.replace(".ipynb", ".html")
        assert (out / "html" / page).exists()
        assert f'href="{page}"' in index
