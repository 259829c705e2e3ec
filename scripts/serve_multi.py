"""Serve the app from several processes behind Debian's nginx: `make run-multi`.

One Streamlit process runs every session's Python on one core (the GIL). This starts N of them
(default: one per core) on loopback ports and nginx in front on the public one, with sticky
sessions: a new browser goes to the process with the fewest open connections, and nginx gives it a
`cadre_route` cookie naming that process, so its websocket, uploads and downloads always reach the
process that holds its session (a hash of the client address would send a whole office behind one
NAT to one process).

The processes share the database through analytics.store.snapshot (readers on a published
read-only copy, writers one at a time on the file itself under a lock): CADRE_SNAPSHOTS=1.

    python scripts/serve_multi.py --processes 2 --port 8501 [--db data/city.duckdb]

Ctrl-C (or SIGTERM) stops nginx and every app process; if one of them ends, the rest are
stopped too.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from analytics.common import config  # noqa: E402
from analytics.store.db import connect  # noqa: E402
from analytics.store.snapshot import publish, write_lock  # noqa: E402

NGINX = os.environ.get("CADRE_NGINX", "/usr/sbin/nginx")
START_TIMEOUT_S = 90.0

NGINX_CONF = """\
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/nginx-error.log warn;
events {{ worker_connections 4096; }}
http {{
  access_log off;
  client_body_temp_path {run}/body;
  proxy_temp_path {run}/proxy;
  fastcgi_temp_path {run}/fastcgi;
  uwsgi_temp_path {run}/uwsgi;
  scgi_temp_path {run}/scgi;
  client_max_body_size {body_mb}m;
  # A browser's cookie names its process; a browser without one (or with one naming no
  # process of this run) goes to the process with the fewest open connections (each session
  # holds one websocket) and is given the cookie of the process that answered.
  map $cookie_cadre_route $cadre_backend {{
{routes}
    default cadre;
  }}
  map $cookie_cadre_route $cadre_route_cookie {{
{known}
    default "cadre_route=$upstream_addr; Path=/; HttpOnly; SameSite=Lax";
  }}
  map $http_upgrade $connection_upgrade {{ default upgrade; "" close; }}
  upstream cadre {{
    least_conn;
{servers}
  }}
  server {{
    listen {host}:{port};
    location / {{
      proxy_pass http://$cadre_backend;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_read_timeout 1d;
      proxy_send_timeout 1d;
      add_header Set-Cookie $cadre_route_cookie;
      add_header X-Cadre-Process $upstream_addr always;  # which process answered (loopback)
    }}
  }}
}}
"""


def nginx_conf(run: Path, host: str, port: int, backends: list[int]) -> str:
    addresses = [f"127.0.0.1:{p}" for p in backends]
    servers = "\n".join(f"    server {a};" for a in addresses)
    routes = "\n".join(f'    "{a}" {a};' for a in addresses)
    known = "\n".join(f'    "{a}" "";' for a in addresses)
    body_mb = int(config.max_upload_bytes() / (1024 * 1024)) * 4 + 8  # several files at once
    return NGINX_CONF.format(run=run, host=host, port=port, servers=servers, routes=routes,
                             known=known, body_mb=body_mb)  # fmt: skip


DUCKDB_MEMORY_TOTAL = "256MB"


def per_process_memory(processes: int) -> str:
    """Each process's share of DuckDB's memory: $CADRE_DUCKDB_MEMORY is the budget of all the
    processes together (default 256MB). Each process keeps its own Python caches of the same
    figures besides, so on the city two processes at 128MB each stay under 1 GB in a rush
    where 256MB each did not (scripts/bench_browser.py)."""
    total = os.environ.get("CADRE_DUCKDB_MEMORY") or DUCKDB_MEMORY_TOTAL
    match = re.fullmatch(r"\s*([0-9.]+)\s*(MB|GB|MiB|GiB)\s*", total)
    if match is None:
        return total
    megabytes = float(match[1]) * (1024 if match[2] in ("GB", "GiB") else 1)
    return f"{max(64, int(megabytes / processes))}MB"


def free_ports(count: int) -> list[int]:
    import socket

    sockets, ports = [], []
    for _ in range(count):
        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sockets.append(sock)
        ports.append(sock.getsockname()[1])
    for sock in sockets:
        sock.close()
    return ports


def healthy(url: str) -> bool:
    """Whether a server's /_stcore/health at `url` answers ok (straight, whatever *_proxy say)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=2) as response:
            return response.status == 200 and response.read().decode().strip() == "ok"
    except (OSError, urllib.error.URLError):
        return False


def prepare(db: Path) -> None:
    """Bring the file's schema up to date and publish a fresh snapshot of it (a pointer left
    by an earlier run may name an older copy than what a single process wrote since)."""
    if db == config.DEMO_DB_PATH.resolve():
        from analytics.generators.demo import ensure_demo

        ensure_demo(db)
    with write_lock(db):
        connect(db).close()
        publish(db)


@dataclass
class Cluster:
    url: str
    nginx: subprocess.Popen[bytes]
    apps: list[subprocess.Popen[bytes]] = field(default_factory=list)
    backends: list[str] = field(default_factory=list)  # each app process's own address

    @property
    def pids(self) -> list[int]:
        return [self.nginx.pid, *(p.pid for p in self.apps)]


def stop(proc: subprocess.Popen[bytes]) -> None:
    """End a server and anything it started (it runs in its own process group)."""
    if proc.poll() is not None:
        return
    for sig, wait_s in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        try:
            proc.wait(timeout=wait_s)
            return
        except subprocess.TimeoutExpired:
            continue


@contextlib.contextmanager
def running(
    db: Path, processes: int, *, host: str = "127.0.0.1", port: int, log_dir: Path,
    env: Mapping[str, str] | None = None,
) -> Iterator[Cluster]:  # fmt: skip
    """nginx on host:port in front of `processes` app processes on `db`, until the block ends."""
    db = Path(db).resolve()
    prepare(db)
    backends = free_ports(processes)
    run = Path(tempfile.mkdtemp(prefix="cadre-nginx-"))
    full_env = {
        **os.environ, "CADRE_DB": str(db), "CADRE_SNAPSHOTS": "1", "PYTHONUNBUFFERED": "1",
        # One secret for all: a session's cookies mean the same to every process.
        "STREAMLIT_SERVER_COOKIE_SECRET": secrets.token_hex(32),
        # $CADRE_DUCKDB_MEMORY is the budget of all processes together: each gets its part.
        "CADRE_DUCKDB_MEMORY": per_process_memory(processes),
        **(env or {}),
    }  # fmt: skip
    apps: list[subprocess.Popen[bytes]] = []
    nginx: subprocess.Popen[bytes] | None = None
    try:
        for i, backend in enumerate(backends):
            cmd = [
                sys.executable, "-m", "streamlit", "run", "serve.py",
                "--server.port", str(backend), "--server.address", "127.0.0.1",
                "--server.headless", "true", "--browser.gatherUsageStats", "false",
            ]  # fmt: skip
            with (log_dir / f"app-{i + 1}.log").open("wb") as log:
                apps.append(subprocess.Popen(
                    cmd, cwd=ROOT, env=full_env, stdin=subprocess.DEVNULL, stdout=log,
                    stderr=subprocess.STDOUT, start_new_session=True,
                ))  # fmt: skip
        deadline = time.monotonic() + START_TIMEOUT_S
        for i, backend in enumerate(backends):
            while not healthy(f"http://127.0.0.1:{backend}/_stcore/health"):
                if apps[i].poll() is not None or time.monotonic() > deadline:
                    log = (log_dir / f"app-{i + 1}.log").read_text(errors="replace")[-3000:]
                    raise RuntimeError(f"app process {i + 1} did not start:\n{log}")
                time.sleep(0.25)
        conf = run / "nginx.conf"
        conf.write_text(nginx_conf(run, host, port, backends), encoding="utf-8")
        with (log_dir / "nginx.log").open("wb") as log:
            nginx = subprocess.Popen(
                [NGINX, "-p", str(run), "-c", str(conf), "-g", "daemon off;"],
                stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
                start_new_session=True,
            )  # fmt: skip
        url = f"http://{host}:{port}"
        while not healthy(f"{url}/_stcore/health"):
            if nginx.poll() is not None or time.monotonic() > deadline:
                errors = (run / "nginx-error.log").read_text(errors="replace")[-3000:]
                raise RuntimeError(f"nginx did not start on {url}:\n{errors}")
            time.sleep(0.1)
        yield Cluster(url, nginx, apps, [f"http://127.0.0.1:{p}" for p in backends])
    finally:
        for proc in [*([nginx] if nginx else []), *apps]:
            stop(proc)
        shutil.rmtree(run, ignore_errors=True)


def add_processes_option(parser: argparse.ArgumentParser) -> None:
    """The benchmarks' --processes: the rushes again on this many processes behind nginx."""
    parser.add_argument("--processes", type=int, nargs="*", default=[2],
                        help="the rushes again on this many processes behind nginx")  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, default=config.db_path())
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8501)
    parser.add_argument("--logs", type=Path, default=ROOT / "data" / "logs")
    args = parser.parse_args(argv)
    if not Path(NGINX).exists():
        print(f"nginx not found at {NGINX} (make run-multi installs Debian's nginx)")
        return 2
    args.logs.mkdir(parents=True, exist_ok=True)
    stopping = False

    def on_signal(*_: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    with running(args.db, args.processes, host=args.host, port=args.port,
                 log_dir=args.logs) as cluster:  # fmt: skip
        print(f"{args.processes} app processes behind nginx at {cluster.url} "
              f"(logs in {args.logs})", flush=True)  # fmt: skip
        while not stopping:
            ended = [p for p in [cluster.nginx, *cluster.apps] if p.poll() is not None]
            if ended:
                print(f"a process ended (pid {ended[0].pid}, exit {ended[0].returncode}); "
                      "stopping the rest", flush=True)  # fmt: skip
                return 1
            time.sleep(0.5)
    return 0


if __name__ == "__main__":
    sys.exit(main())
