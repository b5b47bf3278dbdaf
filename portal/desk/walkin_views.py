"""Keying a walk-in's paper form on one page, with the NIK, KK and number checked as they are typed."""

from flask import abort, request, url_for

from portal.desk import actor, bp, client_ip
from portal.domain import DomainError
from portal.forms.walkin import WalkinForm
from portal.htmx import is_partial, see_other
from portal.models import Application
from portal.rendering import render_block, render_page
from portal.rules.nik import check_kk, check_nik
from portal.rules.phone import check_mobile
from portal.rules.reference import normalise
from portal.services import intake, villages

TEMPLATE = "desk/walkin_form.html"
# The inline checks: which field, and the rule that reads it.
CHECKS = {
    "nik": lambda form: check_nik(form.nik.data).errors[:1],
    "kk_number": lambda form: [problem for problem in [check_kk(form.kk_number.data)[1]] if problem],
    "phone": lambda form: [problem for problem in [check_mobile(form.phone.data)[1]] if problem],
}


def place_error(form, error):
    """A service refusal next to its field (an address's on its street), or in the summary."""
    name = {"ktp_address": "ktp_address-street", "domicile_address": "domicile_address-street"}.get(error.field,
                                                                                                  error.field)
    field = next((f for f in form if f.name == name), None)
    if field is not None:
        field.errors = [*field.errors, error.message]
    else:
        form.form_errors.append(error.message)


def findings_for(form, record=None):
    """Duplicate notes for what is typed so far (never another record's personal data)."""
    return intake.findings(actor().office, nik=form.nik.data, kk_number=form.kk_number.data, phone=form.phone.data,
                           exclude_id=record.id if record else None)


# Each address's village search (macros/villages.html): its query box and the name of its result buttons.
SEARCH_BOXES = {"ktp": ("ktp_desa_q", "ktp_desa"), "domicile": ("dom_desa_q", "dom_desa")}


def village_chosen(form):
    """A village picked from a search: (the address it is for, the Village), put into that address's lists."""
    if request.method != "POST":
        return None, None
    for which, (_box, button) in SEARCH_BOXES.items():
        chosen = villages.find(request.form.get(button))
        if chosen is not None:
            getattr(form, f"{which}_address").form.choose_village(chosen.code)
            return which, chosen
    return None, None


def village_searched():
    """The address whose "Search" was pressed (no JavaScript), else None."""
    action = request.form.get("action", "") if request.method == "POST" else ""
    which = action.removeprefix("village-")
    return which if action.startswith("village-") and which in SEARCH_BOXES else None


def entry_page(form, record=None):
    """Show, refine (region lists), find a village, check (htmx fragments) or save the walk-in form."""
    action = request.form.get("action", "") if request.method == "POST" else ""
    kind = action.removeprefix("region-") if action in ("region-ktp", "region-domicile") else None
    chosen_for, chosen = village_chosen(form)
    kind = kind or chosen_for
    form.fill_regions(changed=kind)
    near = f"{form.nik.data[:2]}.{form.nik.data[2:4]}" if (form.nik.data or "")[:4].isdigit() else ""
    context = {"form": form, "record": record, "refined": kind, "chosen": chosen, "near": near,
               "action_url": url_for(request.endpoint, **request.view_args)}
    searched = village_searched()
    if searched:
        found = villages.search(request.form.get(SEARCH_BOXES[searched][0]), near=near)
        return render_page(TEMPLATE, found={}, village_for=searched, found_villages=found, **context)
    check = request.args.get("fragment")
    if request.method == "POST" and is_partial() and check in CHECKS:
        field = form[check]
        field.errors = CHECKS[check](form)
        if check == "nik" and not field.errors:
            form.nik_check = check_nik(form.nik.data)
        found = findings_for(form, record) if not field.errors else {}
        # No autofocus in a fragment: htmx would pull the focus back while the officer types on.
        return render_block(TEMPLATE, f"check_{check}", found=found, checking=True, **context)
    if kind:
        # Only the lists changed: what was typed is shown again, unchecked.
        if is_partial():
            return render_block(TEMPLATE, f"region_{kind}", found={}, checking=True, village_for=kind, **context)
        return render_page(TEMPLATE, found={}, village_for=kind, **context)
    if request.method == "POST" and form.validate_on_submit():
        try:
            if record is None:
                record = intake.create_walkin(form.answers(), actor(), ip=client_ip())
            else:
                intake.update_walkin(record, form.answers(), actor(), ip=client_ip())
        except DomainError as error:
            place_error(form, error)
        else:
            return see_other(url_for(".walkin_detail", reference=record.reference, saved=1))
    found = findings_for(form, record) if request.method == "POST" else {}
    for field, notes in found.items():
        if any(kind == "taken" for kind, _ in notes) and not form[field].errors:
            form[field].errors = [next(message for kind, message in notes if kind == "taken")]
    return render_page(TEMPLATE, found=found, **context)


@bp.route("/baru", methods=["GET", "POST"])
def walkin_new():
    """The walk-in entry page: the paper form in its own order, by keyboard alone."""
    return entry_page(WalkinForm())


def own_record(reference):
    """A walk-in of the signed-in officer's office by reference; 404 for anything else."""
    if normalise(reference) != reference:  # not a reference as the portal writes them: nothing to look up
        abort(404)
    record = Application.get_or_none(Application.reference == reference, Application.channel == intake.WALKIN)
    if record is None or record.office_id != actor().office_id:
        abort(404)
    return record


@bp.route("/data/<reference>/ubah", methods=["GET", "POST"])
def walkin_edit(reference):
    """Correct a record while its batch is open (or it was returned to the office)."""
    record = own_record(reference)
    if not intake.correctable(record):
        abort(404)
    form = WalkinForm()
    if request.method == "GET":
        form.load(record)
    return entry_page(form, record)
