import math

import pandas as pd
import pyarrow as pa
import pytest

from kursk_utils import tables
from kursk_utils.contracts import require_columns


def test_require_columns_names_the_table_and_what_is_missing():
    with pytest.raises(ValueError, match=r"quotes table is missing column\(s\) \['role'\]; it has \['doc_id'\]"):
        require_columns(pd.DataFrame({"doc_id": ["a"]}), ["doc_id", "role"], "quotes")
    with pytest.raises(TypeError, match="quotes must be a pandas DataFrame, got list"):
        require_columns([], ["doc_id"], "quotes")
    require_columns(pd.DataFrame({"doc_id": ["a"], "role": ["x"]}), ["doc_id", "role"], "quotes")


def test_column_rows_gives_rows_of_python_values():
    frame = tables.arrow_to_pandas(pa.table({"doc_id": ["a", None, "c"], "n": [1, 2, 3]}))
    rows = list(tables.column_rows(frame, ["n", "doc_id"]))
    assert [type(n) for n, _ in rows] == [int, int, int]  # Python objects, as itertuples gives
    assert rows[0] == (1, "a") and rows[2] == (3, "c") and math.isnan(rows[1][1])  # null: NaN


def test_csv_copies_cannot_run_formulas_in_a_spreadsheet(tmp_path):
    frame = pd.DataFrame({
        "group": pd.array(["=HYPERLINK(\"http://x\")", "Kyiv Independent", None, "@SUM(A1)"], dtype="str"),
        "title": ["+cmd", "-1 dead", "\tTab", "ok"],
        "n": [-1, 2, 3, 4],
    })
    tables.write_table(frame, tmp_path, "groups", csv=True)
    text = (tmp_path / "data" / "groups.csv").read_text(encoding="utf-8")
    assert text.splitlines() == [
        "group,title,n",
        "\"'=HYPERLINK(\"\"http://x\"\")\",'+cmd,-1",  # quoted, as the cell holds quotes
        "Kyiv Independent,'-1 dead,2",
        ",'\tTab,3",
        "'@SUM(A1),ok,4",
    ]
    # the Parquet table keeps the text as it was
    assert tables.read_table(tmp_path, "groups")["title"].tolist() == ["+cmd", "-1 dead", "\tTab", "ok"]
