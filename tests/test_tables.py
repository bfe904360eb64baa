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
