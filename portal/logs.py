"""Keeping secrets out of logs: email-link tokens appear in request lines, so they are masked."""

import logging
import re

TOKEN_PATH = re.compile(r"(/(?:verifikasi|atur-sandi)/)[^\s?\"]+")


def redact(text):
    return TOKEN_PATH.sub(r"\1[disembunyikan]", text)


class RedactTokens(logging.Filter):
    """Rewrites a log record so that no email-link token is written out."""

    def filter(self, record):
        record.msg = redact(str(record.msg))
        if isinstance(record.args, dict):  # gunicorn's access log passes its atoms as a dict
            record.args = {k: redact(v) if isinstance(v, str) else v for k, v in record.args.items()}
        elif record.args:
            record.args = tuple(redact(a) if isinstance(a, str) else a for a in record.args)
        return True


def install():
    """Attach the filter to the loggers that print request lines."""
    for name in ("werkzeug", "gunicorn.access"):
        logger = logging.getLogger(name)
        if not any(isinstance(f, RedactTokens) for f in logger.filters):
            logger.addFilter(RedactTokens())
