"""
Load test: the production server (gunicorn, DEBUG off, whitenoise) under wrk, on 127.0.0.1.

Each scenario (a detail page, a 50-row list, a mix of pages, API lists, details and search)
runs twice: with the public cache off ("cold": every request is rendered) and with it on
and primed ("warm"). wrk's Lua hooks report requests per second, latency percentiles and
errors (socket errors and non-2xx/3xx answers) as JSON. Only loopback addresses are used,
and every run is bounded in time.

The cold path (``measure(..., caches=("cold",))`` with a ``floor`` scenario) is the long
tail of a large dataset: the cache off, thousands of different records, and ``/healthz``
(one query through the same middleware) measured by the same server in the same run, so
each case is also given as a ratio to that floor, which holds across noisy machines.
"""

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings

HOST = "127.0.0.1"

_LUA = r"""
local paths = {}
for line in io.lines(os.getenv("RUIRAQ_PATHS")) do paths[#paths + 1] = line end
local clients = tonumber(os.getenv("RUIRAQ_CLIENTS") or "0")
local n = 0
request = function()
  n = n + 1
  local headers = nil
  if clients > 0 then
    -- Many readers behind one proxy: each request from one of `clients` addresses.
    local c = n % clients
    headers = {["X-Forwarded-For"] = string.format("10.%d.%d.%d",
      math.floor(c / 65536) % 256, math.floor(c / 256) % 256, c % 256)}
  end
  return wrk.format("GET", paths[(n % #paths) + 1], headers)
end
done = function(summary, latency, requests)
  local errors = summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout + summary.errors.status
  io.write("RESULT ", string.format(
    '{"requests": %d, "seconds": %.3f, "errors": %d, "p50_ms": %.2f, "p95_ms": %.2f, '
    .. '"p99_ms": %.2f}\n',
    summary.requests, summary.duration / 1e6, errors,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000))
end
"""


@dataclass
class Result:
    scenario: str
    cache: str
    requests: int
    seconds: float
    errors: int
    rps: float
    p50_ms: float
    p95_ms: float
    p99_ms: float
    paths: int = 0
    floor_ratio: float | None = None


@dataclass
class ServerStats:
    """What one server run cost: start-up, a fresh worker's first page, memory at the end."""

    cache: str
    startup_s: float
    first_page_ms: float
    requests: int
    peak_rss_mb: float | None


def _free_port():
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _server_env(cache_seconds, clients=0):
    env = dict(os.environ)
    env.update(
        DEBUG="0",
        SECRET_KEY=env.get("SECRET_KEY") or secrets.token_urlsafe(50),
        ALLOWED_HOSTS=HOST,
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        PUBLIC_CACHE_SECONDS=str(cache_seconds),
    )
    if clients:
        # wrk plays `clients` readers behind one proxy (X-Forwarded-For), so the API's
        # throttle runs at its real rate, with each client's history as short as in life.
        env["NUM_PROXIES"] = "1"
    else:
        # The load comes from one address; the API's throttle must not answer 429 to it.
        env["API_THROTTLE_ANON"] = env.get("API_THROTTLE_ANON", "100000000/hour")
    return env


class Server:
    """gunicorn on a free loopback port, started and stopped around one measurement."""

    def __init__(self, workers, cache_seconds, clients=0):
        self.port = _free_port()
        self.env = _server_env(cache_seconds, clients)
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.command = [
            str(gunicorn),
            "ruiraq.wsgi",
            "--bind",
            f"{HOST}:{self.port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ]

    def __enter__(self):
        started = time.monotonic()
        self.process = subprocess.Popen(self.command, cwd=settings.BASE_DIR, env=self.env)
        deadline = started + 30
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz", timeout=2) as response:
                    if response.status == 200:
                        #: Seconds from the command to the first answer (start-up).
                        self.startup_s = round(time.monotonic() - started, 2)
                        return self
            except OSError:
                time.sleep(0.05)
        self.__exit__()
        raise RuntimeError("gunicorn did not become healthy within 30 s")

    def first_response_ms(self, path):
        """The first answer to ``path`` from a fresh worker: what a restart costs a reader
        (imports, URL patterns and templates loaded on first use)."""
        started = time.monotonic()
        with urllib.request.urlopen(f"{self.url}{path}", timeout=30) as response:
            response.read()
        return round((time.monotonic() - started) * 1000, 1)

    def worker_peak_rss_mb(self):
        """The largest peak resident set (VmHWM) among the workers, in MB (Linux /proc)."""
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:
            return None
        peaks = []
        for child in children:
            try:
                status = Path(f"/proc/{child}/status").read_text()
            except OSError:
                continue
            for line in status.splitlines():
                if line.startswith("VmHWM:"):
                    peaks.append(int(line.split()[1]) / 1024)
        return round(max(peaks), 1) if peaks else None

    def __exit__(self, *exc):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()

    @property
    def url(self):
        return f"http://{HOST}:{self.port}"


def collectstatic(env):
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=settings.BASE_DIR,
        env=env,
        check=True,
    )


def run_wrk(url, paths, duration, connections, threads, clients=0):
    if shutil.which("wrk") is None:
        raise RuntimeError("wrk is not installed (Debian: apt-get install wrk)")
    with tempfile.TemporaryDirectory() as tmp:
        script, path_file = Path(tmp, "mix.lua"), Path(tmp, "paths.txt")
        script.write_text(_LUA)
        path_file.write_text("\n".join(paths) + "\n")
        result = subprocess.run(
            [
                "wrk",
                "-t",
                str(threads),
                "-c",
                str(connections),
                "-d",
                f"{duration}s",
                "--timeout",
                "10s",
                "-s",
                str(script),
                url,
            ],
            env={**os.environ, "RUIRAQ_PATHS": str(path_file), "RUIRAQ_CLIENTS": str(clients)},
            capture_output=True,
            text=True,
            timeout=duration + 60,
        )
    line = next((x for x in result.stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        raise RuntimeError(f"wrk failed: {result.stderr.strip() or result.stdout.strip()}")
    return json.loads(line.removeprefix("RESULT "))


CACHES = {"cold": 0, "warm": 600}
FLOOR = "floor"


def measure(
    scenarios, *, duration, connections, threads, workers, caches=("cold", "warm"), clients=0
):
    """Run every scenario with the public cache off ("cold") and primed ("warm").

    Returns a list of Result; where a ``floor`` scenario ran, each result of the same server
    run carries its req/s as a ratio to the floor's. With ``clients``, the requests come from
    that many addresses behind a proxy and the API's throttle keeps its configured rate.
    """
    results, servers = [], []
    collectstatic(_server_env(0))
    for cache_label in caches:
        cache_seconds = CACHES[cache_label]
        run = []
        with Server(workers, cache_seconds, clients) as server:
            first_path = next(p for name, ps in scenarios.items() if name != FLOOR for p in ps)
            first_page_ms = server.first_response_ms(first_path)
            for name, paths in scenarios.items():
                if cache_label == "warm":
                    # Prime every worker's cache (per-process without REDIS_URL).
                    run_wrk(server.url, paths, 2, connections, threads, clients)
                raw = run_wrk(server.url, paths, duration, connections, threads, clients)
                run.append(
                    Result(
                        scenario=name,
                        cache=cache_label,
                        requests=raw["requests"],
                        seconds=raw["seconds"],
                        errors=raw["errors"],
                        rps=round(raw["requests"] / raw["seconds"], 1) if raw["seconds"] else 0.0,
                        p50_ms=raw["p50_ms"],
                        p95_ms=raw["p95_ms"],
                        p99_ms=raw["p99_ms"],
                        paths=len(set(paths)),
                    )
                )
            servers.append(
                ServerStats(
                    cache=cache_label,
                    startup_s=server.startup_s,
                    first_page_ms=first_page_ms,
                    requests=sum(r.requests for r in run),
                    peak_rss_mb=server.worker_peak_rss_mb(),
                )
            )
        floor = next((r for r in run if r.scenario == FLOOR), None)
        if floor is not None and floor.rps:
            for r in run:
                r.floor_ratio = round(r.rps / floor.rps, 4)
        results.extend(run)
    return results, servers


def as_table(results, servers=()):
    header = (
        f"{'scenario':<12} {'cache':<5} {'paths':>6} {'req/s':>9} {'p50 ms':>8} {'p95 ms':>8} "
        f"{'p99 ms':>8} {'requests':>9} {'errors':>6} {'÷ floor':>9}"
    )
    rows = [header, "-" * len(header)]
    for r in results:
        if r.scenario == FLOOR:
            ratio = "1"
        elif r.floor_ratio:
            ratio = f"1/{1 / r.floor_ratio:.1f}"
        else:
            ratio = "" if r.floor_ratio is None else "0"
        rows.append(
            f"{r.scenario:<12} {r.cache:<5} {r.paths:>6} {r.rps:>9.1f} {r.p50_ms:>8.1f} "
            f"{r.p95_ms:>8.1f} {r.p99_ms:>8.1f} {r.requests:>9} {r.errors:>6} {ratio:>9}"
        )
    for s in servers:
        rss = "?" if s.peak_rss_mb is None else f"{s.peak_rss_mb:.0f} MB"
        rows.append(
            f"server ({s.cache}): healthy {s.startup_s:.2f} s after start, first page "
            f"{s.first_page_ms:.0f} ms, peak RSS per worker {rss} after {s.requests} requests"
        )
    return "\n".join(rows)


def as_json(results, servers=(), **meta):
    return json.dumps(
        {
            **meta,
            "results": [asdict(r) for r in results],
            "servers": [asdict(s) for s in servers],
        },
        indent=2,
    )
