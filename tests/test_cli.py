"""The ``kursk`` command: ``validate`` (the figures of notebook 05), ``--version``, ``run --help``."""

import json
import subprocess
import sys
from importlib import metadata

import papermill
import pytest

import kursk_utils

from kursk_utils.validation import framing as framing_validation
from kursk_utils.validation import sentiment as sentiment_validation

from conftest import NOTEBOOKS, PROJECT_ROOT


def kursk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "kursk_utils", *args], capture_output=True,
                          text=True, cwd=PROJECT_ROOT)


@pytest.mark.parametrize("what, module", [("sentiment", sentiment_validation),
                                          ("framing", framing_validation)])
def test_validate_json_prints_the_evaluation(what, module):
    result = kursk("validate", what, "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == json.loads(json.dumps(module.evaluate()))


def test_validate_without_json_prints_a_table():
    result = kursk("validate", "framing")
    assert result.returncode == 0, result.stderr
    header = result.stdout.splitlines()[0].split()
    assert header == ["dataset", "level", "frame", "precision", "recall", "f1", "support", "predicted"]
    assert any(line.split()[:3] == ["seed", "sentence", "micro"] for line in result.stdout.splitlines())


def test_unknown_validation_is_a_usage_error():
    result = kursk("validate", "quotes")
    assert result.returncode == 2
    assert "invalid choice: 'quotes'" in result.stderr


def test_version_prints_the_package_version():
    result = kursk("--version")
    assert result.returncode == 0, result.stderr
    assert result.stdout == f"kursk {kursk_utils.__version__}\n"
    assert kursk_utils.__version__ == metadata.version("kursk-framing")


def test_run_help_lists_every_notebook_parameter_with_its_default_and_allowed_values():
    result = kursk("run", "--help")
    assert result.returncode == 0, result.stderr
    rows = {line.split()[0]: line for line in result.stdout.splitlines() if line.startswith("  ")}
    for notebook in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        for name in papermill.inspect_notebook(str(notebook)):
            assert name in rows, name
    # Defaults and allowed values as written in the parameters cells and the checks.
    assert rows["threshold"].split() == ["threshold", "02,", "04,", "05", "0.05", "[0,", "1)"]
    assert rows["period"].split() == ["period", "04", "'week'", "day", "|", "week", "|", "month"]
    assert rows["engine"].split() == ["engine", "01,", "02,", "03", "'pandas'", "pandas", "|", "dask"]
    assert rows["implementation"].split()[-3:] == ["nltk", "|", "vadersentiment"]
    assert rows["near_duplicate_threshold"].split() == ["near_duplicate_threshold", "01", "0.7", "(0,", "1]"]
    assert rows["codebook_path"].split()[:4] == ["codebook_path", "03,", "05", "None"]
