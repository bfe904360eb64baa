"""A run laid out for the report's front page, analysed in process (no notebook kernels).

``analysed_run`` runs the real stages (``engine.analyze_corpus``) on a corpus, adds article
metadata to ``documents`` as a metadata sidecar would (that branch has not landed: the columns
are set here, keyed by source file), and writes the study tables the front page reads with
:func:`kursk_utils.stages.compare`, as ``04_visualize`` does. It adds a ``run.json`` and one executed
notebook (``build_report`` needs both) and, when asked, the validation figures that
``05_validate`` writes to ``validation/framing.json``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path

import nbformat
from nbformat.v4 import new_markdown_cell, new_notebook

from kursk_utils import findings, stages, study
from kursk_utils.engine import analyze_corpus
from kursk_utils.tables import read_table, write_table

METADATA_COLUMNS = ("outlet", "perspective", "url", "published")
PARAMETERS = {"frustration_frame": "soldier_frustration", "distrust_frame": "us_support_distrust",
              "codebook_path": None}


def add_metadata(output_dir: Path, metadata: Mapping[str, Mapping[str, str | None]]) -> None:
    """Set ``outlet``, ``perspective``, ``url``, ``published`` of each article from
    ``metadata[<source file name>]`` (columns absent from a file's entry are left null)."""
    documents = read_table(output_dir, "documents")
    for column in METADATA_COLUMNS:
        documents[column] = [metadata.get(path, {}).get(column) for path in documents["source_path"]]
    documents[list(METADATA_COLUMNS)] = documents[list(METADATA_COLUMNS)].astype("str")
    write_table(documents, output_dir, "documents", csv=True, csv_exclude=("text",))


def write_study_tables(output_dir: Path, group_by: str | None = None) -> str | None:
    """Write the study tables with the study stage (:func:`kursk_utils.stages.compare`), as
    ``04_visualize`` does; return the ``group_by`` used (the study's default when None)."""
    tables = {name: read_table(output_dir, name) for name in stages.STUDY_INPUTS}
    settings = stages.StudySettings(findings.frame_ids(tables["frames_by_document"]), group_by=group_by)
    for name, table in stages.compare(tables, settings).items():
        write_table(table, output_dir, name)
    return study.resolve_group_by(tables["documents"], group_by)


def analysed_run(corpus: Path, output_dir: Path, *, metadata=None, group_by: str | None = None,
                 validation: dict | None = None) -> Path:
    """Analyse ``corpus`` into ``output_dir`` and lay out a run the report can be built from."""
    analyze_corpus(corpus, output_dir)
    if metadata is not None:
        add_metadata(output_dir, metadata)
    write_study_tables(output_dir, group_by)
    (output_dir / "run.json").write_text(json.dumps({
        "started": "2026-03-14T09:30:00+00:00", "corpus_path": str(corpus), "status": "ok",
        "parameters": PARAMETERS | {"group_by": group_by}, "notebooks": []}), encoding="utf-8")
    (output_dir / "notebooks").mkdir(exist_ok=True)
    nbformat.write(new_notebook(cells=[new_markdown_cell("# tables")]),
                   output_dir / "notebooks" / "01_ingest.ipynb")
    if validation is not None:
        (output_dir / "validation").mkdir(exist_ok=True)
        (output_dir / "validation" / "framing.json").write_text(json.dumps(validation), encoding="utf-8")
    return output_dir
