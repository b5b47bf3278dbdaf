"""The walk-in paper form as an officer keys it: the online wizard's forms composed on one page, in the
paper form's order (DESIGN.md 2.2), plus the officer's two ticks. Nothing is redefined here: the fields,
validators and rule functions are the applicant's, shown in the staff voice (portal.rules.voice)."""

from types import SimpleNamespace

from wtforms import BooleanField, EmailField, FormField, RadioField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, InputRequired, Length, Optional

from portal.forms.base import Form
from portal.forms.contact import PhoneForm
from portal.forms.fields import name_field, options, strip
from portal.forms.ktp import KtpForm
from portal.forms.personal import AddressForm, DeclarationsForm, DomicileForm, NameForm, WorkForm
from portal.i18n import lazy_gettext as _l
from portal.rules import names, status
from portal.services.intake import KTP_NOT_SEEN

# The paper form's order: the error summary and the page follow it.
ORDER = ("nik", "birth_date", "kk_number", "full_name", "birth_place", "contact_email", "phone", "ktp_address",
         "domicile_same", "domicile_address", "education", "employment", "not_in_education", "not_excluded", "aid",
         "training_field", "ktp_seen", "statement_signed")


class AddressPart(AddressForm):
    """The applicant's address form inside the walk-in form (one CSRF token for the whole page)."""

    class Meta:
        csrf = False


class WalkinForm(KtpForm, NameForm, PhoneForm, DomicileForm, WorkForm, DeclarationsForm):
    """Every answer of the paper form, checked by the applicant forms' own validators and rules."""

    contact_email = EmailField(
        _l("Email address (optional)"),
        description=_l("Only if the applicant has one and wants messages by email"),
        filters=[strip],
        validators=[Optional(), Length(max=254, message=_l("Email address must be %(max)d characters or fewer")),
                    Email(_l("Enter an email address in the correct format, like nama@contoh.com"),
                          check_deliverability=False)],
        render_kw={"autocomplete": "off", "spellcheck": "false", "autocapitalize": "none"},
    )
    ktp_address = FormField(AddressPart, label=_l("Address on the KTP"))
    domicile_address = FormField(AddressPart, label=_l("Where the applicant lives now"))
    ktp_seen = BooleanField(_l("I have seen the applicant's original e-KTP"), validators=[DataRequired(KTP_NOT_SEEN)])
    statement_signed = BooleanField(_l("The applicant has signed the applicant statement (pernyataan pendaftar)"))

    def __iter__(self):
        """Fields in the paper form's order, the addresses' own fields in place (for the error summary)."""
        for name in ("csrf_token", *ORDER):
            if name not in self._fields:
                continue
            field = self._fields[name]
            if isinstance(field, FormField):
                yield from field.form
            else:
                yield field

    def fill_regions(self, changed=None):
        """Offer each address's region lists; `changed` ("ktp" or "domicile") was just refined."""
        self.ktp_address.form.fill_region_choices(region_changed=changed == "ktp")
        self.domicile_address.form.fill_region_choices(region_changed=changed == "domicile")

    def validate(self, extra_validators=None):
        """Check every field; the domicile address only when the applicant lives elsewhere."""
        super().validate(extra_validators)
        if self.domicile_same.data != "no":
            for field in self.domicile_address.form:
                field.errors = []
        return not any(field.errors for field in self if field.name != "csrf_token") and not self.form_errors

    def answers(self):
        """The answers as portal.services.intake takes them."""
        def address(part):
            return {"region_code": part.region_code(), "street": part.street.data, "rt": part.rt.data,
                    "rw": part.rw.data, "postal_code": part.postal_code.data}

        same = {"yes": True, "no": False}.get(self.domicile_same.data)
        return {
            "nik": self.nik.data, "birth_date": self.birth_date.data, "kk_number": self.kk_number.data,
            "full_name": self.full_name.data, "birth_place": self.birth_place.data,
            "contact_email": self.contact_email.data, "phone": self.phone.data,
            "ktp_address": address(self.ktp_address.form), "domicile_same": same,
            "domicile_address": address(self.domicile_address.form) if same is False else None,
            "education": self.education.data, "employment": self.employment.data,
            "not_in_education": self.not_in_education.data, "not_excluded": self.not_excluded.data,
            "aid": self.aid.data or [], "training_field": self.training_field.data,
            "ktp_seen": self.ktp_seen.data, "statement_signed": self.statement_signed.data,
        }

    def load(self, application):
        """Fill the form from a saved record (for a correction)."""
        plain = ("nik", "birth_date", "kk_number", "full_name", "birth_place", "contact_email", "phone", "education",
                 "employment", "not_in_education", "not_excluded", "training_field", "ktp_seen", "statement_signed")
        self.process(data={
            **{name: getattr(application, name) for name in plain},
            "domicile_same": {True: "yes", False: "no"}.get(application.domicile_same),
            "aid": application.aid.split(",") if application.aid else [],
            "ktp_address": split_address(application.address("ktp")),
            "domicile_address": split_address(application.address("domicile")),
        })


def split_address(address):
    """An Address as the address form's object: the region code split into its four lists."""
    parts = address.region_code.split(".") if address.region_code else []
    data = {name: ".".join(parts[: i + 1]) for i, name in enumerate(("province", "regency", "district", "village"))
            if i < len(parts)}
    return SimpleNamespace(**data, street=address.street, rt=address.rt, rw=address.rw,
                           postal_code=address.postal_code)


class DisputeForm(Form):
    """A NIK dispute recorded at the desk: who claims the NIK, how to reach them, what the officer saw."""

    nik = KtpForm.nik
    claimant_name = name_field(names.CLAIMANT_NAME)
    contact_phone = StringField(_l("Contact number"), filters=[strip],
                                render_kw={"type": "tel", "autocomplete": "off", "maxlength": "20"})
    note = TextAreaField(_l("Note (optional)"), filters=[strip],
                         description=_l("What the applicant told you. Do not write other people's data"),
                         validators=[Length(max=1000, message=_l("Note must be %(max)d characters or fewer"))])
    ktp_seen = BooleanField(_l("I have seen the applicant's original e-KTP with this NIK"),
                            validators=[DataRequired(KTP_NOT_SEEN)])


class WithdrawForm(Form):
    reason = RadioField(_l("Why is the record withdrawn?"), choices=options(list(status.WITHDRAW_REASONS.items())),
                        validators=[InputRequired(_l("Select why the record is withdrawn"))])
    note = TextAreaField(_l("Note (optional)"), filters=[strip],
                         validators=[Length(max=500, message=_l("Note must be %(max)d characters or fewer"))])


class FindForm(Form):
    query = StringField(_l("Reference or NIK"), description=_l("For example, PK-7G4M-2QXA, or all 16 digits of the NIK"),
                        filters=[strip], render_kw={"autocomplete": "off", "spellcheck": "false", "maxlength": "30"})
