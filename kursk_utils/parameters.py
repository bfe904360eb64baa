"""The notebook parameters of a run: what each one accepts, checked before any notebook starts.

Every notebook declares its parameters, with their defaults, in its ``parameters`` cell; this module
adds what each accepts (:data:`RULES`) and checks a run's values with the same functions the
analysis uses (``contracts.check_threshold``, ``engine.check_engine``, ``framing.load_codebook``,
``actors.load_gazetteer`` ...), so a bad value is refused in one line before ``01`` runs, not as a
traceback half-way through the run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kursk_utils import actors, corpus, frame_model, framing, sentiment, sidecar, study
from kursk_utils.contracts import check_positive_int, check_threshold
from kursk_utils.engine import ENGINES, check_engine

# The corpus and output folders are shared by every notebook and always passed by the driver.
SHARED = ("corpus_path", "output_dir")


class ParameterError(ValueError):
    """A run parameter is unknown or has a value its notebooks cannot use."""


Check = Callable[[Any, Mapping[str, Any]], object]


@dataclass(frozen=True)
class ParameterSpec:
    """One notebook parameter.

    ``default`` comes from the ``parameters`` cell of the first notebook (in run order) that
    declares it; ``allowed`` says in words which values ``check`` accepts. ``check(value, values)``
    raises ValueError for a bad value; ``values`` holds the run's other parameters (the frame
    parameters are checked against the run's codebook).
    """

    name: str
    notebooks: tuple[str, ...]
    default: Any
    type: str
    allowed: str
    check: Check | None

    @property
    def is_path(self) -> bool:
        """File and folder parameters, resolved against the caller's working directory."""
        return is_path_parameter(self.name)


def is_path_parameter(name: str) -> bool:
    """Whether parameter ``name`` names a file or folder (``*_path``, ``*_dir``)."""
    return name.endswith(("_path", "_dir"))


def _check_bool(name: str) -> Check:
    def check(value: Any, values: Mapping[str, Any]) -> None:
        if not isinstance(value, bool):
            raise ValueError(f"{name} must be True or False, got {value!r}")
    return check


def _positive_int(name: str) -> Check:
    return lambda value, values: check_positive_int(value, name)


def _check_corpus(value: Any, values: Mapping[str, Any]) -> None:
    if not isinstance(value, str) or not Path(value).exists():
        raise ValueError(f"corpus path does not exist: {value}")
    # A metadata sidecar that cannot be used is refused now, not after notebook 01 has started.
    root, entries = corpus.discover(value)
    sidecar.split_sidecar(value, root, entries)


def _check_output(value: Any, values: Mapping[str, Any]) -> None:
    if not isinstance(value, str) or Path(value).is_file():
        raise ValueError(f"output_dir must be a folder, got {value!r}")


def _check_engine(value: Any, values: Mapping[str, Any]) -> None:
    check_engine(value if isinstance(value, str) else repr(value))


def _check_scheduler(value: Any, values: Mapping[str, Any]) -> None:
    if value is not None and (not isinstance(value, str) or not value):
        raise ValueError(f"scheduler_address must be an address such as 'tcp://host:8786', got {value!r}")


def _optional_file(name: str, load: Callable[[str], object]) -> Check:
    def check(value: Any, values: Mapping[str, Any]) -> None:
        if value is None:
            return
        if not isinstance(value, str):
            raise ValueError(f"{name} must be a file path or None, got {value!r}")
        load(value)
    return check


def _check_frame(value: Any, values: Mapping[str, Any]) -> None:
    if value is None:
        return
    frame_ids = framing.load_codebook(values.get("codebook_path")).frame_ids
    if value not in frame_ids:
        raise ValueError(f"{value!r} is not a frame of the codebook: choose one of "
                         f"{', '.join(frame_ids)}, or None to skip the sections that need it")


_FRAME_RULE = ("str or None", "a frame id of the codebook, or None to skip the sections that need it",
               _check_frame)
# The parameters naming a frame of the codebook (their defaults are frames of the Kursk codebook).
FRAME_PARAMETERS = ("frustration_frame", "reassurance_frame", "distrust_frame")

# name -> (type, allowed values in words, check). A parameter a notebook declares without a rule
# here is passed on unchecked (shown as "any" in `kursk run --help`).
RULES: dict[str, tuple[str, str, Check]] = {
    "corpus_path": ("path", "an existing folder or file of articles", _check_corpus),
    "output_dir": ("path", "a folder (created when missing)", _check_output),
    "near_duplicate_threshold": ("float", "(0, 1]",
                                 lambda value, values: corpus.check_near_duplicate_threshold(value)),
    "follow_external_symlinks": ("bool", "True | False", _check_bool("follow_external_symlinks")),
    "engine": ("str", " | ".join(ENGINES), _check_engine),
    "scheduler_address": ("str or None", "a Dask scheduler address, or None", _check_scheduler),
    "implementation": ("str", " | ".join(sentiment.IMPLEMENTATIONS),
                       lambda value, values: sentiment.check_implementation(value)),
    "threshold": ("float", "[0, 1)", lambda value, values: check_threshold(value)),
    "target_method": ("str", " | ".join(actors.TARGET_METHODS),
                      lambda value, values: actors.check_target_method(value)),
    "actors_path": ("path or None", "an actor gazetteer CSV (actor_id,name,group,aliases), or None",
                    _optional_file("actors_path", actors.load_gazetteer)),
    "codebook_path": ("path or None", "a codebook TOML, or None for the shipped one",
                      _optional_file("codebook_path", framing.load_codebook)),
    "frame_scorer": ("str", " | ".join(frame_model.SCORERS),
                     lambda value, values: frame_model.check_scorer(value)),
    "arc_window": ("int", ">= 1", _positive_int("arc_window")),
    "evidence_per_actor": ("int", ">= 1", _positive_int("evidence_per_actor")),
    "evidence_per_frame": ("int", ">= 1", _positive_int("evidence_per_frame")),
    "frustration_frame": _FRAME_RULE,
    "reassurance_frame": _FRAME_RULE,
    "distrust_frame": _FRAME_RULE,
    # Whether the column exists is known once the corpus is ingested (04 names the columns then).
    "group_by": ("str or None", "a documents column (e.g. perspective, outlet), or None for the default",
                 lambda value, values: study.check_group_by_name(value)),
    "period": ("str", " | ".join(study.PERIODS),
               lambda value, values: study.check_period(value, allow_none=False)),
}


def build_specs(declared: Mapping[str, Mapping[str, Any]]) -> dict[str, ParameterSpec]:
    """One :class:`ParameterSpec` per parameter that any notebook declares.

    Parameters
    ----------
    declared : mapping
        Notebook name -> {parameter name: default}, in run order (``pipeline.notebook_parameters``).

    Returns
    -------
    dict
        Parameter name -> spec, in order of first declaration.
    """
    specs: dict[str, ParameterSpec] = {}
    for notebook, defaults in declared.items():
        for name, default in defaults.items():
            if name in specs:
                spec = specs[name]
                specs[name] = ParameterSpec(name, (*spec.notebooks, notebook), spec.default,
                                            spec.type, spec.allowed, spec.check)
                continue
            kind, allowed, check = RULES.get(name, (type(default).__name__, "any", None))
            specs[name] = ParameterSpec(name, (notebook,), default, kind, allowed, check)
    return specs


def default_frames(specs: Mapping[str, ParameterSpec], values: Mapping[str, Any]) -> dict[str, Any]:
    """The frame parameters not given whose default is not a frame of the run's codebook, set to None.

    The notebooks' defaults name frames of the shipped (Kursk) codebook; with another codebook the
    sections that need such a frame are skipped, saying so, instead of the run being refused. A
    frame the user names is still checked (:func:`check_parameters`).

    Returns
    -------
    dict
        Parameter name -> None, for each such parameter (empty with the shipped codebook).
    """
    defaults = {name: specs[name].default for name in FRAME_PARAMETERS if name in specs and name not in values}
    if not defaults:
        return {}
    codebook_path = values.get("codebook_path", specs["codebook_path"].default if "codebook_path" in specs else None)
    try:
        frame_ids = framing.load_codebook(codebook_path).frame_ids
    except framing.CodebookError:
        return {}  # check_parameters reports the broken codebook
    return {name: None for name, default in defaults.items() if default is not None and default not in frame_ids}


def resolve_paths(values: Mapping[str, Any], base: str | Path) -> dict[str, Any]:
    """``values`` with every relative file or folder parameter made absolute against ``base``.

    Notebooks run from their own folder, so a relative path given by the caller would otherwise be
    read from there instead of from where the caller stands. ``~`` is expanded.
    """
    resolved = dict(values)
    for name, value in values.items():
        if is_path_parameter(name) and isinstance(value, str) and value:
            resolved[name] = str((Path(base) / Path(value).expanduser()).resolve())
    return resolved


def check_parameters(specs: Mapping[str, ParameterSpec], values: Mapping[str, Any]) -> None:
    """Refuse unknown names and bad values, in one line, before anything runs.

    Parameters
    ----------
    specs : mapping
        From :func:`build_specs`.
    values : mapping
        The run's parameters (only those given need to be present; the others keep the defaults of
        the ``parameters`` cells, which are checked too).

    Raises
    ------
    ParameterError
        Naming the parameter and what it accepts.
    """
    unknown = sorted(set(values) - set(specs))
    if unknown:
        known = [name for name in specs if name not in SHARED]
        raise ParameterError(
            f"unknown parameter(s) {', '.join(unknown)}; the notebooks declare: {', '.join(sorted(known))}"
        )
    effective = {name: spec.default for name, spec in specs.items()} | dict(values)
    for name, spec in specs.items():
        if spec.check is None:
            continue
        try:
            spec.check(effective[name], effective)
        except ValueError as error:
            # One line: TOML and CSV parser messages may span several.
            reason = " ".join(str(error).split())
            raise ParameterError(f"parameter {name}: {reason}") from None


def describe(specs: Mapping[str, ParameterSpec]) -> str:
    """The parameters as a plain-text table for ``kursk run --help``."""
    rows = [("parameter", "notebooks", "default", "allowed")]
    for spec in specs.values():
        notebooks = ", ".join(name[:2] for name in spec.notebooks)
        rows.append((spec.name, notebooks, repr(spec.default), spec.allowed))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    return "\n".join(
        "  " + "  ".join(cell.ljust(width) for cell, width in zip(row[:3], widths)) + "  " + row[3]
        for row in rows
    )
