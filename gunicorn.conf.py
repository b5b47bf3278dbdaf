"""gunicorn settings for the portal: `make run` and `make bench` use them (gunicorn -c gunicorn.conf.py wsgi:app).

Workers and threads follow the machine's cores. A request spends most of its time in Python (templates,
forms, argon2 for a login), which holds the GIL, so one process per core does the work; a second one per
core and a few threads in each keep the cores busy while others wait on the database, the disk or a slow
client sending a photo. On 2 cores: 4 workers x 4 threads. Override with PORTAL_WORKERS / PORTAL_THREADS.
Each process keeps at most DATABASE_POOL_SIZE PostgreSQL connections (portal/config.py), one per busy
thread, so workers x threads (+ the Huey consumer's) must stay under PostgreSQL's max_connections.
"""

import os

cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1

worker_class = "gthread"
workers = int(os.environ.get("PORTAL_WORKERS", 2 * cores))
threads = int(os.environ.get("PORTAL_THREADS", 4))
# Load the app once in the master and fork it: less memory, and a broken configuration stops start-up
# at once. Nothing connects to the database while the app is built, so no connection is shared by forks.
preload_app = True
# Keep idle connections from phones open a little, so the next page skips a TCP handshake (an RTT on 2G).
keepalive = 5
# A worker silent this long is restarted. Threads serve slow uploads meanwhile; the heartbeat still beats.
timeout = 60
graceful_timeout = 30
# Restart each worker now and then, so a slow leak never grows; staggered so they never all go at once. Rarely:
# a fresh worker starts with an empty connection pool, and at a wave opening's ~1,000 requests a second per
# worker a few thousand would restart each one every few seconds.
max_requests = 200_000
max_requests_jitter = 20_000


def when_ready(server):
    """Compile every template in the master, before the workers fork, so none compiles them on a live request."""
    app = server.app.wsgi()
    for name in app.jinja_env.list_templates(extensions=["html", "txt"]):
        app.jinja_env.get_template(name)
