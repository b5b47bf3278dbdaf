"""Wizard section "Data diri": one short page per question group (GOV.UK "one thing per page")."""

from flask import g, request, url_for
from flask_login import current_user

from portal.applicant import bp
from portal.applicant.steps import carried, next_url, run_step
from portal.applicant.tasks import resume_endpoint
from portal.forms.personal import AddressForm, DeclarationsForm, DomicileForm, NameForm, WorkForm
from portal.htmx import is_partial, see_other
from portal.rendering import render_block, render_page
from portal.services import applications, villages


@bp.route("/data-diri")
def personal():
    """Start or resume the section at its first unanswered step."""
    return see_other(url_for(resume_endpoint(g.application)))


@bp.route("/data-diri/nama", methods=["GET", "POST"])
def name():
    def save(application, actor, form):
        applications.update(application, actor, full_name=form.full_name.data, birth_place=form.birth_place.data)

    form = NameForm(obj=g.application)
    if request.method == "GET" and not g.application.full_name:
        form.full_name.data = g.application.account.full_name
    return run_step(form, "applicant/name.html", save, "applicant.address_ktp")


def address_step(kind, next_endpoint):
    """An address page. "Update list" (or htmx on change) saves the region so far and shows the next list;
    "Search" finds villages by name, and choosing one of them fills all four lists (issue 9)."""
    address = g.application.address(kind)
    form = AddressForm(obj=address, data=split_region(address.region_code) if request.method == "GET" else None)
    chosen = villages.find(request.values.get("desa"))
    if chosen:
        form.choose_village(chosen.code)
    refining = request.method == "POST" and (request.form.get("action") == "region" or chosen is not None)
    form.fill_region_choices(region_changed=refining or chosen is not None)
    context = {"kind": kind, "chosen": chosen, "near": near_code(g.application)}
    # An empty search box is Enter pressed in another box (Search is the form's first button): save as usual.
    if request.method == "POST" and request.form.get("action") == "village" and request.form.get("desa_q", "").strip():
        # Nothing is saved: the page comes back with what was typed and the villages found.
        found = villages.search(request.form.get("desa_q"), near=context["near"])
        return render_page("applicant/address.html", form=form, application=g.application, found=found, **context)
    if refining:
        # Only the region so far is kept; the other boxes are checked when the applicant presses Continue.
        applications.save_address(g.application, current_user._get_current_object(), kind, form.region_code(),
                                  postal_code=form.postal_code.data)
        if is_partial():
            return render_block("applicant/address.html", "region", form=form, oob=True, **context)
        return render_page("applicant/address.html", form=form, application=g.application, **context)

    def save(application, actor, form):
        applications.save_address(
            application, actor, kind, form.region_code(), street=form.street.data, rt=form.rt.data, rw=form.rw.data,
            postal_code=form.postal_code.data,
        )

    return run_step(form, "applicant/address.html", save, next_endpoint, **context)


def near_code(application):
    """The regency the NIK was issued in ("32.01"): its villages come first in a search."""
    nik = application.nik or ""
    return f"{nik[:2]}.{nik[2:4]}" if len(nik) >= 4 and nik[:4].isdigit() else ""


def split_region(code):
    parts = code.split(".") if code else []
    names = ["province", "regency", "district", "village"]
    return {name: ".".join(parts[: i + 1]) for i, name in enumerate(names) if i < len(parts)}


@bp.route("/data-diri/alamat-ktp", methods=["GET", "POST"])
def address_ktp():
    return address_step("ktp", "applicant.domicile")


@bp.route("/data-diri/domisili", methods=["GET", "POST"])
def domicile():
    """Ask whether they live at the KTP address; if not, the domicile address page comes next."""
    same = g.application.domicile_same
    form = DomicileForm(data={"domicile_same": {True: "yes", False: "no"}.get(same)})
    if form.validate_on_submit():
        living_there = form.domicile_same.data == "yes"
        applications.update(g.application, current_user._get_current_object(), domicile_same=living_there)
        if not living_there:
            return see_other(url_for(".address_domicile", **carried()))
        return see_other(next_url("applicant.work"))
    return render_page("applicant/domicile.html", form=form, application=g.application)


@bp.route("/data-diri/alamat-domisili", methods=["GET", "POST"])
def address_domicile():
    if g.application.domicile_same is not False:
        return see_other(url_for(".domicile"))
    return address_step("domicile", "applicant.work")


@bp.route("/data-diri/pendidikan-pekerjaan", methods=["GET", "POST"])
def work():
    def save(application, actor, form):
        applications.update(application, actor, education=form.education.data, employment=form.employment.data)

    return run_step(WorkForm(obj=g.application), "applicant/work.html", save, "applicant.declarations")


@bp.route("/data-diri/pernyataan", methods=["GET", "POST"])
def declarations():
    def save(application, actor, form):
        applications.update(
            application, actor, not_in_education=form.not_in_education.data, not_excluded=form.not_excluded.data,
            aid=",".join(form.aid.data), training_field=form.training_field.data,
        )

    application = g.application
    form = DeclarationsForm(data={
        "not_in_education": application.not_in_education, "not_excluded": application.not_excluded,
        "aid": application.aid.split(",") if application.aid else [], "training_field": application.training_field,
    })
    return run_step(form, "applicant/declarations.html", save, "applicant.task_list")
