"""Links between pages: the one way a name in any table opens that cadre's 干部档案."""

from __future__ import annotations

from urllib.parse import quote

import pandas as pd

from analytics.common.filters import Filters

PROFILE_PATH = "profile"


def profile_url(cadre_id: str, name: str | None = None, f: Filters | None = None) -> str:
    """profile?cadre=<工号>, relative to the app; with `f` the profile opens in the same year and
    quarter; with `name` the name rides in the fragment, where a table's link column reads the
    text it shows."""
    query = f"cadre={quote(str(cadre_id), safe='')}"
    if f is not None:
        query += f"&year={f.year}"
        if f.quarter is not None:
            query += f"&quarter={f.quarter}"
    return f"{PROFILE_PATH}?{query}" + (f"#{name}" if name else "")


def with_profile(frame: pd.DataFrame, f: Filters | None = None) -> pd.DataFrame:
    """The frame (fresh 0..n index) with a `profile` column: each row's cadre_id and name as a
    link to the 干部档案 (profile_url; with `f`, in the same year and quarter). The column is text
    (object) even when the frame is empty, so a link column never shows up as numbers."""
    frame = frame.reset_index(drop=True)
    links = [profile_url(c, n, f) for c, n in zip(frame["cadre_id"], frame["name"], strict=True)]
    return frame.assign(profile=pd.Series(links, index=frame.index, dtype=object))
