"""The Prakerja registration portal: application factory."""

import os
from functools import lru_cache

from babel import Locale
from flask import Flask, current_app, request
from flask_babel import get_locale
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import assets, database, logs, outbox, rendering, sessions
from portal.errors import register_error_handlers
from portal.extensions import babel, cache, compress, csrf, limiter, login_manager, mail
from portal.htmx import add_vary, layout
from portal.jobs import huey
from portal.links import base_url_problem
from portal.security import SessionInterface, body_limit, secure_headers

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The development server's address: links point there under `flask run --debug` and in tests.
DEV_BASE_URL = "http://127.0.0.1:5000"


def create_app(test_config=None):
    """Build the app: defaults, then instance/config.py, then PORTAL_* variables, then test settings."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder=os.path.join(ROOT, "templates"),
        static_folder=assets.BUILD,
    )
    app.config.from_object("portal.config")
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("PORTAL")
    if test_config:
        app.config.update(test_config)
    check_secret_key(app)
    check_base_url(app)
    os.makedirs(app.instance_path, exist_ok=True)

    rendering.init_app(app)
    app.session_interface = SessionInterface()
    app.url_map.converters["int"] = database.RowIdConverter
    if app.config["PROXY_COUNT"]:
        n = app.config["PROXY_COUNT"]
        # X-Forwarded-Host only when the proxy is known to set it; links never use it (BASE_URL does).
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n if app.config["PROXY_TRUST_HOST"] else 0)

    logs.install()
    # First of the after_request hooks, so it runs last: it compresses the page every other hook finished.
    compress.init_app(app)
    app.before_request(body_limit)  # before CSRFProtect reads the body
    database.init_app(app)
    outbox.init_app(app)
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    login_manager.init_app(app)
    mail.init_app(app)
    cache.init_app(app)
    limiter.init_app(app)
    sessions.init_app(app)
    huey.immediate = app.config["HUEY_IMMEDIATE"]

    register_blueprints(app)
    register_error_handlers(app)
    skip_limiter_middleware(app)

    app.after_request(secure_headers)
    app.after_request(add_vary)
    app.context_processor(template_globals)

    from portal.cli import register_commands

    register_commands(app)
    # Outermost: static files are answered before the app (and its database) is touched.
    assets.init_app(app)
    return app


def register_blueprints(app):
    """Each audience's blueprint; a package's view modules are imported so their routes join its bp."""
    from portal import admin, applicant, desk, ministry, pmo, staff, tracking
    from portal.admin import quota_views, views  # noqa: F401
    from portal.applicant import ktp_views, personal_views, phone_views, photo_views, review_views, tasks_views  # noqa: F401
    from portal.applicant import letter_views  # noqa: F401
    from portal.applicant import wave_views  # noqa: F401
    from portal.pmo import wave_views as pmo_wave_views  # noqa: F401
    from portal.auth.views import bp as auth_bp
    from portal.main import village_views  # noqa: F401
    from portal.desk import batch_views, document_views  # noqa: F401
    from portal.desk import returned_views  # noqa: F401
    from portal.ministry import batch_views as ministry_batch_views, decree_views  # noqa: F401
    from portal.main.views import bp as main_bp
    from portal.desk import dispute_views, phone_views, record_views, walkin_views  # noqa: F401
    from portal.pmo import letter_views as pmo_letter_views  # noqa: F401
    from portal.staff import home_views, setup_views, signin_views  # noqa: F401
    from portal.pmo import confirm_views, dispute_views  # noqa: F401
    from portal.tracking import claim_views, status_views  # noqa: F401

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(applicant.bp)
    app.register_blueprint(staff.bp)
    app.register_blueprint(admin.bp)
    app.register_blueprint(desk.bp)
    app.register_blueprint(ministry.bp)
    app.register_blueprint(pmo.bp)
    app.register_blueprint(tracking.bp)


def skip_limiter_middleware(app):
    """Flask-Limiter checks every request in a before_request hook, for limits that apply to all routes; the
    portal has none (its decorated views check their own limits when they are called, and portal.throttle
    counts the rest), so the hook only costs time: about 15 % of a simple page's, profiled. It stays
    whenever a default, application-wide or blueprint limit is configured."""
    manager = limiter.limit_manager
    if manager.default_limits or manager.application_limits or getattr(manager, "_blueprint_limits", True):
        return
    hooks = app.before_request_funcs.get(None, [])
    app.before_request_funcs[None] = [hook for hook in hooks if hook != limiter._check_request_limit]


def check_secret_key(app):
    """Refuse to start in production with the development key."""
    if app.config["SECRET_KEY"] in ("", "dev") and not (app.debug or app.testing):
        raise SystemExit(
            "SECRET_KEY is not set. Put SECRET_KEY = '<random>' in instance/config.py "
            "or set PORTAL_SECRET_KEY (make run creates one for you)."
        )


def check_base_url(app):
    """Refuse to start in production without the public address that emailed links point to."""
    url = app.config["BASE_URL"]
    if not url and (app.debug or app.testing):
        app.config["BASE_URL"] = DEV_BASE_URL
        return
    if not url:
        raise SystemExit(
            "BASE_URL is not set. Put BASE_URL = 'https://<the portal's public address>' in instance/config.py "
            "or set PORTAL_BASE_URL: every link in emails and SMS is built on it (make run writes one for you)."
        )
    problem = base_url_problem(url)
    if problem:
        raise SystemExit(f"BASE_URL {url!r} cannot be used: {problem}.")


def select_locale():
    """The language the visitor chose, else their browser's preference, else Indonesian."""
    languages = current_app.config["LANGUAGES"]
    chosen = request.cookies.get("lang")
    if chosen not in languages:
        chosen = request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]
    return parsed_locale(chosen)


@lru_cache(maxsize=None)
def parsed_locale(code):
    """The babel Locale for a code, parsed once: Flask-Babel parses a code on every request, and parsing looks
    for the locale's data file on disk (a tenth of a cached page's time under gunicorn, profiled)."""
    return Locale.parse(code)


def template_globals():
    """Values every template may use."""
    return {"layout": layout(), "locale": str(get_locale()), "session_expires": sessions.expires_at,
            "session_seconds_left": sessions.seconds_left, "staff_session": sessions.is_staff_session,
            "session_login_endpoint": sessions.login_endpoint, **rendering.translators()}
