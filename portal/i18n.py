"""gettext and lazy_gettext as the portal calls them: Flask-Babel's, with the request's catalogue found once.

Flask-Babel finds the request, its locale and its domain again for every string, through several context
lookups: with a page's dozens of labels and messages that was a tenth of its time, profiled. Here the
catalogue is kept beside the locale Flask-Babel chose (on its own per-request namespace), so a string costs a
dictionary lookup; force_locale, which swaps that locale, gets its own catalogue.
"""

from flask import g
from flask_babel import LazyString, get_translations


def catalogue():
    """The translations for the locale in force now."""
    state = g.get("_flask_babel") if g else None  # Flask-Babel's per-request namespace (no app: none)
    locale = getattr(state, "babel_locale", None)
    if locale is None:
        return get_translations()  # the first string of a request: Flask-Babel chooses the locale
    kept = getattr(state, "portal_catalogue", None)
    if kept is None or kept[0] is not locale:
        kept = state.portal_catalogue = (locale, get_translations())
    return kept[1]


def gettext(string, **variables):
    """The string in the current language, %-formatted with `variables` when there are any."""
    text = catalogue().ugettext(string)
    return text % variables if variables else text


def lazy_gettext(string, **variables):
    """A string translated when it is shown, in the language of the request that shows it."""
    return LazyString(gettext, string, **variables)
