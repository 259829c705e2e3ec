"""A table sends at most TABLE_ROWS_SHOWN rows to the browser and says so; its download carries
every row."""

from __future__ import annotations

import csv
import io

import pandas as pd

from tests.app.conftest import open_page
from ui.widgets import TABLE_ROWS_SHOWN


def test_a_long_table_shows_its_first_rows_says_how_many_and_downloads_them_all(own_db, offered):
    at = open_page("pages/participation.py")
    assert not at.exception
    frames = [d.value for d in at.dataframe]
    capped = [v for v in frames if len(v) == TABLE_ROWS_SHOWN][-1]  # the detail rows, at the foot
    assert all(len(v) <= TABLE_ROWS_SHOWN for v in frames)
    notes = [c.value for c in at.caption if f"表格只显示前 {TABLE_ROWS_SHOWN} 行" in c.value]
    assert notes
    total = int(notes[-1].split("共 ", 1)[1].split(" 行", 1)[0].replace(",", ""))
    assert total > TABLE_ROWS_SHOWN
    _, data = offered["participation_detail_csv"]
    rows = list(csv.reader(io.StringIO(data().decode("utf-8-sig"))))
    assert len(rows) - 1 == total  # the header, then every row
    header = rows[0]
    names = [
        c
        for c in capped.columns
        if c in header
        and not pd.api.types.is_datetime64_any_dtype(capped[c])
        and not pd.api.types.is_numeric_dtype(capped[c])
    ]
    assert names  # the same rows, in the same order (text columns compared as text)
    for i in (0, TABLE_ROWS_SHOWN - 1):
        assert [rows[i + 1][header.index(c)] for c in names] == [
            "" if pd.isna(capped[c].iat[i]) else str(capped[c].iat[i]) for c in names
        ]


def test_a_short_table_is_sent_whole_without_a_note(own_db):
    at = open_page("pages/awards.py")
    assert not at.exception
    assert all(len(d.value) < TABLE_ROWS_SHOWN for d in at.dataframe)
    assert not [c.value for c in at.caption if "表格只显示前" in c.value]
