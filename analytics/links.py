"""Links between pages: the one way a name in any table opens that cadre's 干部档案."""

from __future__ import annotations

from urllib.parse import quote

from analytics.filters import Filters

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
