"""The base of every form: text that cannot be shown or stored is refused at the field, never a 500."""

from flask_wtf import FlaskForm
from wtforms import StringField, TextAreaField
from wtforms.csrf.core import CSRFTokenField

from portal.forms import widgets
from portal.forms.fields import refuse_hidden, visible_text

widgets.install()


class Form(FlaskForm):
    """A FlaskForm whose text fields drop and refuse control characters, and whose CSRF token has no id."""

    class Meta:
        def bind_field(self, form, unbound_field, options):
            field = super().bind_field(form, unbound_field, options)
            if isinstance(field, CSRFTokenField):
                # A page may hold several forms; a hidden input needs no id, and two equal ids are invalid HTML.
                field.render_kw = {**(field.render_kw or {}), "id": False}
            elif isinstance(field, StringField):
                # PostgreSQL cannot store NUL, and control characters break the page they are shown on.
                keep = "\t\n\r" if isinstance(field, TextAreaField) else ""
                field.filters = (lambda value: visible_text(value, keep), *field.filters)
                field.validators = [refuse_hidden(keep), *field.validators]
            return field
