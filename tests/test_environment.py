"""pyproject.toml, requirements.lock, environment.yml and the Makefile describe one installation."""

import os
import re
import subprocess
import tomllib
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from conftest import PROJECT_ROOT

LOCK = PROJECT_ROOT / "requirements.lock"
# A pinned requirement of the lock: "name==version \" then one "--hash=sha256:..." per line.
LOCK_ENTRY = re.compile(r"^([A-Za-z0-9][\w.-]*)==(\S+) \\\n((?:    --hash=sha256:[0-9a-f]{64}(?: \\)?\n)+)",
                        re.MULTILINE)


def pyproject() -> dict:
    return tomllib.loads((PROJECT_ROOT / "pyproject.toml").read_text())


def locked() -> dict[str, str]:
    """Canonical package name -> pinned version."""
    return {canonicalize_name(name): version for name, version, _ in LOCK_ENTRY.findall(LOCK.read_text())}


def makefile_variable(name: str) -> str:
    return re.search(rf"^{name} := (\S+)$", (PROJECT_ROOT / "Makefile").read_text(), re.MULTILINE).group(1)


def test_environment_yml_installs_the_lock_on_the_locked_python():
    env = (PROJECT_ROOT / "environment.yml").read_text()
    required = re.fullmatch(r">=(\d+)\.(\d+)", pyproject()["project"]["requires-python"])
    lock_python = makefile_variable("LOCK_PYTHON").split(".")
    assert lock_python[:2] == [required.group(1), required.group(2)]
    # conda only provides Python (the lock's) and pip; every library comes from the lock, so nothing
    # else may be listed (it would drift).
    dependencies = env.split("dependencies:", 1)[1]
    top_level = re.findall(r"^  - (\S+)", dependencies, re.MULTILINE)
    assert top_level == [f"python={lock_python[0]}.{lock_python[1]}", "pip", "pip:"]
    assert re.findall(r"^      - (.+)$", dependencies, re.MULTILINE) == [f"-r {LOCK.name}"]


def test_required_packages_are_declared():
    project = pyproject()["project"]
    names = {Requirement(d).name.lower() for d in project["dependencies"]}
    dev = {Requirement(d).name.lower() for d in project["optional-dependencies"]["dev"]}
    assert {"jupyterlab", "pandas", "nltk", "plotly", "papermill", "vadersentiment", "scipy", "statsmodels",
            "scikit-learn", "krippendorff", "datasketch"} <= names
    assert {"nbval", "pytest", "hypothesis"} <= dev


def test_every_lock_entry_is_pinned_with_hashes():
    text = LOCK.read_text()
    requirement_lines = [line for line in text.splitlines() if line and not line.startswith((" ", "#"))]
    entries = LOCK_ENTRY.findall(text)
    assert len(entries) == len(requirement_lines) > 100
    assert all(hashes.count("--hash=sha256:") >= 1 for _, _, hashes in entries)


def test_the_lock_covers_every_declared_dependency_within_its_bounds():
    project = pyproject()["project"]
    declared = project["dependencies"] + [d for extra in project["optional-dependencies"].values() for d in extra]
    pins = locked()
    for text in declared:
        requirement = Requirement(text)
        name = canonicalize_name(requirement.name)
        assert name in pins, f"{name} is not in {LOCK.name}: run `make lock`"
        assert requirement.specifier.contains(pins[name], prereleases=True), (name, pins[name])


def test_the_lock_pins_what_is_installed_here_and_every_installed_runtime_dependency():
    """Walk the installed dependency tree of the project (runtime, dev and dask extras): every
    package in it is locked, at the version installed and tested."""
    project = pyproject()["project"]
    pending = [(Requirement(d), extra) for extra, deps in [("", project["dependencies"]),
                                                          *project["optional-dependencies"].items()]
               for d in deps]
    pins, seen, installed_versions = locked(), set(), {}
    while pending:
        requirement, extra = pending.pop()
        if requirement.marker and not requirement.marker.evaluate({"extra": extra}):
            continue
        name = canonicalize_name(requirement.name)
        try:
            distribution = metadata.distribution(requirement.name)
        except metadata.PackageNotFoundError:
            continue  # declared but not installed here; the test above checks it is locked
        installed_versions[name] = distribution.version
        extras = [""] + sorted(requirement.extras)
        if (name, tuple(extras)) in seen:
            continue
        seen.add((name, tuple(extras)))
        for dependency in distribution.requires or []:
            pending.extend((Requirement(dependency), e) for e in extras)
    assert len(installed_versions) > 100
    missing = sorted(set(installed_versions) - set(pins))
    assert missing == [], f"installed dependencies missing from {LOCK.name}: {missing}"
    differing = {n: (v, pins[n]) for n, v in installed_versions.items() if pins[n] != v}
    assert differing == {}, f"installed version != locked version: {differing}"


def make_dry_run(target: str) -> str:
    return subprocess.run(["make", "-n", "-B", target], cwd=PROJECT_ROOT, capture_output=True, text=True,
                          check=True).stdout


def test_make_installs_from_the_lock_then_the_project_without_dependencies():
    commands = make_dry_run("venv")
    install_lock = commands.index(f"pip install --quiet --require-hashes -r {LOCK.name}")
    assert install_lock < commands.index("pip install --quiet --no-deps -e .")
    assert "[dev]" not in commands
    lock = make_dry_run("lock")
    assert re.search(r"uv pip compile pyproject.toml --extra dev --extra dask --generate-hashes\s*\\?\s*"
                     r"--python-version 3\.11\.\d+ --python-platform linux", lock)
    assert f"-o {LOCK.name}" in lock


def test_make_lab_allows_root_only_as_root():
    lab = [line for line in make_dry_run("lab").splitlines() if "jupyter lab" in line]
    assert len(lab) == 1
    assert ("--allow-root" in lab[0]) == (os.geteuid() == 0)
