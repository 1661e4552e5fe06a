"""Drive the floor page and GoLive's portfolio with the same load tool and concurrency, in one run.

Servers: gunicorn -w 4 for GoLive (production settings, behind a pretend TLS proxy) on 127.0.0.1:8998
and for the floor on 127.0.0.1:8999. Load: wrk when installed, else a small threaded Python client.
Pages are measured in alternating rounds so drift on a shared machine hits both alike; medians are reported.
"""

import http.client
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

GOLIVE_PORT = 8998
GOLIVE_UNCACHED_PORT = 8997  # the same app with the dashboard cache off, to show the cost of a miss
FLOOR_PORT = 8999
CONCURRENCY = 8
ROUND_SECONDS = 6
ROUNDS = 3
WORKERS = 4


@dataclass
class Target:
    name: str
    port: int
    path: str
    headers: dict


@dataclass
class Result:
    requests_per_second: float
    p50_ms: float
    errors: int


def start_server(args: list[str], env: dict, port: int, cwd: Path) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn command line
        args, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Server on port {port} exited: {process.stderr.read().decode()[-2000:]}")
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("HEAD", "/")
            return process
        except OSError:
            time.sleep(0.3)
    stop_server(process)
    raise RuntimeError(f"Server on port {port} did not start in 30 s")


def stop_server(process: subprocess.Popen) -> None:
    """Stop the gunicorn we started (its own process group, so its workers go too)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def fetch(target: Target) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", target.port, timeout=120)
    connection.request("GET", target.path, headers=target.headers)
    response = connection.getresponse()
    body = response.read()
    headers = {key.lower(): value for key, value in response.getheaders()}
    connection.close()
    return response.status, headers, body


def floor_cookie() -> str:
    """Sign in to the floor (GET /floor/login sets the session cookie)."""
    status, headers, _ = fetch(Target("floor login", FLOOR_PORT, "/floor/login", {}))
    match = re.search(r"sessionid=([^;]+)", headers.get("set-cookie", ""))
    if status != 302 or not match:
        raise RuntimeError(f"Floor sign-in failed: {status} {headers}")
    return f"sessionid={match.group(1)}"


def check(target: Target, must_contain: bytes) -> None:
    status, _, body = fetch(target)
    if status != 200 or must_contain not in body:
        raise RuntimeError(f"{target.name}: expected 200 with {must_contain!r}, got {status}: {body[:500]!r}")


def run_wrk(target: Target, seconds: int) -> Result:
    args = ["wrk", "-t2", f"-c{CONCURRENCY}", f"-d{seconds}s", "--latency", "--timeout", "10s"]
    for key, value in target.headers.items():
        args += ["-H", f"{key}: {value}"]
    args.append(f"http://127.0.0.1:{target.port}{target.path}")
    output = subprocess.run(args, capture_output=True, text=True, check=True).stdout  # noqa: S603
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    p50 = re.search(r"50%\s+([\d.]+)(us|ms|s)\b", output)
    scale = {"us": 0.001, "ms": 1, "s": 1000}[p50.group(2)]
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    socket_errors = re.search(r"Socket errors:.*?timeout (\d+)", output)
    return Result(
        rate,
        float(p50.group(1)) * scale,
        (int(errors.group(1)) if errors else 0) + (int(socket_errors.group(1)) if socket_errors else 0),
    )


def run_python(target: Target, seconds: int) -> Result:
    """The fallback load tool: CONCURRENCY threads, keep-alive connections, bounded by time."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", target.port, timeout=10)
        while time.monotonic() < stop_at:
            started = time.monotonic()
            try:
                connection.request("GET", target.path, headers=target.headers)
                response = connection.getresponse()
                response.read()
                ok = response.status == 200
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", target.port, timeout=10)
                ok = False
            with lock:
                latencies.append(time.monotonic() - started)
                errors[0] += 0 if ok else 1

    threads = [threading.Thread(target=worker) for _ in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return Result(len(latencies) / seconds, statistics.median(latencies) * 1000 if latencies else 0, errors[0])


def wait_until_idle(ports: set[int], limit_seconds: float = 15) -> None:
    """Let every server finish the requests a run left queued (a 4 s page keeps workers busy after wrk stops),
    so one page's backlog is not measured as the next page's slowness."""
    deadline = time.monotonic() + limit_seconds
    for port in ports:
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=limit_seconds)
                connection.request("HEAD", "/")
                connection.getresponse().read()
            except OSError:
                break
            if time.monotonic() - started < 0.1:
                break


def measure(targets: list[Target], log=print) -> dict[str, Result]:
    load = run_wrk if shutil.which("wrk") else run_python
    log(
        f"Load tool: {'wrk' if load is run_wrk else 'Python threads'}, {CONCURRENCY} connections, "
        f"{ROUNDS} rounds of {ROUND_SECONDS} s per page"
    )
    ports = {target.port for target in targets}
    for target in targets:
        load(target, 2)  # warm up: connections, template caches, PostgreSQL buffers
        wait_until_idle(ports)
    runs: dict[str, list[Result]] = {target.name: [] for target in targets}
    for round_number in range(1, ROUNDS + 1):
        for target in targets:
            result = load(target, ROUND_SECONDS)
            wait_until_idle(ports)
            runs[target.name].append(result)
            log(
                f"  round {round_number} {target.name:<32} {result.requests_per_second:8.1f} req/s  "
                f"p50 {result.p50_ms:7.1f} ms  errors {result.errors}"
            )
    return {
        name: Result(
            statistics.median(r.requests_per_second for r in results),
            statistics.median(r.p50_ms for r in results),
            sum(r.errors for r in results),
        )
        for name, results in runs.items()
    }


def gunicorn_args(app: str, port: int) -> list[str]:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    return [str(gunicorn), "-w", str(WORKERS), "-b", f"127.0.0.1:{port}", "--log-level", "warning", app]
