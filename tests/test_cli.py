"""``kursk validate``: the figures of notebook 05 on the command line."""

import json
import subprocess
import sys

import pytest

from kursk_utils.validation import framing as framing_validation
from kursk_utils.validation import sentiment as sentiment_validation

from conftest import PROJECT_ROOT


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
