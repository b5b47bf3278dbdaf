"""`make bench`: the portal's throughput against a bare Flask hello-world, a registration against the argon2
hash it must do, and the whole online flow on 2G in Chromium, printed side by side in one run.

Throughput: gunicorn with gunicorn.conf.py serves the portal (on SQLite, then PostgreSQL) and bench/hello.py
alike; wrk (Debian's, a separate process) asks each page for BENCH_SECONDS over BENCH_CONNECTIONS
connections, with the Accept-Encoding and User-Agent of one browser. The load generator shares the machine's
cores with the server, as the other engineers' work may too: the load average is printed with the figures,
and so is the CPU time the workers spent a request, which other work on the machine barely changes.
Figures go to bench/results/ (bench.json, and flow_2g_*.json from bench/flow_2g.py).
"""

import http.cookiejar
import json
import os
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, ".venv", "bin")
RESULTS = os.path.join(ROOT, "bench", "results")
PG_ADMIN_URL = os.environ.get("BENCH_PG_ADMIN_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PG_DATABASE = os.environ.get("BENCH_PG_DATABASE", "portal_bench")
SECONDS = int(os.environ.get("BENCH_SECONDS", "10"))
CONNECTIONS = int(os.environ.get("BENCH_CONNECTIONS", "32"))
REGISTRATIONS = int(os.environ.get("BENCH_REGISTRATIONS", "10"))
WRK = shutil.which("wrk") or "/usr/bin/wrk"
ENCODINGS = "gzip, deflate, br, zstd"
# One browser: the login and wrk's requests carry the same User-Agent, as a real browser's would. (Flask-Login
# marks a session whose address or browser changed as no longer fresh, rewriting its cookie on every request.)
USER_AGENT = "Mozilla/5.0 (Linux; Android 10) bench"
EMAIL, PASSWORD = "bench@contoh.id", "sawah-hijau-pagi"


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load():
    return os.getloadavg()


class Server:
    """gunicorn with the portal's settings file, serving `target` until stopped."""

    def __init__(self, target, env):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [os.path.join(BIN, "gunicorn"), "-c", os.path.join(ROOT, "gunicorn.conf.py"),
             "--bind", f"127.0.0.1:{self.port}", target],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(self.base + "/", timeout=2).read()
                break
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.log.seek(0)
                    raise SystemExit(f"gunicorn did not start:\n{self.log.read().decode()[-3000:]}")
                time.sleep(0.2)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=30)

    def cpu_seconds(self):
        """CPU time the workers have used: read around a run, it says what a request costs whatever else the
        machine is doing (req/s does not)."""
        children = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout
        total = 0
        for pid in children.split():
            try:
                with open(f"/proc/{pid}/stat") as fh:
                    fields = fh.read().rsplit(")", 1)[1].split()
            except OSError:
                continue  # ended meanwhile
            total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
        return total / os.sysconf("SC_CLK_TCK")

    def measure(self, url, cookie=None):
        """wrk's figures for `url`, with the workers' CPU milliseconds a request."""
        before = self.cpu_seconds()
        figures = wrk(url, cookie)
        figures["cpu_ms"] = (self.cpu_seconds() - before) * 1000 / max(figures["rps"] * SECONDS, 1)
        figures["load"] = load()
        return figures


def wrk(url, cookie=None):
    """(requests a second, p50 ms, p99 ms, errors) for `url`."""
    command = [WRK, "-t2", f"-c{CONNECTIONS}", f"-d{SECONDS}s", "--latency", "-H", f"Accept-Encoding: {ENCODINGS}",
               "-H", f"User-Agent: {USER_AGENT}"]
    if cookie:
        command += ["-H", f"Cookie: {cookie}"]
    out = subprocess.run(command + [url], capture_output=True, text=True, check=True).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    latency = {p: to_ms(v, unit) for p, v, unit in re.findall(r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\b", out, re.M)}
    errors = sum(int(n) for n in re.findall(r"Non-2xx or 3xx responses: (\d+)", out))
    errors += sum(int(n) for n in re.findall(r"(?:connect|read|write|timeout) (\d+)", out))
    return {"rps": rate, "p50_ms": latency["50"], "p99_ms": latency["99"], "errors": errors}


def to_ms(value, unit):
    return float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]


def portal_env(database_url, workdir):
    """The portal configured for a production-like run: real argon2 costs, CSRF on, its own queue file."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    env.update({
        "PORTAL_SECRET_KEY": "bench-" + "x" * 40,
        "PORTAL_BASE_URL": "http://127.0.0.1",
        "PORTAL_DATABASE_URL": database_url,
        "PORTAL_HUEY_URL": f"sqlite:///{workdir}/huey.db",
        "PORTAL_UPLOAD_DIR": f"{workdir}/uploads",
        # One address registers REGISTRATIONS times here; the per-address form limit is for the public.
        "PORTAL_FORM_LIMIT_IP": "10000 per minute",
    })
    return env


def fresh_postgres():
    """An empty portal_bench database, made anew for each run."""
    import psycopg2

    connection = psycopg2.connect(PG_ADMIN_URL)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{PG_DATABASE}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{PG_DATABASE}"')
    connection.close()
    return PG_ADMIN_URL.rsplit("/", 1)[0] + "/" + PG_DATABASE


def prepare(env):
    """Schema, and one verified applicant to log in as."""
    subprocess.run([os.path.join(BIN, "flask"), "--app", "wsgi", "init-db"], cwd=ROOT, env=env, check=True,
                   capture_output=True)
    script = (
        "from portal import create_app\n"
        "from portal.models import Account, utcnow\n"
        "from portal.services.passwords import hash_password\n"
        "app = create_app()\n"
        "with app.app_context():\n"
        f"    Account.create(email={EMAIL!r}, full_name='Ani Lestari', password_hash=hash_password({PASSWORD!r}),"
        " email_verified_at=utcnow())\n"
    )
    subprocess.run([os.path.join(BIN, "python"), "-c", script], cwd=ROOT, env=env, check=True)


class Browser:
    """A cookie-keeping HTTP client that fills in CSRF tokens like a browser submitting a form."""

    def __init__(self, base):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.opener.addheaders = [("User-Agent", USER_AGENT)]

    def get(self, path):
        with self.opener.open(self.base + path) as response:
            return response.read().decode()

    def token(self, path):
        return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', self.get(path)).group(1)

    def post(self, path, fields):
        data = urllib.parse.urlencode(fields).encode()
        with self.opener.open(self.base + path, data=data) as response:
            return response.geturl(), response.read()

    def cookie(self):
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)


def throughput(name, env, results):
    """Home, login and the logged-in task list on the portal, each beside hello-world's figure."""
    server = Server("wsgi:app", env)
    try:
        browser = Browser(server.base)
        landed, _ = browser.post("/masuk", {"csrf_token": browser.token("/masuk"), "email": EMAIL,
                                            "password": PASSWORD})
        assert landed.endswith("/pendaftaran/"), f"logging in failed: landed on {landed}"
        for page, path, cookie in (("home", "/", None), ("login", "/masuk", None),
                                   ("task list", "/pendaftaran/", browser.cookie())):
            wrk(server.base + path, cookie)  # warm-up: workers started, pool filled, templates compiled
            figures = server.measure(server.base + path, cookie)
            results["pages"].append({"database": name, "page": page, **figures})
            print(f"  {name:<10} {page:<10} {figures['rps']:8.0f} req/s  p50 {figures['p50_ms']:7.1f} ms  "
                  f"p99 {figures['p99_ms']:7.1f} ms  CPU {figures['cpu_ms']:.2f} ms a request  "
                  f"errors {figures['errors']}  load {figures['load'][0]:.1f}", flush=True)
        if name == "PostgreSQL":
            results["registration"] = registration(server)
    finally:
        server.stop()


def registration(server):
    """Seconds for a registration (the POST, one at a time) against the bare hash with the same settings."""
    sys.path.insert(0, ROOT)
    from argon2 import PasswordHasher

    from portal import config

    hasher = PasswordHasher(time_cost=config.ARGON2_TIME_COST, memory_cost=config.ARGON2_MEMORY_COST,
                            parallelism=config.ARGON2_PARALLELISM)
    hashes, posts = [], []
    for n in range(REGISTRATIONS):
        started = time.perf_counter()
        hasher.hash(PASSWORD)
        hashes.append(time.perf_counter() - started)
        browser = Browser(server.base)
        fields = {"csrf_token": browser.token("/daftar"), "full_name": "Budi Santoso",
                  "email": f"daftar{n}-{time.time_ns()}@contoh.id", "password": PASSWORD}
        started = time.perf_counter()
        landed, _ = browser.post("/daftar", fields)  # the 303 and the page it leads to: one request each
        posts.append(time.perf_counter() - started)
        assert landed.endswith("/daftar/cek-email"), landed
        # The answer page after the redirect is timed too: subtract what a plain GET of it costs.
        started = time.perf_counter()
        browser.get("/daftar/cek-email")
        posts[-1] -= time.perf_counter() - started
    result = {"hash_ms": statistics.median(hashes) * 1000, "registration_ms": statistics.median(posts) * 1000,
              "load": load()}
    result["ratio"] = result["registration_ms"] / result["hash_ms"]
    print(f"  registration (POST /daftar) {result['registration_ms']:.0f} ms vs argon2 hash "
          f"{result['hash_ms']:.0f} ms: {result['ratio']:.2f}x", flush=True)
    return result


def hello(results):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PORTAL_")}
    server = Server("bench.hello:app", env)
    try:
        wrk(server.base + "/")
        figures = server.measure(server.base + "/")
        results["hello"] = figures
        print(f"  hello-world           {figures['rps']:8.0f} req/s  p50 {figures['p50_ms']:7.1f} ms  "
              f"p99 {figures['p99_ms']:7.1f} ms  CPU {figures['cpu_ms']:.2f} ms a request  "
              f"load {figures['load'][0]:.1f}", flush=True)
    finally:
        server.stop()


def flow_2g(results):
    """bench/flow_2g.py in Chromium (pytest with tests/conftest.py's fixtures), JavaScript on and off."""
    env = {**os.environ, "PYTHONPATH": os.path.join(ROOT, "tests")}
    subprocess.run([os.path.join(BIN, "python"), "-m", "pytest", "-p", "conftest", "-p", "no:randomly", "-q",
                    "-p", "no:cacheprovider", os.path.join("bench", "flow_2g.py")], cwd=ROOT, env=env, check=True)
    for mode in ("js", "nojs"):
        with open(os.path.join(RESULTS, f"flow_2g_{mode}.json")) as fh:
            results["flow_2g"][mode] = json.load(fh)


def table(results):
    """The figures side by side, as in the README."""
    hello_rps = results["hello"]["rps"]
    lines = ["", f"Throughput: gunicorn (gunicorn.conf.py), wrk {CONNECTIONS} connections, {SECONDS} s a page",
             "| page | database | req/s | % of hello-world | p50 ms | p99 ms | CPU ms a request | % of hello-world's "
             "CPU |", "|---|---|---:|---:|---:|---:|---:|---:|",
             f"| hello-world (bare Flask) | - | {hello_rps:.0f} | 100% | {results['hello']['p50_ms']:.1f} | "
             f"{results['hello']['p99_ms']:.1f} | {results['hello']['cpu_ms']:.2f} | 100% |"]
    for row in results["pages"]:
        lines.append(f"| {row['page']} | {row['database']} | {row['rps']:.0f} | {row['rps'] / hello_rps:.0%} | "
                     f"{row['p50_ms']:.1f} | {row['p99_ms']:.1f} | {row['cpu_ms']:.2f} | "
                     f"{results['hello']['cpu_ms'] / row['cpu_ms']:.0%} |")
    reg = results.get("registration")
    if reg:
        lines += ["", f"Registration on PostgreSQL: {reg['registration_ms']:.0f} ms, argon2 hash alone "
                      f"{reg['hash_ms']:.0f} ms: {reg['ratio']:.2f}x"]
    for mode, flow in results["flow_2g"].items():
        pages = [s for s in flow["steps"] if s["kind"] == "page"]
        photos = [s for s in flow["steps"] if s["kind"] == "photo"]
        slowest = max(pages, key=lambda s: s["seconds"])
        uploads = " + ".join(f"{s['seconds']:.1f}" for s in photos)
        lines.append(f"2G flow, JavaScript {'on' if mode == 'js' else 'off'}: {flow['total_seconds']:.1f} s in "
                     f"{len(flow['steps'])} steps; slowest page step {slowest['step']} {slowest['seconds']:.2f} s; "
                     f"photo uploads {uploads} s; "
                     f"{(flow['bytes_sent'] + flow['bytes_received']) / 1024:.0f} KB on the wire")
    lines.append(f"Load average at the end: {' '.join(f'{v:.1f}' for v in load())} ({os.cpu_count()} cores)")
    return "\n".join(lines)


def main():
    os.makedirs(RESULTS, exist_ok=True)
    results = {"started": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()), "load_before": load(),
               "cores": os.cpu_count(), "connections": CONNECTIONS, "seconds": SECONDS, "pages": [],
               "flow_2g": {}}
    print(f"Load average before: {' '.join(f'{v:.1f}' for v in load())} ({os.cpu_count()} cores)", flush=True)
    hello(results)
    with tempfile.TemporaryDirectory() as workdir:
        env = portal_env(f"sqlite:///{workdir}/bench.db", workdir)
        prepare(env)
        throughput("SQLite", env, results)
    with tempfile.TemporaryDirectory() as workdir:
        env = portal_env(fresh_postgres(), workdir)
        prepare(env)
        throughput("PostgreSQL", env, results)
    if os.environ.get("BENCH_FLOW", "1") == "1":
        flow_2g(results)
    text = table(results)
    print(text)
    with open(os.path.join(RESULTS, "bench.json"), "w") as fh:
        json.dump(results, fh, indent=1)
    with open(os.path.join(RESULTS, "bench.md"), "w") as fh:
        fh.write(text + "\n")


if __name__ == "__main__":
    main()
