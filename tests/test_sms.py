"""SMS: mobile number rules, the GSM-7 alphabet, and delivery through a real local HTTP gateway."""

import importlib
import json
import logging
import pkgutil
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest
from flask_babel import force_locale

import portal
from portal.i18n import lazy_gettext as _l
from portal.jobs import huey
from portal.links import MAX_BASE_URL_LENGTH, external_url
from portal.rules import status
from portal.rules.phone import check_mobile, gsm7, mask, sms_length
from portal.services import notices
from portal.sms import (
    MAX_SEPTETS,
    TEXTS,
    ConsoleGateway,
    HttpGateway,
    SmsDeliveryError,
    deliver,
    gateway,
    link_of,
    send_sms,
    written,
)

NUMBER = "+6281234567890"
MASKED = "+62 812-****-7890"
TEXT = 'Kode verifikasi Prakerja: 482913. Jangan berikan kode ini kepada siapa pun, termasuk "petugas".'
CODE = "482913"
TOKEN = "rahasia-gateway-123"


@pytest.fixture
def sms_gateway(sms):
    return sms


@pytest.fixture
def app_config(app_config, sms_gateway, monkeypatch):
    """Every app in this module sends SMS to the local gateway; a test may change app.config afterwards."""
    for name in ("http_proxy", "HTTP_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)  # 127.0.0.1 must not go through a proxy
    app_config.update(
        {
            "SMS_BACKEND": "http",
            "SMS_HTTP_URL": sms_gateway.url,
            "SMS_HTTP_AUTH_HEADER": f"Authorization: Bearer {TOKEN}",
            "SMS_HTTP_TIMEOUT": 5,
        }
    )
    return app_config


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


@pytest.fixture
def queue(app):
    """Huey's in-memory immediate-mode storage, empty before and after."""
    assert huey.immediate  # never flush a real queue
    huey.flush()
    yield huey
    huey.flush()


@pytest.fixture
def logs(caplog):
    caplog.set_level(logging.INFO)
    return caplog


def assert_no_secrets(caplog, text=TEXT):
    """Neither the text, nor its code, nor the full number reaches any logger (Flask's, Huey's, urllib's)."""
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    for secret in (text, CODE, NUMBER, NUMBER[1:], "81234567890", TOKEN):
        assert secret not in logged


def test_http_backend_posts_json_with_the_number_text_and_auth_header(ctx, sms_gateway, queue, logs):
    send_sms(NUMBER, TEXT)

    [request] = sms_gateway.requests
    assert request["method"] == "POST" and request["path"] == "/api/sms"
    assert request["headers"]["Content-Type"] == "application/json"
    assert request["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert json.loads(request["body"]) == {"to": NUMBER, "text": TEXT}
    messages = [r.getMessage() for r in logs.records if r.name == ctx.logger.name]
    assert messages == [f"sms sent to {MASKED}", f"sms queued to {MASKED}"]  # immediate mode: sent inside send_sms
    assert all(r.levelno == logging.INFO for r in logs.records if r.name == ctx.logger.name)
    assert_no_secrets(logs)


def test_json_escaping_keeps_quotes_backslashes_newlines_and_placeholders_in_the_text(ctx, sms_gateway):
    text = 'Kode "123456"\nC:\\ {to} {text} é €'
    gateway().send(NUMBER, text)
    assert json.loads(sms_gateway.requests[0]["body"]) == {"to": NUMBER, "text": text}


def test_a_template_from_a_json_environment_variable_still_works(ctx, sms_gateway):
    # PORTAL_SMS_HTTP_BODY_TEMPLATE='{"msisdn": "{to}", "message": "{text}"}' reaches the config as a dict.
    ctx.config["SMS_HTTP_BODY_TEMPLATE"] = {"msisdn": "{to}", "message": "{text}", "sender": "PRAKERJA"}
    gateway().send(NUMBER, TEXT)
    assert json.loads(sms_gateway.requests[0]["body"]) == {"msisdn": NUMBER, "message": TEXT, "sender": "PRAKERJA"}


def test_http_backend_posts_a_form(ctx, sms_gateway):
    ctx.config["SMS_HTTP_CONTENT_TYPE"] = "application/x-www-form-urlencoded"
    ctx.config["SMS_HTTP_BODY_TEMPLATE"] = "userkey=abc&to={to}&message={text}"
    text = "Kode: 123456 & +62 = 100% {to}"
    send_sms(NUMBER, text)

    [request] = sms_gateway.requests
    assert request["method"] == "POST"
    assert request["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    assert request["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert parse_qs(request["body"], strict_parsing=True) == {"userkey": ["abc"], "to": [NUMBER], "message": [text]}


def test_http_backend_gets_with_the_template_as_query_string(ctx, sms_gateway):
    ctx.config["SMS_HTTP_METHOD"] = "GET"
    ctx.config["SMS_HTTP_URL"] = sms_gateway.url + "?apikey=k1"
    ctx.config["SMS_HTTP_BODY_TEMPLATE"] = "to={to}&text={text}"
    send_sms(NUMBER, TEXT)

    [request] = sms_gateway.requests
    url = urlsplit(request["path"])
    assert request["method"] == "GET" and url.path == "/api/sms" and request["body"] == ""
    assert parse_qs(url.query, strict_parsing=True) == {"apikey": ["k1"], "to": [NUMBER], "text": [TEXT]}
    assert request["headers"]["Authorization"] == f"Bearer {TOKEN}"
    assert "Content-Type" not in request["headers"]


def test_a_500_raises_sms_delivery_error_without_the_text(ctx, sms_gateway):
    sms_gateway.fail(1)
    with pytest.raises(SmsDeliveryError, match="HTTP 500") as error:
        gateway().send(NUMBER, TEXT)
    assert CODE not in str(error.value) and NUMBER not in str(error.value)
    assert len(sms_gateway.requests) == 1


def test_an_unreachable_gateway_raises_sms_delivery_error(ctx):
    from conftest import free_port

    ctx.config["SMS_HTTP_URL"] = f"http://127.0.0.1:{free_port()}/api/sms"
    with pytest.raises(SmsDeliveryError, match="unreachable"):
        gateway().send(NUMBER, TEXT)


def test_a_redirect_is_not_followed(ctx, sms_gateway):
    class Redirect(BaseHTTPRequestHandler):
        def do_POST(self):
            self.send_response(302)
            self.send_header("Location", sms_gateway.url)
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, format, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        ctx.config["SMS_HTTP_URL"] = f"http://127.0.0.1:{server.server_address[1]}/old"
        with pytest.raises(SmsDeliveryError, match="HTTP 302"):
            gateway().send(NUMBER, TEXT)
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
    assert sms_gateway.requests == []


def test_a_failed_delivery_is_retried_by_huey_and_then_delivered(ctx, sms_gateway, queue, logs):
    """Huey 3.5's immediate mode runs the task inline, but a failure does not propagate and is not retried
    inline: Huey logs it and puts the task on its schedule, OUTBOX_RETRY_DELAY later, with one retry fewer.
    No consumer runs that schedule in tests, so this test does what the consumer's scheduler would do."""
    sms_gateway.fail(1)
    send_sms(NUMBER, TEXT)  # no exception reaches the caller: the form that asked for a code still answers

    assert len(sms_gateway.requests) == 1
    [retry] = queue.scheduled()
    assert retry.name == "deliver_message" and retry.retries == 4 and retry.retry_delay == 30
    assert [r.levelname for r in logs.records if r.name == "huey" and r.exc_info] == ["ERROR"]

    [due] = queue.read_schedule(retry.eta)  # what the consumer takes off the schedule once the delay is over
    queue.execute(due, timestamp=retry.eta)

    assert len(sms_gateway.requests) == 2
    assert json.loads(sms_gateway.requests[1]["body"]) == {"to": NUMBER, "text": TEXT}
    assert queue.scheduled() == []
    assert f"sms sent to {MASKED}" in [r.getMessage() for r in logs.records]
    assert_no_secrets(logs)  # including Huey's traceback of the failed attempt


def test_delivery_itself_raises_so_that_huey_retries(ctx, sms_gateway):
    sms_gateway.fail(1)
    with pytest.raises(SmsDeliveryError):
        deliver(NUMBER, TEXT)
    deliver(NUMBER, TEXT)
    assert len(sms_gateway.requests) == 2


def test_huey_gives_up_after_five_retries(ctx, sms_gateway, queue):
    sms_gateway.fail(100)
    send_sms(NUMBER, TEXT)
    for _ in range(5):
        [retry] = queue.scheduled()
        [due] = queue.read_schedule(retry.eta)
        queue.execute(due, timestamp=retry.eta)
    assert queue.scheduled() == [] and len(sms_gateway.requests) == 6


def test_console_backend_prints_the_sms(ctx, sms_gateway, capsys, logs):
    ctx.config["SMS_BACKEND"] = "console"
    send_sms(NUMBER, TEXT)
    assert f"----- SMS to {NUMBER}:\n{TEXT}\n-----\n" in capsys.readouterr().out
    assert sms_gateway.requests == []
    assert_no_secrets(logs)
    assert isinstance(gateway(), ConsoleGateway)


@pytest.mark.parametrize(
    "text, problem",
    [
        ("a" * 161, "161 septets"),
        ("Kode 123456 " + "x" * 148 + "€", "162 septets"),  # € takes 2
        ("a" * 159 + "[", "161 septets"),
        ("€" * 81, "162 septets"),
        ("Kode Anda 123456 🙂", "U\\+1F642"),
        ("Kode Anda: 123456 — jangan dibagikan", "U\\+2014"),  # an em dash is not GSM
        ("Kode “123456”", "U\\+201C"),  # nor are curly quotes
        ("", "empty"),
    ],
)
def test_texts_that_do_not_fit_one_gsm_sms_are_refused(ctx, sms_gateway, text, problem):
    with pytest.raises(ValueError, match=problem):
        send_sms(NUMBER, text)
    assert sms_gateway.requests == []


@pytest.mark.parametrize("text", ["a" * 160, "€" * 80, "a" * 158 + "~", "Kode Anda: 123456. Berlaku 10 menit."])
def test_texts_up_to_160_septets_are_sent(ctx, sms_gateway, text):
    send_sms(NUMBER, text)
    assert json.loads(sms_gateway.requests[0]["body"])["text"] == text


@pytest.mark.parametrize("to", ["081234567890", "6281234567890", "+62 812 3456 7890", "", None])
def test_the_number_must_already_be_e164(ctx, sms_gateway, to):
    with pytest.raises(ValueError, match="E.164"):
        send_sms(to, TEXT)
    assert sms_gateway.requests == []


def every_sms_text():
    """Every SMS text the portal registers: each of its modules imported, so each has registered its own."""
    for module in pkgutil.walk_packages(portal.__path__, "portal."):
        importlib.import_module(module.name)
    return TEXTS


def longest_values(app, text, language):
    """The longest value each placeholder of an SMS text is filled with, in a language."""
    # Its link at the longest public address the portal starts with (portal.links.MAX_BASE_URL_LENGTH).
    app.config["BASE_URL"] = "https://" + "p" * (MAX_BASE_URL_LENGTH - len("https://") - len(".id")) + ".id"
    with force_locale(language):
        labels = [str(status.label(to)) for to in notices.NOTIFIED]
    # A status notice's reason is left out when it would not fit (portal.services.notices), so "" is its worst.
    return {"code": "000000", "minutes": app.config["OTP_VALID_MINUTES"], "reference": "PK-XXXX-XXXX", "number": 999,
            "status": max(labels, key=len), "reason": "",
            **({"link": external_url(link_of(text))} if link_of(text) else {})}


def test_every_sms_text_fits_one_sms_in_every_language_and_is_translated(ctx):
    texts = every_sms_text()
    assert len(texts) >= 10  # the code, claim code, application sent, status, dispute, 2 letter and 3 wave texts
    for text in texts:
        seen = {}
        for language in ctx.config["LANGUAGES"]:
            placeholders = set(re.findall(r"%\((\w+)\)", written(text, language, None)))
            values = {name: value for name, value in longest_values(ctx, text, language).items()
                      if name in placeholders}
            # A link is registered with its text (sms_text(..., link=endpoint)); send_sms() fills it in.
            assert placeholders == set(values), f"give the longest value of {placeholders - set(values)} here"
            seen[language] = written(text, language, values)
            assert gsm7(seen[language]), seen[language]
            assert sms_length(seen[language]) <= MAX_SEPTETS, seen[language]
        # An English msgid with an Indonesian translation: one written alike in both languages is neither.
        assert seen["en"] != seen["id"], seen["en"]


def test_a_translated_text_must_be_registered_to_be_sent(ctx, sms_gateway):
    with pytest.raises(ValueError, match="sms_text"):
        send_sms(NUMBER, _l("Your Prakerja code: %(code)s."), code=CODE)
    assert sms_gateway.requests == []


def test_gsm7_alphabet_and_septet_counts():
    basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./09:;<=>?¡AZÄÖÑÜ§¿azäöñüà"
    assert gsm7(basic) and sms_length(basic) == len(basic)
    extension = "\f^{}\\[~]|€"
    assert gsm7(extension) and sms_length(extension) == 2 * len(extension)
    assert gsm7("") and sms_length("") == 0
    for other in ("\x1b", "`", "ç", "á", "ā", "ł", "🙂", "\t", "\u00a0", "“", "—", "\u2126"):  # U+2126 is the Ohm sign
        assert not gsm7(other), repr(other)
        with pytest.raises(ValueError):
            sms_length(other)
    assert gsm7("\u03a9")  # the Greek capital omega is in the basic set


@pytest.mark.parametrize(
    "typed, e164",
    [
        ("0812-3456-7890", NUMBER),
        ("0812 3456 7890", NUMBER),
        ("081234567890", NUMBER),
        ("+62 812 3456 7890", NUMBER),
        ("+6281234567890", NUMBER),
        ("+62-812-3456-7890", NUMBER),
        ("6281234567890", NUMBER),
        ("62 812 3456 7890", NUMBER),
        ("(0812) 3456 7890", NUMBER),
        ("(0812) 3456-7890", NUMBER),
        ("+62 (0)812 3456 7890", NUMBER),  # the trunk 0 kept after +62
        ("0812.3456.7890", NUMBER),
        ("0062 812 3456 7890", NUMBER),  # international call prefix
        ("  0812 3456 7890  ", NUMBER),
        ("0812\u00a03456\u00a07890", NUMBER),  # non-breaking spaces
        ("0812–3456–7890", NUMBER),  # en dashes
        ("\u202a+62 812-3456-7890\u202c", NUMBER),  # as copied from Android contacts
        ("\uff10\uff18\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19\uff10", NUMBER),  # full-width
        ("0812-3456-789", "+628123456789"),  # 10 digits
        ("0812-3456-78901", "+6281234567890" + "1"),  # 13 digits
        ("0857 1234 5678", "+6285712345678"),  # Indosat
        ("0896-1234-5678", "+6289612345678"),  # Tri
        ("0881 2345 6789", "+6288123456789"),  # Smartfren
    ],
)
def test_every_usual_spelling_of_a_mobile_number_is_read(english, typed, e164):
    assert check_mobile(typed) == (e164, None)


@pytest.mark.parametrize(
    "typed, message",
    [
        ("", "Enter your mobile number"),
        ("   ", "Enter your mobile number"),
        (None, "Enter your mobile number"),
        ("021-5551234", "Enter a mobile number, not a landline: we send the code by SMS"),
        ("(021) 555 1234", "Enter a mobile number, not a landline: we send the code by SMS"),
        ("+62 21 5551234", "Enter a mobile number, not a landline: we send the code by SMS"),
        ("0274 512345", "Enter a mobile number, not a landline: we send the code by SMS"),
        ("+1 415 555 2671", "Enter an Indonesian mobile number, starting 08 or +62"),
        ("+60 12 345 6789", "Enter an Indonesian mobile number, starting 08 or +62"),
        ("+65 8123 4567", "Enter an Indonesian mobile number, starting 08 or +62"),
        ("0060 12 345 6789", "Enter an Indonesian mobile number, starting 08 or +62"),
        ("1 415 555 2671", "Enter an Indonesian mobile number, starting 08 or +62"),
        ("0112345678", "Enter an Indonesian mobile number, starting 08 or +62"),
        ("+62", "Enter an Indonesian mobile number, starting 08 or +62"),
        ("08123", "Mobile number must be 10 to 13 digits, starting 08"),
        ("081234567", "Mobile number must be 10 to 13 digits, starting 08"),  # 9 digits
        ("08123456789012", "Mobile number must be 10 to 13 digits, starting 08"),  # 14 digits
        ("0812345678901234", "Mobile number must be 10 to 13 digits, starting 08"),  # 16: a NIK in the wrong box
        ("+62 812 345", "Mobile number must be 10 to 13 digits, starting 08"),
        ("6281234", "Mobile number must be 10 to 13 digits, starting 08"),
        ("0812abc7890", "Mobile number must only include numbers, spaces, dashes and +"),
        ("0812 3456 789O", "Mobile number must only include numbers, spaces, dashes and +"),  # letter O
        ("0812/3456/7890", "Mobile number must only include numbers, spaces, dashes and +"),
        ("0812+3456+7890", "Mobile number must only include numbers, spaces, dashes and +"),
        ("ani@contoh.id", "Mobile number must only include numbers, spaces, dashes and +"),
    ],
)
def test_each_mistake_gets_its_own_instruction(english, typed, message):
    e164, problem = check_mobile(typed)
    assert e164 is None and str(problem) == message


@pytest.mark.parametrize(
    "e164, shown",
    [
        (NUMBER, MASKED),
        ("+628123456789", "+62 812-****-6789"),
        ("+62812345678901", "+62 812-****-8901"),
        ("+6285712345678", "+62 857-****-5678"),
        ("", ""),
        (None, ""),
        ("+62812", "****"),
        ("+14155552671", "****2671"),
    ],
)
def test_mask_keeps_the_country_the_first_3_and_the_last_4_digits(e164, shown):
    assert mask(e164) == shown


def test_http_gateway_refuses_settings_that_cannot_work():
    url = "http://127.0.0.1:9/api"
    with pytest.raises(ValueError, match="SMS_HTTP_URL"):
        HttpGateway("", "POST", {}, '{"to": "{to}", "text": "{text}"}', 5)
    with pytest.raises(ValueError, match="SMS_HTTP_URL"):
        HttpGateway("file:///etc/passwd", "POST", {}, '{"to": "{to}", "text": "{text}"}', 5)
    with pytest.raises(ValueError, match="SMS_HTTP_METHOD"):
        HttpGateway(url, "DELETE", {}, '{"to": "{to}", "text": "{text}"}', 5)
    with pytest.raises(ValueError, match=r"\{text\}"):
        HttpGateway(url, "POST", {}, '{"to": "{to}"}', 5)
    with pytest.raises(ValueError, match="query string"):
        HttpGateway(url, "GET", {}, '{"to": "{to}", "text": "{text}"}', 5)
    with pytest.raises(ValueError, match="SMS_HTTP_CONTENT_TYPE"):
        HttpGateway(url, "POST", {"Content-Type": "text/xml"}, "<to>{to}</to><text>{text}</text>", 5)
    with pytest.raises(ValueError, match="'Authorization'") as error:
        HttpGateway(url, "POST", {"Authorization": "Bearer x\r\nX-Evil: 1"}, "to={to}&text={text}", 5)
    assert "Bearer" not in str(error.value)


def test_a_malformed_auth_header_setting_is_refused(ctx):
    ctx.config["SMS_HTTP_AUTH_HEADER"] = "Bearer xyz"
    with pytest.raises(ValueError, match="SMS_HTTP_AUTH_HEADER"):
        gateway()


def test_an_unknown_backend_is_refused(ctx):
    ctx.config["SMS_BACKEND"] = "twilio"
    with pytest.raises(ValueError, match="SMS_BACKEND"):
        gateway()
