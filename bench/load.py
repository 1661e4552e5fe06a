"""Servers and load for the bench: gunicorn processes, wrk runs (plain GETs, or the tick script), medians.

Every page is driven by the same tool at the same concurrency (wrk -t2 -c8 when installed; else a threaded
Python client, which shares the two cores with the servers and so reads low: the bench says which it used).
Pages are measured in alternating rounds so drift on a shared machine hits them all alike.
"""

import http.client
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

LUA_DIR = Path(__file__).with_name("wrk")
CONCURRENCY = 8
THREADS = 2
ROUND_SECONDS = int(os.environ.get("BENCH_ROUND_SECONDS", "6"))
ROUNDS = int(os.environ.get("BENCH_ROUNDS", "3"))
WORKERS = 4
HOST = "127.0.0.1"  # the Host header the load sends (ALLOWED_HOSTS); TLS is pretended by X-Forwarded-Proto


@dataclass
class Tick:
    """What the tick script needs: the steps to tick (path, version, status) and the signed-in browser's state."""

    steps: list[tuple[str, int, str]]
    cookie: str  # "__Host-sessionid=…; __Host-csrftoken=…"
    csrf_token: str
    next_url: str
    email: str = ""  # whose session it is (to read the steps they may tick)


@dataclass
class Target:
    name: str
    port: int
    path: str
    headers: dict
    tick: Tick | None = None
    icb_scoped: bool = True  # measured again at the 4× seed
    queries: int | None = None
    # The dashboard cache as deployed keeps a page 60 s; rounds are further apart, so each would open on an
    # expired entry and all connections would miss at once. One request first fills it, as steady traffic does.
    prime: bool = False
    single_ms: float = 0.0  # one request alone, timed by check(): slow pages get longer rounds

    def seconds(self, base: int) -> int:
        """A round long enough for every connection to finish several requests, at most 40 s (whole seconds:
        wrk refuses a duration such as 40.0s)."""
        queued = self.single_ms / 1000 * CONCURRENCY / WORKERS
        return base if queued * 3 <= base else int(min(40, round(queued * 4)))


@dataclass
class Result:
    rps: float
    p50_ms: float
    p95_ms: float
    errors: int
    detail: dict = field(default_factory=dict)


def load_tool() -> str:
    return "wrk" if shutil.which("wrk") else "python"


def parse_wrk(output: str) -> dict:
    """The BENCH_JSON line that bench/wrk/report.lua prints; raises ValueError if wrk printed none."""
    match = re.search(r"^BENCH_JSON (\{.*\})$", output, re.MULTILINE)
    if not match:
        raise ValueError(f"no BENCH_JSON line in wrk output: {output[-1000:]}")
    return json.loads(match.group(1))


def result_from_wrk(report: dict, tick: bool) -> Result:
    """Requests a second (for a tick: completed POST-and-redirect pairs a second), p50/p95 of single requests.

    Errors count socket errors, timeouts, answers other than 2xx/3xx, and for ticks conflicts and failures.
    """
    seconds = report["duration_us"] / 1e6
    errors = sum(report[key] for key in ("connect_errors", "read_errors", "write_errors", "timeouts"))
    errors += report["status_errors"]
    if tick:
        errors += report["conflicts"] + report["failed"]
        done = report["pages"]
    else:
        done = report["requests"] - report["status_errors"]
    return Result(
        done / seconds if seconds else 0.0,
        report["p50_us"] / 1000,
        report["p95_us"] / 1000,
        errors,
        {key: report[key] for key in ("requests", "kept", "conflicts", "pages", "failed")},
    )


def wrk_command(target: Target, seconds: float, threads: int = THREADS, connections: int = CONCURRENCY) -> list:
    script = "tick.lua" if target.tick else "report.lua"
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--timeout", "20s", "-s", str(LUA_DIR / script)]
    if not target.tick:
        for key, value in target.headers.items():
            args += ["-H", f"{key}: {value}"]
    return [*args, f"http://127.0.0.1:{target.port}{target.path}"]


def tick_environment(tick: Tick, threads: int, folder: Path) -> dict:
    plan = folder / "tick-plan.txt"
    plan.write_text("".join(f"{path} {version} {status}\n" for path, version, status in tick.steps))
    return {
        **os.environ,
        "BENCH_LUA_DIR": str(LUA_DIR),
        "BENCH_TICK_PLAN": str(plan),
        "BENCH_THREADS": str(threads),
        "BENCH_COOKIE": tick.cookie,
        "BENCH_CSRF_TOKEN": tick.csrf_token,
        "BENCH_NEXT": tick.next_url,
        "BENCH_HOST": HOST,
    }


def start_wrk(target: Target, seconds: float, threads: int = THREADS, connections: int = CONCURRENCY):
    """Start wrk in the background; `finish_wrk` waits for it and reads its result."""
    folder = Path(tempfile.mkdtemp(prefix="golive-wrk-"))
    env = (
        tick_environment(target.tick, threads, folder) if target.tick else {**os.environ, "BENCH_LUA_DIR": str(LUA_DIR)}
    )
    process = subprocess.Popen(  # noqa: S603 - our own wrk command line
        wrk_command(target, seconds, threads, connections),
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return process, target


def finish_wrk(started) -> Result:
    process, target = started
    stdout, stderr = process.communicate(timeout=ROUND_SECONDS * 10 + 120)
    if process.returncode:
        raise RuntimeError(f"wrk failed for {target.name}: {(stderr or stdout)[-1000:]}")
    return result_from_wrk(parse_wrk(stdout), bool(target.tick))


def run_wrk(target: Target, seconds: float) -> Result:
    return finish_wrk(start_wrk(target, seconds))


def run_python(target: Target, seconds: float) -> Result:
    """The fallback load tool: CONCURRENCY threads with keep-alive connections, bounded by time."""
    latencies: list[float] = []
    counts = {"kept": 0, "conflicts": 0, "pages": 0, "failed": 0, "errors": 0}
    lock = threading.Lock()
    stop_at = time.monotonic() + seconds
    steps = list(target.tick.steps) if target.tick else []

    def one(connection, method, path, headers, body=None):
        started = time.monotonic()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        with lock:
            latencies.append(time.monotonic() - started)
        return response

    def worker(number: int):
        connection = http.client.HTTPConnection("127.0.0.1", target.port, timeout=20)
        mine = [list(step) for step in steps[number::CONCURRENCY]]
        position = 0
        while time.monotonic() < stop_at:
            try:
                if not target.tick:
                    ok = one(connection, "GET", target.path, target.headers).status == 200
                    with lock:
                        counts["pages" if ok else "errors"] += 1
                    continue
                step = mine[position % len(mine)]
                position += 1
                headers = {"Host": HOST, "X-Forwarded-Proto": "https", "Cookie": target.tick.cookie}
                body = urlencode(
                    {
                        "csrfmiddlewaretoken": target.tick.csrf_token,
                        "version": step[1],
                        "status": "todo" if step[2] == "done" else "done",
                        "next": target.tick.next_url,
                    }
                )
                post_headers = {
                    **headers,
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Origin": f"https://{HOST}",
                }
                response = one(connection, "POST", step[0], post_headers, body)
                step[1], step[2] = step[1] + 1, "todo" if step[2] == "done" else "done"
                location = response.getheader("Location", "")
                with lock:
                    counts["kept" if "#step-" in location else "conflicts"] += response.status == 302
                    counts["failed"] += response.status != 302
                if response.status == 302:
                    page = one(connection, "GET", location.split("#")[0], headers)
                    with lock:
                        counts["pages" if page.status == 200 else "failed"] += 1
            except (OSError, http.client.HTTPException):
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", target.port, timeout=20)
                with lock:
                    counts["errors"] += 1

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(CONCURRENCY)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ordered = sorted(latencies) or [0.0]
    return Result(
        counts["pages"] / seconds,
        ordered[len(ordered) // 2] * 1000,
        ordered[min(len(ordered) - 1, int(len(ordered) * 0.95))] * 1000,
        counts["errors"] + counts["conflicts"] + counts["failed"],
        {**counts, "requests": len(latencies)},
    )


def wait_until_idle(ports: set[int], limit_seconds: float = 30) -> None:
    """Let every server finish the requests a run left queued (a 3 s page keeps workers busy after wrk stops),
    so one page's backlog is not measured as the next page's slowness."""
    deadline = time.monotonic() + limit_seconds
    for port in ports:
        while time.monotonic() < deadline:
            started = time.monotonic()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=limit_seconds)
                connection.request("HEAD", "/floor/hello")
                connection.getresponse().read()
            except OSError:
                break
            if time.monotonic() - started < 0.1:
                break


def measure(targets: list[Target], refresh_tick=None, log=print) -> dict[str, Result]:
    """ROUNDS alternating rounds of ROUND_SECONDS per target after a short warm-up; medians per target.

    `refresh_tick(target)` is called before each run of a tick target, to read the steps' current versions.
    """
    load = run_wrk if load_tool() == "wrk" else run_python
    log(
        f"Load: {load_tool()}, {THREADS} threads, {CONCURRENCY} connections, {ROUNDS} rounds of {ROUND_SECONDS} s "
        "(longer for pages slower than a second)"
    )
    ports = {target.port for target in targets}

    def run(target: Target, seconds: float) -> Result:
        if target.tick and refresh_tick:
            refresh_tick(target)
        if target.prime:
            request(target.port, "GET", target.path, target.headers)
        result = load(target, seconds)
        wait_until_idle(ports)
        return result

    for target in targets:
        run(target, 2)  # warm up: connections, template caches, PostgreSQL buffers
    runs: dict[str, list[Result]] = {target.name: [] for target in targets}
    for round_number in range(1, ROUNDS + 1):
        for target in targets:
            result = run(target, target.seconds(ROUND_SECONDS))
            runs[target.name].append(result)
            log(
                f"  round {round_number} {target.name:<38} {result.rps:8.1f} req/s  p50 {result.p50_ms:7.1f} ms  "
                f"p95 {result.p95_ms:7.1f} ms  errors {result.errors}"
            )
    return {name: median_result(results) for name, results in runs.items()}


def median_result(results: list[Result]) -> Result:
    return Result(
        statistics.median(r.rps for r in results),
        statistics.median(r.p50_ms for r in results),
        statistics.median(r.p95_ms for r in results),
        sum(r.errors for r in results),
    )


def gunicorn_args(app: str, port: int, workers: int = WORKERS) -> list[str]:
    gunicorn = Path(sys.executable).with_name("gunicorn")
    return [str(gunicorn), "-w", str(workers), "-b", f"127.0.0.1:{port}", "--log-level", "warning", app]


def start_server(args: list[str], env: dict, port: int, cwd: Path) -> subprocess.Popen:
    process = subprocess.Popen(  # noqa: S603 - our own gunicorn command line
        args, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"Server on port {port} exited: {process.stderr.read().decode()[-2000:]}")
        try:
            http.client.HTTPConnection("127.0.0.1", port, timeout=1).request("HEAD", "/")
            return process
        except OSError:
            time.sleep(0.3)
    stop_server(process)
    raise RuntimeError(f"Server on port {port} did not start in 60 s")


def stop_server(process: subprocess.Popen) -> None:
    """Stop a server we started (its own process group, so its workers go too)."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def children(pid: int) -> list[int]:
    try:
        return [int(child) for child in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def rss_mib(pid: int) -> float:
    """Resident set size of one process, in MiB (VmRSS from /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def request(port: int, method: str, path: str, headers: dict, body: str | None = None):
    """One request; returns (status, headers with lower-case names, body)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    connection.request(method, path, body=body, headers=headers)
    response = connection.getresponse()
    content = response.read()
    response_headers: dict = {}
    for key, value in response.getheaders():
        response_headers.setdefault(key.lower(), []).append(value)
    connection.close()
    return response.status, response_headers, content


def check(target: Target, must_contain: bytes) -> None:
    """One request alone: it must succeed and show `must_contain`; its time sets the target's round length."""
    if target.prime:
        request(target.port, "GET", target.path, target.headers)
    started = time.monotonic()
    status, _, body = request(target.port, "GET", target.path, target.headers)
    target.single_ms = (time.monotonic() - started) * 1000
    if status != 200 or must_contain not in body:
        raise RuntimeError(f"{target.name}: expected 200 with {must_contain!r}, got {status}: {body[:500]!r}")


def floor_cookie(port: int) -> str:
    """Sign in to the floor (GET /floor/login sets the session cookie)."""
    status, headers, _ = request(port, "GET", "/floor/login", {})
    match = re.search(r"sessionid=([^;]+)", " ".join(headers.get("set-cookie", [])))
    if status != 302 or not match:
        raise RuntimeError(f"Floor sign-in failed: {status} {headers}")
    return f"sessionid={match.group(1)}"


def csrf_for(port: int, path: str, headers: dict) -> tuple[str, str]:
    """GET a page with a form as a browser would; returns (CSRF cookie "name=value", the form's token)."""
    status, response_headers, body = request(port, "GET", path, headers)
    cookie = re.search(r"((?:__Host-)?csrftoken=[^;]+)", " ".join(response_headers.get("set-cookie", [])))
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if status != 200 or not cookie or not token:
        raise RuntimeError(f"No CSRF cookie and token on {path}: {status}")
    return cookie.group(1), token.group(1).decode()
