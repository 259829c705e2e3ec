"""Streamlit's page shell told, up front, which of its lazy chunks this app's pages will need.

Streamlit's frontend loads the code of an element type (a chart, a table, a select box) only when
the first such element arrives over the websocket, and then that chunk's own imports one round
trip after another. On a first visit the browser spends its first second idle, waiting for the
bundle and the script run, and then fetches and compiles plotly's 4.7 MB chunk only once the page's
first chart arrives: on the city some 0.4 s after the page's first element. This ASGI
middleware adds `<link rel="modulepreload">` tags for that chunk (`ENTRIES`, with the chunks it
imports that the shell does not load already) to index.html as Streamlit sends it, so the browser
fetches and compiles it during that idle second. Nothing is run before Streamlit asks for it,
and a later visit finds them in the browser's cache (Streamlit marks them immutable).

Measured with scripts/bench_browser.py on the city (see README, Performance).
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Awaitable, Callable, Iterable, MutableMapping
from pathlib import Path
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

# The element types (Streamlit's chunk names, before the content hash) to preload. Only plotly's:
# preloading also the sidebar's, the tables' and the cards' chunks (58 files, 6.6 MB) gained
# nothing on the city's pages, measured the same way.
ENTRIES = ("PlotlyChart",)
JS_DIR = "static/js"
_STATIC_IMPORT = re.compile(rb'(?:from|import)\s*"\./([\w.\-]+\.js)"')
_IN_SHELL = re.compile(r'(?:href|src)="\./static/js/([\w.\-]+\.js)"')


def streamlit_static_dir() -> Path:
    """Where the installed Streamlit keeps its built frontend (index.html, static/js)."""
    from streamlit import file_util

    return Path(file_util.get_static_dir())


def chunk_file(js_dir: Path, entry: str) -> Path:
    """The one built chunk named `entry` (name.HASH.js); LookupError if there is none or several."""
    pattern = re.compile(rf"{re.escape(entry)}\.[\w\-]+\.js")
    found = [p for p in js_dir.iterdir() if pattern.fullmatch(p.name)]
    if len(found) != 1:
        raise LookupError(f"{entry}: {len(found)} chunks in {js_dir}")
    return found[0]


def chunks_to_preload(static_dir: Path, entries: Iterable[str] = ENTRIES) -> list[str]:
    """File names of the entries' chunks and everything they import statically, minus what
    index.html already loads, in the order found (entries first)."""
    js_dir = static_dir / JS_DIR
    in_shell = set(_IN_SHELL.findall((static_dir / "index.html").read_text(encoding="utf-8")))
    order: list[str] = []
    todo = [chunk_file(js_dir, e).name for e in entries]
    while todo:
        name = todo.pop(0)
        if name in in_shell or name in order or not (js_dir / name).is_file():
            continue
        order.append(name)
        todo.extend(m.decode() for m in _STATIC_IMPORT.findall((js_dir / name).read_bytes()))
    return order


def preload_tags(names: Iterable[str]) -> bytes:
    """The <link> tags, relative to the page as Streamlit's own are."""
    return "".join(
        f'<link rel="modulepreload" crossorigin href="./{JS_DIR}/{n}">' for n in names
    ).encode()


class PreloadChunks:
    """ASGI middleware: index.html (every page's shell) gets the preload tags before </head>."""

    def __init__(self, app: ASGIApp, static_dir: Path | None = None,
                 entries: Iterable[str] = ENTRIES) -> None:  # fmt: skip
        self.app = app
        self.tags = preload_tags(chunks_to_preload(static_dir or streamlit_static_dir(), entries))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET":
            await self.app(scope, receive, send)
            return
        held: dict[str, Any] = {}

        async def send_with_tags(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers", []))
                if message["status"] == 200 and headers.get(b"content-type", b"").startswith(
                    b"text/html"
                ):
                    held["start"], held["body"] = message, b""
                    return
            elif "start" in held and message["type"] == "http.response.body":
                held["body"] += message.get("body", b"")
                if not message.get("more_body", False):
                    await self._send_shell(held["start"], held["body"], send)
                return
            await send(message)

        await self.app(scope, receive, send_with_tags)

    async def _send_shell(self, start: Message, body: bytes, send: Send) -> None:
        headers = start.get("headers", [])
        zipped = dict(headers).get(b"content-encoding") == b"gzip"
        html = gzip.decompress(body) if zipped else body
        html = html.replace(b"</head>", self.tags + b"</head>", 1)
        body = gzip.compress(html, mtime=0) if zipped else html
        # The shell now differs from the file Streamlit's validators describe: no 304 on them.
        drop = {b"content-length", b"etag", b"last-modified"}
        kept = [(k, v) for k, v in headers if k.lower() not in drop]
        start = {**start, "headers": [*kept, (b"content-length", str(len(body)).encode())]}
        await send(start)
        await send({"type": "http.response.body", "body": body})
