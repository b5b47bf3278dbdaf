"""Rendering a page, or one named block of a template (htmx fragments, email parts)."""

from datetime import datetime, timezone
from functools import lru_cache

from babel import dates
from flask import current_app, render_template
from flask_babel import format_date, format_datetime, get_locale, get_timezone
from jinja2 import pass_context
from markupsafe import Markup

from portal import choices
from portal.i18n import catalogue
from portal.rules import regions
from portal.rules.voice import voiced
from portal.units import duration, file_size


def render_page(template_name, status=200, **context):
    """Render a page; it extends `layout`, so htmx gets the partial and browsers the document."""
    return render_template(template_name, **context), status


def render_block(template_name, block, **context):
    """Render one block of a template with the normal template context."""
    env = current_app.jinja_env
    template = env.get_template(template_name)
    current_app.update_template_context(context)
    # Pages get the form macros from their layout; a lone block needs them handed in.
    context.setdefault("forms", env.get_template("macros/forms.html").module)
    return "".join(template.blocks[block](template.new_context(context)))


# Indonesia's zones as people write them after a time; any other zone by its name.
ZONE_NAMES = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


def zone_name(zone=None):
    """The zone the portal shows times in (or `zone`), as written after a time: "WIB"."""
    zone = str(zone or get_timezone())
    return ZONE_NAMES.get(zone, zone)


def clock(epoch):
    """Epoch seconds as the local time of day with its zone, e.g. "14:05 WIB": the one way a time is shown."""
    return _clock(int(epoch) // 60, get_locale(), get_timezone())


@lru_cache(maxsize=1024)
def _clock(minute, locale, zone):
    # Every signed-in page shows when its session ends; within a minute, and for everyone, that reads the same.
    moment = datetime.fromtimestamp(minute * 60, tz=timezone.utc)
    return f'{dates.format_time(moment, "HH:mm", tzinfo=zone, locale=locale)} {zone_name(zone)}'


def clock_utc(value):
    """A naive UTC datetime from the database as the local time of day."""
    return clock(value.replace(tzinfo=timezone.utc).timestamp())


def datetime_utc(value):
    """A naive UTC datetime from the database as local date and time with its zone, e.g. "5 Des 2026 14:05 WIB"."""
    return f'{format_datetime(value.replace(tzinfo=timezone.utc), "d MMM yyyy HH:mm")} {zone_name()}'


def address_line(address, postal_code=True):
    """An address as one line, the way a KTP writes it: "Jl. Mawar 3, RT 003/RW 011, Pondok Rajeg, Cibinong,
    Kabupaten Bogor, Jawa Barat 16914"; parts not given are left out."""
    neighbourhood = "/".join(f"{name} {number.zfill(3)}" for name, number in (("RT", address.rt), ("RW", address.rw))
                             if number)
    parts = [address.street, neighbourhood, regions.describe(address.region_code)]
    line = ", ".join(part for part in parts if part)
    return f"{line} {address.postal_code}" if postal_code and address.postal_code else line


def date_long(value):
    """A date as people write it: "5 Desember 1990"."""
    return format_date(value, "d MMMM yyyy") if value else ""


def init_app(app):
    """Jinja settings, and the filters and globals templates use."""
    env = app.jinja_env
    env.trim_blocks = env.lstrip_blocks = True
    env.filters.update(address_line=address_line, clock=clock, clock_utc=clock_utc, date_long=date_long,
                       datetime_utc=datetime_utc,
                       duration=duration, file_size=file_size,
                       choice_label=lambda key, options: choices.label(options, key))
    env.globals.update(choices=choices, regions=regions, voiced=voiced)


def translators():
    """gettext and ngettext for templates, bound to this request's catalogue once rather than looked up again
    on every string (Flask-Babel's own callables find the request, locale and domain each time: a fifth of
    a page's time, profiled). Same behaviour as Jinja's new-style gettext: escaped, then %-formatted."""
    translations = catalogue()

    @pass_context
    def gettext(context, string, **variables):
        text = translations.ugettext(string)
        if context.eval_ctx.autoescape:
            text = Markup(text)
        # Most strings have no placeholder: formatting them would only cost time (a page has dozens).
        return text % variables if variables or "%" in text else text

    @pass_context
    def ngettext(context, singular, plural, num, **variables):
        variables.setdefault("num", num)
        text = translations.ungettext(singular, plural, num)
        return (Markup(text) if context.eval_ctx.autoescape else text) % variables

    return {"gettext": gettext, "ngettext": ngettext}
