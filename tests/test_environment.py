"""environment.yml and pyproject.toml must describe the same installation."""

import re
import tomllib

from conftest import PROJECT_ROOT


def test_environment_yml_installs_the_package_with_the_dev_extra():
    pyproject = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())
    env = (PROJECT_ROOT / "environment.yml").read_text()
    required = re.search(r'requires-python = ">=(\d+\.\d+)"', (PROJECT_ROOT / "pyproject.toml").read_text())
    assert f"python>={required.group(1)}" in env
    assert re.search(r"^\s*- -e \.\[dev\]\s*$", env, re.MULTILINE)
    assert "dev" in pyproject["project"]["optional-dependencies"]
    # conda only provides Python and pip; every library comes from pyproject.toml, so nothing else
    # may be listed (it would drift).
    dependencies = env.split("dependencies:", 1)[1]
    top_level = re.findall(r"^  - (\S+)", dependencies, re.MULTILINE)
    assert top_level == [f"python>={required.group(1)}", "pip", "pip:"]


def test_required_packages_are_declared():
    pyproject = tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())
    names = {re.split(r"[<>=\[ ;]", d)[0].lower() for d in pyproject["project"]["dependencies"]}
    dev = {re.split(r"[<>=\[ ;]", d)[0].lower() for d in pyproject["project"]["optional-dependencies"]["dev"]}
    assert {"jupyterlab", "pandas", "nltk", "plotly", "papermill", "vadersentiment"} <= names
    assert {"nbval", "pytest"} <= dev
