"""ui/preload.py: the page shell names plotly's chunk (and what it imports) up front."""

import asyncio
import gzip
from pathlib import Path
from typing import Any

import pytest

from ui.preload import (
    ENTRIES,
    JS_DIR,
    PreloadChunks,
    chunk_file,
    chunks_to_preload,
    streamlit_static_dir,
)

SHELL = b'<html><head><script type="module" src="./static/js/index.AAA.js"></script></head><body></body></html>'


def fake_static(tmp_path: Path) -> Path:
    """A built frontend: the shell loads index; Chart imports Helper and index, Helper imports
    Deep, and Chart loads Lazy only when asked (a dynamic import)."""
    js = tmp_path / JS_DIR
    js.mkdir(parents=True)
    (tmp_path / "index.html").write_bytes(SHELL)
    (js / "index.AAA.js").write_bytes(b"export const a=1;")
    (js / "Chart.B-1_x.js").write_bytes(
        b'import{a}from"./index.AAA.js";import{h}from"./Helper.CCC.js";'
        b'const l=()=>import("./Lazy.DDD.js");'
    )
    (js / "Helper.CCC.js").write_bytes(b'import"./Deep.EEE.js";export const h=2;')
    (js / "Deep.EEE.js").write_bytes(b"export{};")
    (js / "Lazy.DDD.js").write_bytes(b"export{};")
    return tmp_path


def test_the_preload_follows_static_imports_and_skips_what_the_shell_loads(tmp_path: Path) -> None:
    static = fake_static(tmp_path)
    assert chunks_to_preload(static, ["Chart"]) == [
        "Chart.B-1_x.js",
        "Helper.CCC.js",
        "Deep.EEE.js",
    ]


def test_an_entry_missing_from_the_build_is_an_error_not_a_silent_gap(tmp_path: Path) -> None:
    with pytest.raises(LookupError, match="Nowhere"):
        chunk_file(fake_static(tmp_path) / JS_DIR, "Nowhere")


def test_the_installed_streamlit_has_each_entry_and_every_file_named() -> None:
    """A Streamlit upgrade that renames plotly's chunk fails here, not silently in production."""
    static = streamlit_static_dir()
    names = chunks_to_preload(static)
    assert names[0].startswith(f"{ENTRIES[0]}.")
    shell = (static / "index.html").read_text(encoding="utf-8")
    for name in names:
        assert (static / JS_DIR / name).is_file()
        assert f"./static/js/{name}" not in shell


def run(middleware: PreloadChunks, scope: dict[str, Any]) -> list[dict[str, Any]]:
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b""}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    asyncio.run(middleware(scope, receive, send))
    return sent


def app_sending(headers: list[tuple[bytes, bytes]], *bodies: bytes) -> Any:
    async def app(scope: Any, receive: Any, send: Any) -> None:
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        for i, body in enumerate(bodies):
            await send({"type": "http.response.body", "body": body,
                        "more_body": i < len(bodies) - 1})  # fmt: skip

    return app


GET = {"type": "http", "method": "GET", "path": "/participation", "headers": []}
TAGS = (b'<link rel="modulepreload" crossorigin href="./static/js/Chart.B-1_x.js">'
        b'<link rel="modulepreload" crossorigin href="./static/js/Helper.CCC.js">'
        b'<link rel="modulepreload" crossorigin href="./static/js/Deep.EEE.js">')  # fmt: skip


def headers_of(message: dict[str, Any]) -> dict[bytes, bytes]:
    return dict(message["headers"])


def test_the_shell_gets_the_tags_before_head_ends_with_a_true_length(tmp_path: Path) -> None:
    html = [(b"content-type", b"text/html; charset=utf-8"), (b"content-length", b"99"),
            (b"etag", b'"x"'), (b"cache-control", b"no-cache")]  # fmt: skip
    middleware = PreloadChunks(app_sending(html, SHELL[:40], SHELL[40:]),
                               static_dir=fake_static(tmp_path), entries=["Chart"])  # fmt: skip
    start, body = run(middleware, GET)
    assert body["body"] == SHELL.replace(b"</head>", TAGS + b"</head>")
    assert headers_of(start)[b"content-length"] == str(len(body["body"])).encode()
    assert b"etag" not in headers_of(start)  # Streamlit's validator named the file as it was
    assert headers_of(start)[b"cache-control"] == b"no-cache"


def test_a_gzipped_shell_is_unzipped_tagged_and_zipped_again(tmp_path: Path) -> None:
    html = [(b"content-type", b"text/html"), (b"content-encoding", b"gzip")]
    middleware = PreloadChunks(app_sending(html, gzip.compress(SHELL)),
                               static_dir=fake_static(tmp_path), entries=["Chart"])  # fmt: skip
    start, body = run(middleware, GET)
    assert gzip.decompress(body["body"]) == SHELL.replace(b"</head>", TAGS + b"</head>")
    assert headers_of(start)[b"content-encoding"] == b"gzip"


def test_other_responses_and_the_websocket_pass_untouched(tmp_path: Path) -> None:
    js = [(b"content-type", b"text/javascript"), (b"content-length", b"3")]
    middleware = PreloadChunks(app_sending(js, b"a=1"), static_dir=fake_static(tmp_path),
                               entries=["Chart"])  # fmt: skip
    assert run(middleware, GET) == [
        {"type": "http.response.start", "status": 200, "headers": js},
        {"type": "http.response.body", "body": b"a=1", "more_body": False},
    ]
    assert run(middleware, {**GET, "type": "websocket"})[1]["body"] == b"a=1"
