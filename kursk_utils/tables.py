"""Deterministic reading and writing of the pipeline's tables in ``<output_dir>/data/``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

DATA_SUBDIR = "data"


def table_path(output_dir: str | Path, name: str, suffix: str = ".parquet") -> Path:
    """Return the path of table ``name`` under ``<output_dir>/data/``."""
    return Path(output_dir) / DATA_SUBDIR / f"{name}{suffix}"


def write_table(
    df: pd.DataFrame,
    output_dir: str | Path,
    name: str,
    *,
    csv: bool = False,
    csv_exclude: tuple[str, ...] = (),
) -> Path:
    """Write ``df`` as ``<output_dir>/data/<name>.parquet`` (and ``.csv`` when ``csv``).

    The index is dropped and no pandas metadata is stored, so the same frame always gives the
    same bytes. Columns listed in ``csv_exclude`` (e.g. long text) are left out of the CSV only.
    """
    path = table_path(output_dir, name)
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(df.reset_index(drop=True), preserve_index=False)
    table = table.replace_schema_metadata(None)
    pq.write_table(table, path, compression="zstd")
    if csv:
        df.drop(columns=list(csv_exclude)).to_csv(
            table_path(output_dir, name, ".csv"), index=False, lineterminator="\n"
        )
    return path


def read_table(output_dir: str | Path, name: str) -> pd.DataFrame:
    """Read table ``name`` written by :func:`write_table`, with a clear error if it is missing."""
    path = table_path(output_dir, name)
    if not path.exists():
        raise FileNotFoundError(
            f"table '{name}' not found at {path}: run the notebook that produces it first "
            "(or `kursk run`)"
        )
    return pd.read_parquet(path)
