"""Default settings; instance/config.py and PORTAL_* environment variables override them."""

from datetime import timedelta

# "dev" is refused outside debug/testing: see portal.check_secret_key.
SECRET_KEY = "dev"
# Empty means a SQLite file in the instance folder; or a postgresql:// URL.
DATABASE_URL = ""

BABEL_DEFAULT_LOCALE = "id"
BABEL_DEFAULT_TIMEZONE = "Asia/Jakarta"
LANGUAGES = ("id", "en")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
# Cookies are marked Secure automatically on HTTPS requests; True forces it always.
SESSION_COOKIE_SECURE = False
# The portal's public address, e.g. "https://prakerja.example": every link in emails and SMS is built on
# it, never on the Host a request names. Required outside debug/tests; `make run` writes one.
BASE_URL = ""
# Host names the portal answers to, e.g. ["prakerja.example"] (Flask's check; None answers to any).
TRUSTED_HOSTS = None
# Number of reverse proxies in front of the app whose X-Forwarded-For and -Proto headers are trusted.
PROXY_COUNT = 0
# Also trust X-Forwarded-Host from them: only if the proxy always sets it itself.
PROXY_TRUST_HOST = False
SESSION_IDLE_MINUTES = 15
SESSION_MAX_HOURS = 12
SESSION_WARN_SECONDS = 120
# A session's "last seen" time is written at most this often, so most page views do not write; the idle
# limit then counts from up to this long before the last request, and the page shows that exact time.
SESSION_TOUCH_SECONDS = 60
# Staff work on shared office PCs (DESIGN.md 2.5): their own idle limit, whatever applicants get.
STAFF_IDLE_MINUTES = 15
# Seconds a new staff member's set-password link works.
STAFF_LINK_MAX_AGE = 72 * 3600
# How long the session cookie's signature is accepted: an hour past the longest login session, so it is always
# the server's row that ends a session (and the page says why), never a cookie that quietly stopped being read.
PERMANENT_SESSION_LIFETIME = timedelta(hours=SESSION_MAX_HOURS + 1)

# Plain forms are small; upload routes raise their own limit.
MAX_CONTENT_LENGTH = 64 * 1024
MAX_FORM_MEMORY_SIZE = 64 * 1024
WTF_CSRF_TIME_LIMIT = 3600

# console prints emails to standard output; smtp sends them through MAIL_SERVER.
MAIL_BACKEND = "console"
MAIL_SERVER = "localhost"
MAIL_PORT = 25
MAIL_USE_TLS = False
MAIL_USE_SSL = False
MAIL_USERNAME = None
MAIL_PASSWORD = None
MAIL_DEFAULT_SENDER = "Portal Prakerja <noreply@prakerja.example>"
MAIL_SUPPRESS_SEND = False

# Huey runs jobs in the request when True (tests); the queue itself is chosen in portal.jobs.
HUEY_IMMEDIATE = False
# Emails and SMS go through the outbox (portal.outbox). One that fails is tried again OUTBOX_RETRIES times,
# OUTBOX_RETRY_DELAY seconds apart. While a worker sends one, no other may for OUTBOX_LEASE_SECONDS, so
# keep it above the longest a send can take (SMS_HTTP_TIMEOUT, a slow SMTP server); the sweep (every
# minute) queues again any message that has waited that long unsent: lost in a crash, or never queued.
OUTBOX_RETRIES = 5
OUTBOX_RETRY_DELAY = 30
OUTBOX_LEASE_SECONDS = 120

# Flask-Limiter storage: memory:// for one process, redis://host:6379 for several.
RATELIMIT_STORAGE_URI = "memory://"
RATELIMIT_HEADERS_ENABLED = True
# Fixed windows let portal.throttle give back a unit taken for a login that succeeded.
RATELIMIT_STRATEGY = "fixed-window"
# Failed logins, counted before the password is checked.
LOGIN_LIMIT_IP = "30 per 10 minutes"
LOGIN_LIMIT_ACCOUNT = "5 per 15 minutes"
FORM_LIMIT_IP = "20 per 10 minutes"
# The public status check and the claim of a walk-in record: every try counts per connection (an internet
# centre's PCs share one), and wrong tries count per reference number, so a date of birth or NIK cannot be
# guessed for a known reference.
STATUS_LIMIT_IP = "60 per 10 minutes"
STATUS_LIMIT_REFERENCE = "5 per 15 minutes"
CLAIM_LIMIT_IP = "20 per 10 minutes"
CLAIM_LIMIT_REFERENCE = "5 per hour"
# Minutes a browser has to finish a claim once the record is found (code, then email and password).
CLAIM_MINUTES = 30
# Sign-up emails (verification links, resends, changed addresses) per browser session and per new account:
# with the per-address cap below, one visitor cannot use the forms to mail many addresses.
EMAIL_LIMIT_SESSION = "6 per hour"
EMAIL_LIMIT_ACCOUNT = "6 per hour"

EMAIL_LINK_MAX_AGE = 24 * 3600
RESET_LINK_MAX_AGE = 3600
EMAIL_RESEND_COOLDOWN = 60
EMAIL_HOURLY_CAP = 5

# argon2id cost; raising them makes existing hashes be rehashed at the next login.
ARGON2_TIME_COST = 3
ARGON2_MEMORY_COST = 65536
ARGON2_PARALLELISM = 4

# Uploaded photos: a folder (empty = instance/uploads). Photos up to 10 MB are accepted from browsers
# that cannot shrink them first.
UPLOAD_DIR = ""
UPLOAD_MAX_BYTES = 10 * 1024 * 1024

# SMS one-time codes (DESIGN.md 5): valid 10 minutes, 5 tries, a cooldown between sends and caps.
OTP_VALID_MINUTES = 10
OTP_MAX_ATTEMPTS = 5
SMS_COOLDOWN = 60
SMS_PER_NUMBER_HOUR = 3
SMS_PER_NUMBER_DAY = 5
# Codes per application, whatever numbers it tries: one person's typos and retries.
SMS_PER_ACCOUNT_HOUR = 5
SMS_PER_ACCOUNT_DAY = 10
# Per address, only against abuse: an internet centre's 20 PCs, each applicant needing up to 3 codes,
# send 60 an hour at a busy time, and a mobile network may put thousands of phones behind one address.
SMS_PER_IP_HOUR = 200
SMS_PER_IP_DAY = 1000

# console prints SMS to standard output; http sends them to SMS_HTTP_URL (an SMS provider's API).
SMS_BACKEND = "console"
# The provider's endpoint, http:// or https://; it may carry an API key, so it is never logged.
SMS_HTTP_URL = ""
# POST sends the rendered template as the body; GET appends it to the URL as the query string.
SMS_HTTP_METHOD = "POST"
# application/json (values JSON-escaped) or application/x-www-form-urlencoded (values URL-encoded).
SMS_HTTP_CONTENT_TYPE = "application/json"
# Request body with {to} (E.164) and {text} placeholders; for GET a query string like to={to}&text={text}.
SMS_HTTP_BODY_TEMPLATE = '{"to": "{to}", "text": "{text}"}'
# Optional header sent with every request, as "Name: value", e.g. "Authorization: Bearer <token>".
SMS_HTTP_AUTH_HEADER = ""
# Seconds to wait for the provider; a timeout or any non-2xx answer is tried again (OUTBOX_RETRIES).
SMS_HTTP_TIMEOUT = 10

# Pages and fragments are compressed as they leave (Flask-Compress): brotli where the browser accepts it
# (every current one does over HTTPS, and on localhost), else gzip. Level 5 brotli takes about a tenth of a
# millisecond on a page and comes within a few per cent of level 11; static files are precompressed at the
# highest levels by portal.assets instead.
COMPRESS_ALGORITHM = ["br", "gzip"]
COMPRESS_BR_LEVEL = 5
COMPRESS_LEVEL = 6
# Pages are never stored (no-store) and carry no ETag, so there is nothing to answer "not modified" for: skip the
# check (static files get theirs from WhiteNoise).
COMPRESS_EVALUATE_CONDITIONAL_REQUEST = False
COMPRESS_MIMETYPES = ["text/html", "text/plain", "text/csv", "application/json", "application/javascript",
                      "text/css", "image/svg+xml"]

# Pages that are the same for every visitor (the home page, for one who is not signed in) are kept, rendered,
# in each process's memory for this long (Flask-Caching): at a wave opening most requests are for them.
CACHE_TYPE = "SimpleCache"
CACHE_DEFAULT_TIMEOUT = 300

# Rows per page on the ministry's lists (batches, a batch's records, returned records at the desk): at 25
# rows a page stays well within the 12 KB page budget (DESIGN.md 4).
REVIEW_PAGE_SIZE = 25

# Database connections (PostgreSQL and SQLite) are pooled (playhouse.pool) per process: at most
# DATABASE_POOL_SIZE, each thread holds one only while a request that queries runs. Keep it at gunicorn's
# threads (gunicorn.conf.py) or more, and (workers x size) + the Huey consumer's under PostgreSQL's
# max_connections (100 by default). A connection idle this long is closed rather than reused; a request waits
# this long for a free one.
DATABASE_POOL_SIZE = 16
DATABASE_POOL_STALE_SECONDS = 300
DATABASE_POOL_WAIT_SECONDS = 10
