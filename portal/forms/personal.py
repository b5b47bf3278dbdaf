"""The personal-details steps: name and birthplace, addresses, education and work, declarations."""

import re

from wtforms import BooleanField, RadioField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp, ValidationError

from portal import choices
from portal.forms.base import Form
from portal.forms.fields import CheckboxesField, NumberField, name_field, options, strip
from portal.i18n import lazy_gettext as _l
from portal.rules import names, regions
from portal.rules.voice import voiced


class NameForm(Form):
    full_name = name_field(names.FULL_NAME)
    birth_place = name_field(
        names.BIRTH_PLACE,
        description=voiced(_l("The town or regency written on your KTP"), _l("The town or regency written on the KTP")),
        autocomplete="off",
    )


class AddressForm(Form):
    """An address by Kemendagri region codes; each region list depends on the one above it."""

    province = SelectField(_l("Province"), validate_choice=False)
    regency = SelectField(_l("Regency or city"), validate_choice=False)
    district = SelectField(_l("District (kecamatan)"), validate_choice=False)
    village = SelectField(_l("Village (kelurahan or desa)"), validate_choice=False)
    # In the order the pages show them (the error summary follows it): the postal code comes with the village.
    postal_code = NumberField(
        _l("Postal code"),
        description=_l("Filled in from the village when we know it"),
        validators=[Optional(), Regexp(r"^[0-9]{5}$", message=_l("Postal code must be 5 digits"))],
        render_kw={"inputmode": "numeric", "maxlength": "5", "autocomplete": "postal-code"},
    )
    street = StringField(
        _l("Street, house number or hamlet"),
        filters=[strip],
        validators=[
            DataRequired(voiced(_l("Enter your street, house number or hamlet"), _l("Enter the street, house number or hamlet"))),
            Length(max=120, message=_l("Street must be %(max)d characters or fewer")),
        ],
        render_kw={"autocomplete": "address-line1"},
    )
    rt = NumberField(
        _l("RT"),
        validators=[Optional(), Regexp(r"^[0-9]{1,3}$", message=_l("RT must be a number of up to 3 digits, like 003"))],
        render_kw={"inputmode": "numeric", "maxlength": "3"},
    )
    rw = NumberField(
        _l("RW"),
        validators=[Optional(), Regexp(r"^[0-9]{1,3}$", message=_l("RW must be a number of up to 3 digits, like 011"))],
        render_kw={"inputmode": "numeric", "maxlength": "3"},
    )

    def fill_region_choices(self, region_changed=False):
        """Offer each level's options under what is chosen above it, dropping choices that no longer fit.

        The postal code is filled in from the village when it is empty or the region was just changed.
        """
        code = regions.deepest_valid(self.province.data, self.regency.data, self.district.data, self.village.data)
        chain = regions.chain(code)
        for level, field in enumerate(self.region_fields()):
            field.data = chain[level] if level < len(chain) else ""
            field.choices = []
            if level <= len(chain):  # a list shows once the level above it is chosen
                parent = chain[level - 1] if level else None
                field.choices = options([("", regions.PROMPTS[level])] + regions.options(parent))
        postal = self.postal_code.data or ""
        if len(chain) == 4 and (region_changed or not postal):
            postal = regions.postal_code(code) or postal
        elif region_changed and not re.fullmatch(r"\d{5}", postal):
            postal = ""
        if postal != self.postal_code.data:
            self.postal_code.data = postal
            self.postal_code.raw_data = None  # show the new value, not what the browser posted
        return code

    def region_fields(self):
        return [self.province, self.regency, self.district, self.village]

    def choose_village(self, code):
        """Put a village found by name (PP.KK.CC.DDDD) into the four selects, as if chosen one by one."""
        for field, value in zip(self.region_fields(), regions.chain(code)):
            field.data = value

    def region_code(self):
        return regions.deepest_valid(self.province.data, self.regency.data, self.district.data, self.village.data)

    def validate(self, extra_validators=None):
        """Check the fields, then that the region is chosen down to the village; the error goes on the first gap."""
        valid = super().validate(extra_validators)
        depth = len(regions.chain(self.region_code()))
        if depth < 4:
            self.region_fields()[depth].errors.append(regions.MISSING[depth])
            return False
        return valid


class DomicileForm(Form):
    domicile_same = RadioField(
        voiced(_l("Do you live at the address on your KTP?"), _l("Does the applicant live at the address on the KTP?")),
        choices=options([("yes", _l("Yes")), ("no", voiced(_l("No, I live somewhere else"), _l("No, somewhere else")))]),
        validators=[InputRequired(voiced(_l("Select yes if you live at the address on your KTP"),
                                         _l("Select yes if the applicant lives at the address on the KTP")))],
    )


class WorkForm(Form):
    education = RadioField(
        voiced(_l("Highest education you finished"), _l("Highest education the applicant finished")),
        choices=options(choices.EDUCATION),
        validators=[InputRequired(voiced(_l("Select the highest education you finished"),
                                         _l("Select the highest education the applicant finished")))],
    )
    employment = RadioField(
        voiced(_l("What do you do now?"), _l("What does the applicant do now?")),
        choices=options(choices.EMPLOYMENT),
        validators=[InputRequired(voiced(_l("Select what you do now"), _l("Select what the applicant does now")))],
    )


class DeclarationsForm(Form):
    not_in_education = BooleanField(
        voiced(_l("I am not at school, college or university now"),
               _l("The applicant declares they are not at school, college or university now")),
        validators=[DataRequired(voiced(_l("You can only join Prakerja if you are not in formal education now"),
                                        _l("The applicant can only join Prakerja if they are not in formal education now")))],
    )
    not_excluded = BooleanField(
        voiced(_l("I am none of the people listed above"), _l("The applicant declares they are none of the people listed")),
        validators=[DataRequired(voiced(_l("You can only join Prakerja if you are none of the people listed"),
                                        _l("The applicant can only join Prakerja if they are none of the people listed")))],
    )
    aid = CheckboxesField(
        voiced(_l("Which government aid have you received since 2020?"),
               _l("Which government aid has the applicant received since 2020?")),
        description=_l("Select all that apply"),
        choices=options(choices.GOVERNMENT_AID),
    )
    training_field = RadioField(
        voiced(_l("What would you like training in?"), _l("What would the applicant like training in?")),
        choices=options(choices.TRAINING_FIELDS),
        validators=[InputRequired(voiced(_l("Select what you would like training in"),
                                         _l("Select what the applicant would like training in")))],
    )

    def validate_aid(self, field):
        if not field.data:
            raise ValidationError(voiced(_l("Select the aid you have received, or None"),
                                         _l("Select the aid the applicant has received, or None")))
        if "none" in field.data and len(field.data) > 1:
            raise ValidationError(voiced(_l("Select None only if you have received no aid"),
                                         _l("Select None only if the applicant has received no aid")))
