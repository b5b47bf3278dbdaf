"""The PMO's wave screens: create waves, watch entries per province, close, enter walk-ins, run the selection,
read and export the results."""

from flask import abort, flash, render_template, request, url_for
from flask_login import current_user

from portal.domain import DomainError
from portal.exports import csv_response, xlsx_response
from portal.forms.base import Form
from portal.htmx import client_redirect, is_partial, see_other
from portal.i18n import gettext as _
from portal.i18n import lazy_gettext as _l
from portal.models import Wave, utcnow
from portal.pmo import bp
from portal.pmo.wave_forms import WaveForm, to_utc, to_wib
from portal.rendering import render_page
from portal.roles import PMO
from portal.rules import regions, screening
from portal.rules import waves as rules
from portal.services import selection, selection_jobs, waves
from portal.staff.home_views import TOOLS

TOOLS.append(("pmo.wave_list", _l("Waves and selection"),
              _l("Open waves, watch entries per province, run the draw and send the results."), frozenset({PMO})))


def _wave(number):
    wave = Wave.get_or_none(Wave.number == number)
    if wave is None:
        abort(404)
    return wave


def _actor():
    return current_user._get_current_object()


@bp.route("/gelombang")
def wave_list():
    """Every wave with its state and entries."""
    return render_page("pmo/wave_list.html", waves=waves.all_waves(), now=utcnow(), state=selection_jobs.list_state,
                       state_labels={**rules.STATE_LABELS, **selection_jobs.PROGRESS_LABELS})


@bp.route("/gelombang/baru", methods=["GET", "POST"])
def wave_new():
    """Create a wave: number, times (WIB), total quota and optional province quotas."""
    form = WaveForm()
    if request.method == "GET":
        opens, closes = waves.default_times()
        last = Wave.select().order_by(Wave.number.desc()).first()
        form.number.data = (last.number + 1) if last else 1
        form.opens_at.data, form.closes_at.data = to_wib(opens), to_wib(closes)
    if form.validate_on_submit():
        try:
            wave = waves.create(_actor(), form.number.data, to_utc(form.opens_at.data), to_utc(form.closes_at.data),
                                form.quota.data, form.province_quotas(), ip=request.remote_addr)
        except DomainError as error:
            form[error.field or "number"].errors.append(error.message)
        else:
            flash(_("Wave %(number)d created.", number=wave.number), "success")
            return see_other(url_for(".wave_detail", number=wave.number))
    return render_page("pmo/wave_new.html", form=form)


def _can_enter_walkins(wave, progress):
    """Whether the wave still takes walk-ins: its selection not run nor asked for (services.waves.enter_walkins)."""
    return not wave.selected_at and not wave.results_sent_at and progress not in (selection_jobs.QUEUED,
                                                                                  selection_jobs.STARTED)


@bp.route("/gelombang/<int:number>")
def wave_detail(number):
    """A wave: state, live entries per province against their quotas, and the actions its state allows."""
    wave = _wave(number)
    counts, quotas = waves.province_counts(wave), waves.quotas_of(wave)
    provinces = [(code, name, counts.get(code, 0), quotas.get(code)) for code, name in regions.options()
                 if code in counts or code in quotas]
    progress = selection_jobs.progress(wave)
    return render_page("pmo/wave_detail.html", wave=wave, state=rules.wave_state(wave, utcnow()),
                       provinces=provinces, total=sum(counts.values()), form=Form(),
                       walkins=waves.waiting_walkins(wave), state_labels=rules.STATE_LABELS,
                       can_enter=_can_enter_walkins(wave, progress), progress=progress,
                       told=selection_jobs.told(wave))


@bp.route("/gelombang/<int:number>/tutup", methods=["GET", "POST"])
def wave_close(number):
    """Close an open wave now, after a page that says what closing early does."""
    wave = _wave(number)
    if rules.wave_state(wave, utcnow()) != "open":
        flash(_("This wave is not open, so it cannot be closed."), "error")
        return see_other(url_for(".wave_detail", number=number))
    form = Form()
    if form.validate_on_submit():
        try:
            waves.close(wave, _actor(), ip=request.remote_addr)
            flash(_("Wave %(number)d is closed. You can run the selection now.", number=number), "success")
        except DomainError as error:
            flash(error.message, "error")
        return see_other(url_for(".wave_detail", number=number))
    return render_page("pmo/wave_close.html", wave=wave, form=form, total=sum(waves.province_counts(wave).values()),
                       walkins=waves.waiting_walkins(wave))


@bp.route("/gelombang/<int:number>/pendaftar-langsung", methods=["POST"])
def wave_walkins(number):
    """Enter every confirmed walk-in candidate into this wave in one action."""
    wave = _wave(number)
    if Form().validate_on_submit():
        try:
            entered = waves.enter_walkins(wave, _actor(), ip=request.remote_addr)
            flash(_("%(count)d confirmed walk-in candidates entered into wave %(number)d.", count=entered,
                    number=number), "success")
        except DomainError as error:
            flash(error.message, "error")
        else:
            if request.form.get("then") == "select":  # back to the selection's check page, not an open redirect
                return see_other(url_for(".wave_select_confirm", number=number))
    return see_other(url_for(".wave_detail", number=number))


@bp.route("/gelombang/<int:number>/seleksi/konfirmasi")
def wave_select_confirm(number):
    """Before the draw: entries, quota, walk-ins still waiting, and that results go out at once, for good."""
    wave = _wave(number)
    progress = selection_jobs.progress(wave)
    if (rules.wave_state(wave, utcnow()) not in ("closed", "selected") or selection_jobs.told(wave)
            or progress in (selection_jobs.QUEUED, selection_jobs.STARTED)):
        return see_other(url_for(".wave_detail", number=number))
    return render_page("pmo/wave_select_confirm.html", wave=wave, form=Form(),
                       total=sum(waves.province_counts(wave).values()), quotas=sum(waves.quotas_of(wave).values()),
                       walkins=waves.waiting_walkins(wave) if _can_enter_walkins(wave, progress) else 0)


@bp.route("/gelombang/<int:number>/seleksi", methods=["POST"])
def wave_select(number):
    """Ask for the selection to run (or run again) as a queued job, then watch it; refused while one runs."""
    wave = _wave(number)
    if Form().validate_on_submit():
        try:
            selection_jobs.ask(wave, _actor(), ip=request.remote_addr)
        except DomainError as error:
            flash(error.message, "error")
        else:
            return see_other(url_for(".wave_selection", number=number))
    return see_other(url_for(".wave_detail", number=number))


@bp.route("/gelombang/<int:number>/seleksi")
def wave_selection(number):
    """The selection job while it runs: the fragment htmx polls, or a page to reload; then the results."""
    wave = _wave(number)
    progress = selection_jobs.progress(wave)
    if progress in (selection_jobs.QUEUED, selection_jobs.STARTED):
        if is_partial():
            if request.args.get("seen") == progress:  # nothing to swap, nothing for a screen reader to repeat
                return "", 204
            return render_template("pmo/_selection_status.html", wave=wave, progress=progress)
        return render_page("pmo/wave_selection.html", wave=wave, progress=progress)
    if wave.selected_at and progress is None:
        flash(_("Selection done. The results are being sent by email and SMS."), "success")
        done = url_for(".wave_results", number=number)
    else:
        done = url_for(".wave_detail", number=number)
    return client_redirect(done) if is_partial() else see_other(done)


@bp.route("/gelombang/<int:number>/hasil")
def wave_results(number):
    """Counts per province and outcome, and per reason; the seed and manifest; the exports."""
    wave = _wave(number)
    if not wave.selected_at:
        return see_other(url_for(".wave_detail", number=number))
    by_province, by_reason = selection.summary(wave)
    names = dict(regions.options())
    count, digest = selection.manifest(selection.result_rows(wave))
    return render_page("pmo/wave_results.html", wave=wave, by_province=sorted(by_province.items()), names=names,
                       by_reason=sorted(by_reason.items(), key=lambda item: -item[1]), count=count, digest=digest,
                       outcomes=rules.OUTCOME_LABELS, reasons=screening.staff_reasons(),
                       progress=selection_jobs.progress(wave))


@bp.route("/gelombang/<int:number>/hasil.<any(csv, xlsx):kind>")
def wave_export(number, kind):
    """The published list with the seed and manifest, as CSV or XLSX."""
    wave = _wave(number)
    if not wave.selected_at:
        abort(404)
    rows = list(selection.result_rows(wave))
    count, digest = selection.manifest(rows)
    about = [f"wave={wave.number}", f"seed={wave.seed}", f"entries={count}", f"sha256={digest}"]
    name = f"gelombang-{wave.number}-hasil.{kind}"
    if kind == "csv":
        return csv_response(name, about, [selection.RESULT_FIELDS, *rows])
    return xlsx_response(name, [("hasil", selection.RESULT_FIELDS, rows),
                                ("manifest", ["key", "value"], [a.split("=", 1) for a in about])])
