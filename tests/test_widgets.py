"""The faster attribute writer for inputs (portal.forms.widgets) writes exactly what WTForms writes."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup
from wtforms.widgets import Input
from wtforms.widgets.core import html_params as wtforms_html_params

from portal.forms import widgets

keys = st.sampled_from(["name", "id", "class_", "value", "aria_describedby", "data_hx_post", "for_", "maxlength",
                        "autocomplete", "checked", "disabled", "inputmode", "spellcheck"])
values = st.one_of(st.booleans(), st.integers(), st.text(), st.text().map(Markup))


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])  # a loaded CI machine is slow, not wrong
@given(st.dictionaries(keys, values, max_size=8))
def test_inputs_get_the_attributes_wtforms_would_write(attributes):
    assert widgets.html_params(**attributes) == wtforms_html_params(**attributes)


def test_every_input_widget_uses_it(app):
    assert Input.html_params is widgets.html_params
