"""Waves for the PMO (create, close) and for applicants (status, join); selection lives in services.selection.

Joining is one cheap request (in 2020 the site fell over at every wave opening): the open wave comes from a
short per-process cache, and the entry is one conditional INSERT that checks the wave's window in the
database and makes one row per wave and application however often, or from however many devices, it runs.
"""

import time
from datetime import timedelta

from flask import current_app
from peewee import JOIN, Value, fn

from portal.domain import DomainError
from portal.i18n import lazy_gettext as _l
from portal.models import Address, Application, StatementLetter, Wave, WaveEntry, WaveQuota, db, utcnow
from portal.rules import screening
from portal.rules import status as app_status
from portal.rules import waves as rules
from portal.services import audit

CACHE_SECONDS = 5  # how long a worker trusts its list of current waves; changes here clear it at once

NOT_JOINABLE = _l("Your application cannot join a wave in its current state.")
NO_OPEN_WAVE = _l("No wave is open for joining now.")
ALREADY_DONE = _l("You cannot join this wave: look at your wave status for the reason.")
LETTER_FIRST = _l("You were not selected in three waves, so the programme office must approve your statement "
                  "letter before you can join again. The steps are on your page.")
NO_ADDRESS = _l("Your KTP address is missing, so we cannot tell which province you belong to.")
OVERLAP = _l("Another wave is open during part of that time. Waves must not overlap.")
NUMBER_TAKEN = _l("A wave with this number already exists.")
CLOSES_BEFORE_OPENS = _l("The close time must be after the open time.")
QUOTAS_OVER_TOTAL = _l("The province quotas add up to more than the total quota.")


def _cache():
    return current_app.extensions.setdefault("waves_cache", {"until": 0.0, "waves": []})


def invalidate():
    """Forget this worker's cached waves (after any change to a wave)."""
    _cache()["until"] = 0.0


def upcoming(now=None):
    """Waves not yet closed, soonest first (cached for CACHE_SECONDS)."""
    cache = _cache()
    if time.monotonic() >= cache["until"]:
        cache["waves"] = list(Wave.select().where(Wave.closes_at > utcnow(), Wave.selected_at.is_null())
                              .order_by(Wave.opens_at))
        cache["until"] = time.monotonic() + CACHE_SECONDS
    now = now or utcnow()
    return [w for w in cache["waves"] if w.closes_at > now]


def open_wave(now=None):
    """The wave open for joining now, or None."""
    now = now or utcnow()
    return next((w for w in upcoming(now) if w.opens_at <= now < w.closes_at), None)


def next_wave(now=None):
    """The wave open now or the next one to open, or None (where walk-ins are entered by the PMO)."""
    waves = upcoming(now)
    return waves[0] if waves else None


def entries_of(application):
    """The application's entries with their waves, oldest wave first (one query)."""
    return list(WaveEntry.select(WaveEntry, Wave).join(Wave)
                .where(WaveEntry.application == application.id).order_by(Wave.number))


def letter_needed(application, entries):
    """Whether the application must have a statement letter approved before joining again."""
    failures = sum(1 for e in entries if e.outcome == rules.OUTCOME_NOT_SELECTED and e.wave.selected_at)
    if failures < screening.LETTER_AFTER_FAILURES:
        return False
    approved = StatementLetter.select().where(StatementLetter.application == application.id,
                                              StatementLetter.status == "approved").exists()
    return screening.letter_required(failures, approved)


def status_for(application, now=None):
    """The applicant's wave status (portal.rules.waves), or None when waves do not apply yet."""
    if application.status not in rules.JOINABLE:
        return None
    now = now or utcnow()
    entries = entries_of(application)
    return rules.derive(application.status, entries, open_wave(now), now, letter_needed(application, entries))


def join(application, now=None):
    """Enter the applicant's application into the open wave; they have confirmed that the data is valid.

    True when this call made the entry, False when it was there already (a second tap, another device);
    DomainError when the application may not join now. The usual case is one INSERT and nothing else.
    """
    now = now or utcnow()
    if application.status not in rules.JOINABLE:
        raise DomainError(NOT_JOINABLE)
    wave = open_wave(now)
    if wave is not None and _insert(wave, application.id, None, now, screened=True):
        return True
    current = status_for(application, now)  # the rare path: say why nothing was inserted
    if current is not None and current.name == rules.WAITING:
        return False
    if current is None or current.name == rules.NO_WAVE:
        raise DomainError(NO_OPEN_WAVE)
    if current.reason == "letter_required":
        raise DomainError(LETTER_FIRST)
    raise DomainError(NO_ADDRESS if current.name == rules.CAN_JOIN else ALREADY_DONE)


def enter(wave, application, actor=None, now=None, ip=None):
    """Insert the entry if the wave is open at `now`; the existing entry if there is one; DomainError else."""
    now = now or utcnow()
    if not _insert(wave, application.id, actor, now):
        entry = WaveEntry.get_or_none(WaveEntry.wave == wave.id, WaveEntry.application == application.id)
        if entry is not None:  # another device, or a second tap, was first
            return entry
        still_open = Wave.select().where(Wave.id == wave.id, Wave.opens_at <= now, Wave.closes_at > now).exists()
        raise DomainError(NO_ADDRESS if still_open else NO_OPEN_WAVE)
    entry = WaveEntry.get(WaveEntry.wave == wave.id, WaveEntry.application == application.id)
    if actor is not None:
        audit.record(actor, "wave.entered", entry, fields=["wave", "application"], ip=ip)
    return entry


INSERT_SQL = """
INSERT INTO wave_entry (wave_id, application_id, province, joined_at, entered_by_id)
SELECT w.id, d.application_id, substr(d.region_code, 1, 2), {p}, {p}
FROM address d JOIN wave w ON w.id = {p}
WHERE d.application_id = {p} AND d.kind = 'ktp' AND length(d.region_code) >= 2
  AND w.opens_at <= {p} AND w.closes_at > {p} AND w.selected_at IS NULL {screened}
ON CONFLICT DO NOTHING
"""
# The checks that keep the Gabung button away, in the same statement: never selected before, and no statement
# letter missing (the rule of screening.letter_required).
SCREENED_SQL = """
  AND NOT EXISTS (SELECT 1 FROM wave_entry e WHERE e.application_id = d.application_id AND e.outcome = 'selected')
  AND ((SELECT COUNT(*) FROM wave_entry e WHERE e.application_id = d.application_id AND e.outcome = 'not_selected')
       < {p} OR EXISTS (SELECT 1 FROM statement_letter s WHERE s.application_id = d.application_id
                        AND s.status = 'approved'))"""
_statements = {}


def _insert(wave, application_id, actor, now, screened=False):
    """One INSERT ... SELECT: a row only while the wave is open, with the province of the KTP address; the
    number of rows made (0 or 1). Written as SQL text once per process: building it is the costly part."""
    key = (db.obj.param, screened)
    if key not in _statements:
        text = INSERT_SQL.replace("{screened}", SCREENED_SQL if screened else "")
        _statements[key] = text.replace("{p}", db.obj.param)
    when = WaveEntry.joined_at.db_value(now)
    params = [when, actor.id if actor else None, wave.id, application_id, when, when]
    if screened:
        params.append(screening.LETTER_AFTER_FAILURES)
    return db.execute_sql(_statements[key], params).rowcount


def create(actor, number, opens_at, closes_at, quota, province_quotas=None, ip=None):
    """Create a wave (times naive UTC) with its total quota and optional {province: seats}; waves never overlap."""
    province_quotas = {p: q for p, q in (province_quotas or {}).items() if q}
    if closes_at <= opens_at:
        raise DomainError(CLOSES_BEFORE_OPENS, field="closes_at")
    if sum(province_quotas.values()) > quota:
        raise DomainError(QUOTAS_OVER_TOTAL, field="quota")
    with db.atomic():
        if Wave.select().where(Wave.number == number).exists():
            raise DomainError(NUMBER_TAKEN, field="number")
        if Wave.select().where(Wave.opens_at < closes_at, Wave.closes_at > opens_at).exists():
            raise DomainError(OVERLAP, field="opens_at")
        wave = Wave.create(number=number, opens_at=opens_at, closes_at=closes_at, quota=quota, created_by=actor)
        if province_quotas:
            WaveQuota.insert_many([{"wave": wave.id, "province": p, "quota": q}
                                   for p, q in sorted(province_quotas.items())]).execute()
        audit.record(actor, "wave.created", wave, fields=["number", "opens_at", "closes_at", "quota"], ip=ip)
    invalidate()
    return wave


def close(wave, actor, now=None, ip=None):
    """Close an open wave now (before its planned close time); joining stops at once."""
    now = now or utcnow()
    with db.atomic():
        changed = Wave.update(closes_at=now).where(Wave.id == wave.id, Wave.closes_at > now,
                                                   Wave.opens_at <= now).execute()
        if not changed:
            raise DomainError(_l("This wave is not open, so it cannot be closed."))
        audit.record(actor, "wave.closed", wave, fields=["closes_at"], ip=ip)
    invalidate()
    wave.closes_at = now
    return wave


def province_counts(wave):
    """{province: entries} for the live counts on the PMO's wave page (one grouped query on an index)."""
    rows = (WaveEntry.select(WaveEntry.province, fn.COUNT(WaveEntry.id).alias("n"))
            .where(WaveEntry.wave == wave.id).group_by(WaveEntry.province).tuples())
    return dict(rows)


def quotas_of(wave):
    """{province: seats} reserved for provinces in this wave."""
    return dict(WaveQuota.select(WaveQuota.province, WaveQuota.quota).where(WaveQuota.wave == wave.id).tuples())


def all_waves():
    """Every wave, newest first, with its entry count."""
    count = fn.COUNT(WaveEntry.id).alias("entry_count")
    return list(Wave.select(Wave, count).join(WaveEntry, JOIN.LEFT_OUTER).group_by(Wave.id)
                .order_by(Wave.number.desc()))


def default_times(now=None):
    """A sensible new wave: opening tomorrow 08:00 WIB (01:00 UTC) for a week."""
    now = now or utcnow()
    opens = (now + timedelta(days=1)).replace(hour=1, minute=0, second=0, microsecond=0)
    return opens, opens + timedelta(days=7)


SELECTION_STARTED = _l("The selection of this wave has been run or is running, so no one can be entered into it "
                       "now. Enter the candidates into the next wave.")


def _walkins_allowed(now):
    """Where confirmed walk-ins may still be entered: until the wave's selection is asked for, even after it
    closes, so a PMO who closed early does not leave them out of the draw."""
    from portal.services.selection_jobs import LOST_AFTER  # selection_jobs imports selection, which imports us

    return (Wave.selected_at.is_null() & Wave.results_sent_at.is_null()
            & (Wave.selection_requested_at.is_null() | (Wave.selection_requested_at < now - LOST_AFTER)))


def enter_walkins(wave, actor, now=None, ip=None):
    """Enter every confirmed walk-in candidate not yet selected into a wave whose selection has not been asked
    for (Permenaker 17/2020: they have priority in the next wave), in one INSERT ... SELECT; returns how many."""
    now = now or utcnow()
    selected = WaveEntry.select(WaveEntry.id).where(WaveEntry.application == Application.id,
                                                    WaveEntry.outcome == rules.OUTCOME_SELECTED)
    source = (Application.select(Value(wave.id), Application.id, fn.SUBSTR(Address.region_code, 1, 2), Value(now),
                                 Value(actor.id))
              .join(Address, on=((Address.application == Application.id) & (Address.kind == "ktp")))
              .where(Application.channel == "walkin", Application.status == app_status.CONFIRMED,
                     fn.LENGTH(Address.region_code) >= 2, ~fn.EXISTS(selected)))
    fields = [WaveEntry.wave, WaveEntry.application, WaveEntry.province, WaveEntry.joined_at, WaveEntry.entered_by]
    with db.atomic():
        # A no-op write on the wave row locks it: a selection asked for at this moment waits for these entries.
        if not Wave.update(number=Wave.number).where(Wave.id == wave.id, _walkins_allowed(now)).execute():
            raise DomainError(SELECTION_STARTED)
        WaveEntry.insert_from(source, fields).on_conflict_ignore().execute()
        ids = [e.id for e in WaveEntry.select(WaveEntry.id).where(WaveEntry.wave == wave.id,
                                                                 WaveEntry.entered_by == actor.id,
                                                                 WaveEntry.joined_at == now)]
        audit.record_many(actor, "wave.entered", [("wave_entry", i) for i in ids], fields=["wave", "application"],
                          ip=ip)
    return len(ids)


def waiting_walkins(wave):
    """Confirmed walk-in candidates, never selected, not yet in this wave."""
    taken = WaveEntry.select(WaveEntry.id).where(
        WaveEntry.application == Application.id,
        (WaveEntry.wave == wave.id) | (WaveEntry.outcome == rules.OUTCOME_SELECTED))
    return (Application.select().where(Application.channel == "walkin", Application.status == app_status.CONFIRMED,
                                       ~fn.EXISTS(taken)).count())
