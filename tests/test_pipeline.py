"""The papermill driver and the ``kursk`` command, end to end."""

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

import kursk_utils
from kursk_utils import cli, framing
from kursk_utils.parameters import ParameterError
from kursk_utils.pipeline import PipelineError, parse_value, reproducibility, run_pipeline

from conftest import NOTEBOOKS, PROJECT_ROOT, SEEDS

PACKAGE_DATA = PROJECT_ROOT / "kursk_utils" / "data"


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


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
    manifest = run_pipeline(SEEDS, out, {"threshold": 0.25}, tiny_notebooks, log=logged.append)
    assert (out / "first.txt").read_text() == "0.25"
    assert (out / "second.txt").read_text() == "default"
    # The effective parameters, defaults included, for the run and per notebook.
    assert manifest["parameters"] == {"corpus_path": str(SEEDS), "output_dir": str(out),
                                      "threshold": 0.25, "label": "default"}
    assert manifest["notebook_parameters"] == {
        "01_first.ipynb": {"corpus_path": str(SEEDS), "output_dir": str(out), "threshold": 0.25},
        "02_second.ipynb": {"output_dir": str(out), "label": "default"},
    }
    assert [n["name"] for n in manifest["notebooks"]] == ["01_first.ipynb", "02_second.ipynb"]
    assert all(n["status"] == "ok" and n["seconds"] >= 0 for n in manifest["notebooks"])
    assert (out / "notebooks" / "02_second.ipynb").exists()
    assert logged[0] == "[1/2] 01_first.ipynb ..."
    assert json.loads((out / "run.json").read_text())["status"] == "ok"
    assert "shared_dask_scheduler" not in manifest  # no engine parameter: no cluster


# What a notebook of the engine sees of its Dask cluster: the scheduler, its workers' pids and
# whether they ignore SIGINT (a Ctrl-C must reach only the run, which shuts the cluster down).
PROBE = """import json, os, signal
from pathlib import Path
from distributed import Client
def probe():
    return os.getpid(), signal.getsignal(signal.SIGINT) == signal.SIG_IGN
with Client(scheduler_address) as client:
    seen = sorted(client.run(probe).values())
Path(output_dir, NAME + '.json').write_text(json.dumps({'scheduler': scheduler_address, 'workers': seen}))
"""


def test_notebooks_of_a_dask_run_share_one_cluster_that_ends_with_the_run(tmp_path):
    import psutil

    folder = tmp_path / "nbs"
    folder.mkdir()
    for name in ("01_ingest", "02_sentiment"):
        write_notebook(folder / f"{name}.ipynb", 'output_dir = "y"\nengine = "pandas"\nscheduler_address = None',
                       f"NAME = {name!r}\n" + PROBE)
    out = tmp_path / "out"
    manifest = run_pipeline(SEEDS, out, {"engine": "dask"}, folder, log=lambda line: None)
    first, second = (json.loads((out / f"{name}.json").read_text()) for name in ("01_ingest", "02_sentiment"))
    assert first == second  # the same scheduler and the same worker processes
    assert first["scheduler"] == manifest["shared_dask_scheduler"]
    assert len(first["workers"]) == (os.cpu_count() or 1)
    assert all(ignores_sigint for _, ignores_sigint in first["workers"])
    assert manifest["parameters"]["scheduler_address"] is None  # the user's value, as given
    assert not any(psutil.pid_exists(pid) and psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
                   for pid, _ in first["workers"])


def test_a_given_scheduler_or_the_pandas_engine_starts_no_cluster():
    from kursk_utils.pipeline import shared_cluster

    for parameters in ({"engine": "pandas", "scheduler_address": None}, {},  # notebooks without an engine
                       {"engine": "dask", "scheduler_address": "tcp://127.0.0.1:8786"}):
        with shared_cluster(parameters, log=pytest.fail) as address:
            assert address is None


def test_run_json_and_the_report_record_what_pins_the_run(tmp_path, tiny_notebooks):
    out = tmp_path / "out"
    manifest = run_pipeline(SEEDS, out, None, tiny_notebooks, log=lambda line: None)
    recorded = json.loads((out / "run.json").read_text())["reproducibility"]
    assert recorded == manifest["reproducibility"]
    assert recorded["package_version"] == kursk_utils.__version__
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=PROJECT_ROOT, capture_output=True, text=True)
    assert recorded["git_commit"] == (head.stdout.strip() if head.returncode == 0 else None)
    assert recorded["lock_sha256"] == sha256(PROJECT_ROOT / "requirements.lock")
    assert recorded["codebook"] == {"path": str(PACKAGE_DATA / "codebook.toml"),
                                    "sha256": sha256(PACKAGE_DATA / "codebook.toml")}
    assert recorded["gazetteers"] == [{"path": str(PACKAGE_DATA / "actors.csv"),
                                       "sha256": sha256(PACKAGE_DATA / "actors.csv")}]
    data_files = recorded["data_files"]
    assert data_files["codebook.toml"] == sha256(PACKAGE_DATA / "codebook.toml")
    assert data_files["validation/frame_annotations.csv"] == sha256(
        PACKAGE_DATA / "validation" / "frame_annotations.csv")
    assert len(data_files) == sum(1 for p in PACKAGE_DATA.rglob("*") if p.is_file() and "__pycache__" not in p.parts)
    index = (out / "html" / "index.html").read_text()
    section = index.split("<h2>Reproducibility</h2>", 1)[1]
    assert recorded["codebook"]["sha256"] in section and recorded["lock_sha256"] in section
    assert f"{len(data_files)} shipped data files" in section


def test_reproducibility_names_the_users_files_and_survives_without_git(tmp_path, monkeypatch):
    codebook = tmp_path / "mine.toml"
    shutil.copy(PACKAGE_DATA / "codebook.toml", codebook)
    codebook.write_text(codebook.read_text() + "\n# my edit\n")
    gazetteer = tmp_path / "actors.csv"
    gazetteer.write_text("actor_id,name,group,aliases\nmayor,The Mayor,officials,mayor\n")
    monkeypatch.setenv("PATH", str(tmp_path))  # no git on the PATH
    recorded = reproducibility(str(codebook), str(gazetteer))
    assert recorded["git_commit"] is None
    assert recorded["codebook"] == {"path": str(codebook), "sha256": sha256(codebook)}
    assert recorded["codebook"]["sha256"] != sha256(PACKAGE_DATA / "codebook.toml")
    assert [g["path"] for g in recorded["gazetteers"]] == [str(PACKAGE_DATA / "actors.csv"), str(gazetteer)]
    assert recorded["gazetteers"][1]["sha256"] == sha256(gazetteer)


def test_unknown_parameter_is_rejected_before_running(tmp_path, tiny_notebooks):
    with pytest.raises(ParameterError, match="unknown parameter.*treshold.*declare: label, threshold"):
        run_pipeline(SEEDS, tmp_path / "out", {"treshold": 1}, tiny_notebooks)
    assert not (tmp_path / "out").exists()


def test_failing_notebook_stops_the_run_and_keeps_the_partial_copy(tmp_path, tiny_notebooks):
    write_notebook(tiny_notebooks / "02_second.ipynb", 'output_dir = "y"',
                   "import pandas as pd\nrows = 0\nraise ValueError('no sentences table')\nprint('after')")
    write_notebook(tiny_notebooks / "03_third.ipynb", 'output_dir = "y"', "print('never runs')")
    out = tmp_path / "out"
    with pytest.raises(PipelineError) as err:
        run_pipeline(SEEDS, out, None, tiny_notebooks, log=lambda line: None)
    message = str(err.value)
    # Cell In [3]: the parameters cell, papermill's injected parameters, then this one.
    assert message.startswith("notebook 02_second.ipynb failed in cell In [3], line 3: "
                              "raise ValueError('no sentences table'): ValueError: no sentences table\n")
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


def test_a_failure_inside_a_function_names_the_cell_line_and_where_it_was_raised(tmp_path, tiny_notebooks):
    write_notebook(tiny_notebooks / "02_second.ipynb", 'output_dir = "y"',
                   "import json\n\nsettings = json.loads('{')")
    with pytest.raises(PipelineError) as err:
        run_pipeline(SEEDS, tmp_path / "out", None, tiny_notebooks, log=lambda line: None)
    first_line = str(err.value).splitlines()[0]
    assert first_line.startswith("notebook 02_second.ipynb failed in cell In [3], line 3: "
                                 "settings = json.loads('{') -> raised in ")
    assert re.search(r"json/decoder\.py:\d+ \(JSONDecoder\.raw_decode\): JSONDecodeError: Expecting property name", first_line)


def test_cli_reports_a_missing_corpus_without_a_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "kursk_utils", "run", "--corpus", str(tmp_path / "missing"),
         "--output", str(tmp_path / "out")],
        capture_output=True, text=True, cwd=PROJECT_ROOT,
    )
    assert result.returncode == 2
    assert result.stderr == f"kursk run: parameter corpus_path: corpus path does not exist: {tmp_path / 'missing'}\n"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("name", "value", "message"),
    [("threshold", "abc", "parameter threshold: threshold must be a number in [0, 1), got 'abc'"),
     ("engine", "foo", "parameter engine: unknown engine 'foo': choose one of 'pandas', 'dask'"),
     ("codebook_path", "broken.toml", "parameter codebook_path: codebook broken.toml is not valid TOML: "),
     ("evidence_per_frame", "0", "parameter evidence_per_frame: evidence_per_frame must be a positive integer")],
)
def test_cli_refuses_a_bad_parameter_before_any_notebook_runs(tmp_path, monkeypatch, capsys, name, value,
                                                              message):
    (tmp_path / "broken.toml").write_text("[frames]\nx = [\n")
    monkeypatch.chdir(tmp_path)
    code = cli.main(["run", "--corpus", str(SEEDS), "--output", "out", "-p", name, value])
    stderr = capsys.readouterr().err
    assert code == 2
    assert stderr.startswith(f"kursk run: {message}") and stderr.count("\n") == 1
    assert not (tmp_path / "out").exists()  # no notebook started, nothing written


def test_relative_paths_are_read_from_the_callers_directory(tmp_path, tiny_notebooks):
    write_notebook(
        tiny_notebooks / "02_second.ipynb", 'output_dir = "y"\ncodebook_path = None\nactors_path = None',
        "from pathlib import Path\n"
        "Path(output_dir, 'second.txt').write_text(codebook_path + '\\n' + Path(actors_path).read_text())",
    )
    work = tmp_path / "work"
    (work / "rules").mkdir(parents=True)
    shutil.copy(PACKAGE_DATA / "codebook.toml", work / "rules" / "mine.toml")
    (work / "actors.csv").write_text("actor_id,name,group,aliases\nmayor,The Mayor,officials,mayor\n")
    shutil.copytree(SEEDS, work / "corpus")
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    result = subprocess.run(
        [sys.executable, "-m", "kursk_utils", "run", "--corpus", "corpus", "--output", "out",
         "--notebooks", str(tiny_notebooks), "-p", "codebook_path", "rules/mine.toml",
         "-p", "actors_path", "actors.csv"],
        capture_output=True, text=True, cwd=work, env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    # The kernels' stderr reaches ours: ipykernel's "Kernel is running over TCP without encryption"
    # warning is not printed, since the kernels talk over IPC sockets.
    assert "without encryption" not in result.stdout + result.stderr
    written = (work / "out" / "second.txt").read_text()
    assert written == f"{work / 'rules' / 'mine.toml'}\nactor_id,name,group,aliases\nmayor,The Mayor,officials,mayor\n"
    manifest = json.loads((work / "out" / "run.json").read_text())
    assert manifest["corpus_path"] == str(work / "corpus")
    assert manifest["reproducibility"]["codebook"]["path"] == str(work / "rules" / "mine.toml")


def test_the_readme_papermill_recipe_works_on_a_new_folder(tmp_path):
    readme = (PROJECT_ROOT / "README.md").read_text()
    recipe = re.search(r"```bash\n(mkdir -p ~/my-results/notebooks\n.*?)```", readme, re.DOTALL).group(1)
    results = tmp_path / "new" / "results"
    script = (recipe.replace("~/my-results", str(results)).replace("~/my-articles", str(SEEDS))
              .replace("../.venv/bin/papermill", f"{sys.executable} -m papermill")
              .replace("cd notebooks", f"cd {NOTEBOOKS}"))
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    result = subprocess.run(["bash", "-euc", script], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    documents = pd.read_parquet(results / "data" / "documents.parquet")
    assert sorted(documents["doc_id"]) == sorted(p.stem for p in SEEDS.glob("*.txt"))
    assert (results / "notebooks" / "01_ingest.ipynb").exists()


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
    # Defaults of the parameters cells are recorded too.
    assert manifest["parameters"]["threshold"] == 0.05
    assert manifest["notebook_parameters"]["04_visualize.ipynb"]["distrust_frame"] == "us_support_distrust"
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
