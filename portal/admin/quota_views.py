"""Quotas per province and period: how many walk-ins the ministry may ratify (administrator only)."""

from flask import abort, flash, request, url_for
from flask_login import current_user
from wtforms import SelectField, StringField, ValidationError
from wtforms.validators import InputRequired, Regexp

from portal.admin import bp
from portal.domain import DomainError
from portal.forms.base import Form
from portal.forms.fields import DateInputField, options, strip
from portal.htmx import see_other
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.models import Quota
from portal.rendering import render_page
from portal.rules.regions import describe
from portal.rules.regions import options as region_options
from portal.services import quotas

MAX_QUOTA = 10_000_000


class QuotaForm(Form):
    province = SelectField(_l("Province"), validate_choice=False)
    starts_on = DateInputField(_l("Period starts"), name_in_message=_l("start of the period"),
                               required=_l("Enter the start of the period"), example="1 1 2026",
                               description=_l("For example, 1 1 2026"))
    ends_on = DateInputField(_l("Period ends"), name_in_message=_l("end of the period"),
                             required=_l("Enter the end of the period"), example="31 12 2026",
                             description=_l("The last day included. For example, 31 12 2026"))
    amount = StringField(
        _l("Quota"), description=_l("How many walk-in records of this province may be ratified in the period"),
        filters=[strip],
        validators=[InputRequired(_l("Enter the quota")),
                    Regexp(r"^[0-9]{1,8}$", message=_l("Quota must be a whole number, like 1500"))],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.province.choices = options([("", _l("Select a province")), *region_options()])

    def validate_province(self, field):
        if field.data not in dict(region_options()):
            raise ValidationError(_l("Select a province"))

    def validate_ends_on(self, field):
        if field.data and self.starts_on.data and field.data < self.starts_on.data:
            raise ValidationError(_l("The period must end on or after the day it starts"))

    def validate_amount(self, field):
        if field.data and field.data.isdigit() and int(field.data) > MAX_QUOTA:
            raise ValidationError(_l("Quota must be %(max)s or less", max=f"{MAX_QUOTA:,}".replace(",", ".")))


def save(form, quota=None):
    """Save the form's quota; a clash with another period is shown next to the start date."""
    try:
        quotas.save_quota(current_user, form.province.data, form.starts_on.data, form.ends_on.data,
                          int(form.amount.data), quota=quota, ip=request.remote_addr)
    except DomainError as error:
        form.starts_on.errors.append(error.message)
        return False
    flash(_("Quota for %(province)s saved.", province=describe(form.province.data)), "success")
    return True


@bp.route("/kuota", methods=["GET", "POST"])
def quota_list():
    """Every quota with how much of it is used, and a form to add one."""
    form = QuotaForm()
    if form.validate_on_submit() and save(form):
        return see_other(url_for("admin.quota_list"))
    rows = [(q, quotas.used(q)) for q in Quota.select().order_by(Quota.starts_on.desc(), Quota.province_code)]
    return render_page("admin/quota_list.html", form=form, rows=rows, describe=describe)


@bp.route("/kuota/<int:quota_id>", methods=["GET", "POST"])
def quota_edit(quota_id):
    """Change a quota's period or amount."""
    quota = Quota.get_or_none(Quota.id == quota_id)
    if quota is None:
        abort(404)
    form = QuotaForm()
    if request.method == "GET":
        form.province.data, form.amount.data = quota.province_code, str(quota.amount)
        form.starts_on.process(None, quota.starts_on)
        form.ends_on.process(None, quota.ends_on)
    elif form.validate_on_submit() and save(form, quota):
        return see_other(url_for("admin.quota_list"))
    return render_page("admin/quota_edit.html", form=form, quota=quota, used=quotas.used(quota))
