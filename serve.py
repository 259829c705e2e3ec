"""The server's entry point: `streamlit run serve.py` serves app.py (the router and its pages)
through Streamlit's st.App, whose lifespan runs once when the server starts, before any browser
connects. It starts the cache warmer (ui/warm.py), which computes the figures the pages asked
for in this database's previous server runs, so a restarted server's first visitors find them
ready. Everything a page does is app.py's; this file only adds the start-up hook and the preload of
plotly's chunk."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import streamlit as st
from starlette.middleware import Middleware

from ui.preload import PreloadChunks


@asynccontextmanager
async def lifespan(app: Any) -> AsyncIterator[None]:
    # Imported here, after st.App has started Streamlit's runtime, so the warmer's cached calls
    # land in the real caches (see Streamlit's guide, server-asgi.md).
    from ui.state import start_warming

    start_warming()  # never raises; CADRE_WARM=0 turns it off
    yield


# PreloadChunks: the page shell names plotly's chunk up front (ui/preload.py).
app = st.App("app.py", lifespan=lifespan, middleware=[Middleware(PreloadChunks)])
