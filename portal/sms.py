"""Sending SMS (verification codes) through a gateway chosen by SMS_BACKEND.

- "console" (default) prints each SMS to standard output, like MAIL_BACKEND = "console" does for email.
- "http" sends it to an SMS provider's HTTP API: SMS_HTTP_URL, SMS_HTTP_METHOD (POST or GET),
  SMS_HTTP_CONTENT_TYPE (application/json or application/x-www-form-urlencoded), SMS_HTTP_BODY_TEMPLATE
  with {to} and {text} placeholders, SMS_HTTP_AUTH_HEADER ("Authorization: Bearer ...") and
  SMS_HTTP_TIMEOUT in seconds. Any answer but 2xx, or no answer, raises SmsDeliveryError and the outbox tries again.

Every translated text the portal sends is registered with sms_text(), so that one test can check that each fits
one SMS in every language. send_sms() writes the text in its reader's language, checks it and posts it to the
outbox (portal.outbox), sealed; the queue's worker calls deliver(). A text may hold a one-time code, so it is
never logged (the console backend's print is the deliberate development exception), and the number is logged
only masked.
"""

import http.client
import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

from flask import current_app
from flask_babel import LazyString, force_locale

from portal import outbox
from portal.links import external_url
from portal.rules.phone import gsm7, mask, sms_length

MAX_SEPTETS = 160  # one SMS; longer texts would be split and billed as several
E164 = re.compile(r"\+[1-9][0-9]{6,14}")
JSON = "application/json"
FORM = "application/x-www-form-urlencoded"
PLACEHOLDER = re.compile(r"\{(to|text)\}")
HEADER_NAME = re.compile(r"[!#$%&'*+.^_`|~0-9A-Za-z-]+")
TEXTS = []  # every lazily translated SMS text (English msgid), in the order the modules registered them
LINKS = {}  # id() of each registered text -> the endpoint its %(link)s leads to, or None


class SmsDeliveryError(Exception):
    """The gateway did not accept the SMS; raised inside the delivery job so that it is tried again.

    Its message never holds the text, the full number or the gateway URL (which may carry an API key).
    """


def sms_text(message, link=None):
    """Register a lazily translated SMS text (an English msgid with %(name)s placeholders); returns it. `link` is
    the endpoint of the page its %(link)s leads to: send_sms() fills it in at BASE_URL."""
    TEXTS.append(message)
    LINKS[id(message)] = link
    return message


def link_of(text):
    """The endpoint a registered text links to, or None."""
    return LINKS.get(id(text))


def written(text, language, values):
    """The text in a language (a lazy one translated, a plain one as it is), its placeholders filled with values."""
    with force_locale(language):
        text = str(text)
    return text % values if values else text


def check_text(text):
    """The text as str, or ValueError if it cannot go as one GSM-7 SMS (a programming error, not user input)."""
    text = str(text)
    if not text:
        raise ValueError("SMS text is empty")
    if not gsm7(text):
        bad = next(c for c in text if not gsm7(c))
        raise ValueError(f"SMS text must use only the GSM 03.38 alphabet; U+{ord(bad):04X} is not in it")
    length = sms_length(text)
    if length > MAX_SEPTETS:
        raise ValueError(f"SMS text is {length} septets; one SMS holds {MAX_SEPTETS}")
    return text


def send_sms(to_e164, text, kind="notice", language="id", **values):
    """Post one SMS (plain or registered text) to an E.164 number to the outbox; `kind` names its purpose.

    A registered text is written in `language` (its reader's, portal.languages), whatever language the page was
    in, then its placeholders are filled with `values`.

    ValueError if the number is not E.164, the text is lazy but not registered, or it does not fit one GSM-7 SMS.
    """
    if not isinstance(to_e164, str) or not E164.fullmatch(to_e164):
        raise ValueError(f"SMS recipient must be an E.164 number like +6281234567890, not {mask(str(to_e164))}")
    if isinstance(text, LazyString) and id(text) not in LINKS:
        # Unregistered, it would escape the test that every text fits one SMS in every language.
        raise ValueError("SMS texts are registered with sms_text() where they are defined")
    if link_of(text):
        values["link"] = external_url(link_of(text))
    text = check_text(written(text, language, values))
    outbox.post("sms", kind, to=to_e164, text=text)
    current_app.logger.info("sms queued to %s", mask(to_e164))


def deliver(to, text):
    """Hand one SMS to the configured gateway (runs in the queue's worker)."""
    gateway().send(to, text)
    current_app.logger.info("sms sent to %s", mask(to))


def gateway():
    """The gateway SMS_BACKEND names, built from the current app's settings."""
    config = current_app.config
    backend = config["SMS_BACKEND"]
    if backend == "console":
        return ConsoleGateway()
    if backend != "http":
        raise ValueError(f'SMS_BACKEND must be "console" or "http", not {backend!r}')
    headers = {"Content-Type": config["SMS_HTTP_CONTENT_TYPE"]}
    auth = config["SMS_HTTP_AUTH_HEADER"]
    if auth:
        name, colon, value = auth.partition(":")
        if not colon or not name.strip():
            raise ValueError('SMS_HTTP_AUTH_HEADER must look like "Authorization: Bearer <token>"')
        headers[name.strip()] = value.strip()
    template = config["SMS_HTTP_BODY_TEMPLATE"]
    if not isinstance(template, str):
        # PORTAL_SMS_HTTP_BODY_TEMPLATE='{"to": "{to}", ...}' arrives parsed as JSON (a dict); write it back.
        template = json.dumps(template)
    return HttpGateway(
        url=config["SMS_HTTP_URL"],
        method=config["SMS_HTTP_METHOD"],
        headers=headers,
        body_template=template,
        timeout=float(config["SMS_HTTP_TIMEOUT"]),
    )


class ConsoleGateway:
    """Development: print the SMS where the developer can read the code."""

    def send(self, to, text):
        print(f"\n----- SMS to {to}:\n{text}\n-----", file=sys.stdout, flush=True)


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is an error: urllib would turn a redirected POST into a GET without the body."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


class HttpGateway:
    """An SMS provider's HTTP API, described by URL, method, headers and a body template.

    The template's {to} and {text} are replaced by the number and text, JSON-escaped (without quotes:
    the template has them) for application/json and URL-encoded for form bodies and GET query strings.
    """

    def __init__(self, url, method="POST", headers=None, body_template='{"to": "{to}", "text": "{text}"}', timeout=10):
        self.url = url or ""
        self.method = (method or "POST").upper()
        self.headers = dict(headers or {})
        self.body_template = body_template
        self.timeout = timeout
        if urllib.parse.urlsplit(self.url).scheme not in ("http", "https"):
            raise ValueError("SMS_HTTP_URL must be an http:// or https:// URL")
        if self.method not in ("GET", "POST"):
            raise ValueError(f'SMS_HTTP_METHOD must be "POST" or "GET", not {self.method!r}')
        for placeholder in ("{to}", "{text}"):
            if placeholder not in body_template:
                raise ValueError(f"SMS_HTTP_BODY_TEMPLATE must contain {placeholder}")
        for name, value in self.headers.items():
            # Checked here so that http.client never echoes a bad (perhaps secret) value in an exception.
            if not HEADER_NAME.fullmatch(name) or re.search(r"[\r\n\0]", str(value)):
                raise ValueError(f"SMS HTTP header {name!r} has a character headers cannot hold")
        content_type = self.content_type()
        if self.method == "GET":
            self.headers = {k: v for k, v in self.headers.items() if k.lower() != "content-type"}
            if re.search(r"[\s\"{}<>]", PLACEHOLDER.sub("", body_template)):
                raise ValueError(
                    "with SMS_HTTP_METHOD GET, SMS_HTTP_BODY_TEMPLATE is a query string like to={to}&text={text}"
                )
        elif content_type not in (JSON, FORM):
            raise ValueError(f"SMS_HTTP_CONTENT_TYPE must be {JSON} or {FORM}, not {content_type!r}")

    def content_type(self):
        value = next((v for k, v in self.headers.items() if k.lower() == "content-type"), JSON)
        return value.split(";")[0].strip().lower()

    def escape(self, value):
        if self.method == "POST" and self.content_type() == JSON:
            return json.dumps(value)[1:-1]
        return urllib.parse.quote_plus(value, safe="")

    def render(self, to, text):
        """The template with the placeholders filled in, in one pass (so a text holding "{to}" stays as it is)."""
        values = {"to": self.escape(to), "text": self.escape(text)}
        return PLACEHOLDER.sub(lambda match: values[match.group(1)], self.body_template)

    def request(self, to, text):
        rendered = self.render(to, text)
        if self.method == "GET":
            url = self.url + ("&" if "?" in self.url else "?") + rendered
            return urllib.request.Request(url, headers=self.headers, method="GET")
        return urllib.request.Request(self.url, data=rendered.encode("utf-8"), headers=self.headers, method="POST")

    def send(self, to, text):
        opener = urllib.request.build_opener(_NoRedirect)
        try:
            with opener.open(self.request(to, text), timeout=self.timeout) as response:
                response.read()
        except urllib.error.HTTPError as exc:
            exc.close()
            raise SmsDeliveryError(f"SMS gateway answered HTTP {exc.code}") from None
        except urllib.error.URLError as exc:
            raise SmsDeliveryError(f"SMS gateway unreachable: {exc.reason}") from None
        except (OSError, http.client.HTTPException) as exc:
            # Only the class name: http.client's messages may quote the URL, and the URL may hold the text.
            raise SmsDeliveryError(f"SMS gateway connection failed: {type(exc).__name__}") from None
