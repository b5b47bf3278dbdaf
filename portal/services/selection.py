"""Selection of a closed wave: screening, priority and the draw, set-based in one SQL statement.

The statement computes every entry's screening reason (portal.rules.screening, same order), tier, draw key
SHA-256(seed + reference) and rank (portal.rules.draw), and writes all outcomes in one UPDATE; a million
entries take seconds, not the hours a Python loop of single-row writes would. It can be re-run: the seed is
fixed the first time, so the same data gives the same outcomes, and applicants already told are not told
again (services.notify). `verify()` repeats it all in Python from the rule functions and compares.
"""

import hashlib
import secrets
from datetime import timezone

from peewee import PostgresqlDatabase, fn

from portal.domain import DomainError
from portal.i18n import lazy_gettext as _l
from portal.models import Application, NikDispute, StatementLetter, Wave, WaveEntry, db, utcnow
from portal.rules import draw, screening
from portal.rules import status as app_status
from portal.rules.eligibility import ZONE
from portal.services import audit, waves

NOT_CLOSED = _l("This wave is still open. Close it before running the selection.")

# {p} is the driver's placeholder; {key} the SHA-256 expression of the database. Earlier waves are those with
# a lower number. Joinable statuses, thresholds and reasons come from portal.rules, as parameters.
SELECT_SQL = """
WITH earlier AS (
    SELECT p.application_id,
           SUM(CASE WHEN p.outcome = 'selected' THEN 1 ELSE 0 END) AS selected,
           SUM(CASE WHEN p.outcome = 'not_selected' THEN 1 ELSE 0 END) AS failures
    FROM wave_entry p JOIN wave pw ON pw.id = p.wave_id
    WHERE pw.number < {p} AND p.outcome IN ('selected', 'not_selected')
    GROUP BY p.application_id
), kk_taken AS (
    SELECT pa.kk_number, COUNT(*) AS taken
    FROM wave_entry p JOIN wave pw ON pw.id = p.wave_id JOIN application pa ON pa.id = p.application_id
    WHERE pw.number < {p} AND p.outcome = 'selected' AND pa.kk_number IS NOT NULL
    GROUP BY pa.kk_number
), disputed AS (
    SELECT DISTINCT d.nik FROM nik_dispute d WHERE d.status = 'open'
), screened AS (
    SELECT e.id, a.kk_number AS kk, COALESCE(k.taken, 0) AS kk_taken,
           CASE WHEN q.province IS NULL THEN '*' ELSE q.province END AS pool,
           CASE WHEN q.province IS NULL THEN {p} ELSE q.quota END AS seats,
           {key} AS draw_key,
           CASE WHEN a.channel = 'walkin' AND a.status = {p} THEN {p}
                WHEN a.aid IS NULL OR a.aid = '' OR a.aid = 'none' THEN {p} ELSE {p} END AS tier,
           CASE WHEN a.status NOT IN ({p}, {p}) THEN 'not_joinable'
                WHEN a.not_in_education IS NULL OR a.not_in_education <> {p} THEN 'in_education'
                WHEN a.not_excluded IS NULL OR a.not_excluded <> {p} THEN 'excluded_job'
                WHEN a.birth_date IS NULL OR a.birth_date > {p} THEN 'under_age'
                WHEN COALESCE(r.selected, 0) > 0 THEN 'selected_before'
                WHEN COALESCE(k.taken, 0) >= {p} THEN 'kk_limit'
                WHEN n.nik IS NOT NULL THEN 'nik_dispute'
                WHEN COALESCE(r.failures, 0) >= {p} AND NOT EXISTS (
                    SELECT 1 FROM statement_letter s WHERE s.application_id = a.id AND s.status = 'approved')
                    THEN 'letter_required'
           END AS reason
    FROM wave_entry e
    JOIN application a ON a.id = e.application_id
    LEFT JOIN earlier r ON r.application_id = e.application_id
    LEFT JOIN kk_taken k ON k.kk_number = a.kk_number
    LEFT JOIN disputed n ON n.nik = a.nik
    LEFT JOIN wave_quota q ON q.wave_id = e.wave_id AND q.province = e.province
    WHERE e.wave_id = {p}
), family AS (
    SELECT s.*, CASE WHEN s.reason IS NULL AND s.kk IS NOT NULL AND s.kk_taken + ROW_NUMBER() OVER (
                    PARTITION BY s.kk, s.reason IS NULL ORDER BY s.tier, s.draw_key) > {p}
                THEN 'kk_limit' ELSE s.reason END AS final_reason
    FROM screened s
), ranked AS (
    SELECT f.*, ROW_NUMBER() OVER (PARTITION BY f.final_reason IS NULL, f.pool ORDER BY f.tier, f.draw_key) AS rn
    FROM family f
)
UPDATE wave_entry SET
    outcome = CASE WHEN r.final_reason IS NOT NULL THEN 'ineligible'
                   WHEN r.rn <= r.seats THEN 'selected' ELSE 'not_selected' END,
    reason = CASE WHEN r.final_reason IS NOT NULL THEN r.final_reason
                  WHEN r.rn <= r.seats THEN NULL WHEN r.pool = '*' THEN 'national_quota_full'
                  ELSE 'quota_full' END,
    tier = r.tier,
    draw_key = r.draw_key,
    rank = CASE WHEN r.final_reason IS NULL THEN r.rn END
FROM ranked r
WHERE wave_entry.id = r.id
"""
PG_KEY = "(encode(sha256(convert_to({p} || a.reference, 'UTF8')), 'hex') COLLATE \"C\")"
SQLITE_KEY = "sha256_hex({p} || a.reference)"


def _sha256_hex(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _statement(wave, seed, cutoff):
    """The SQL and its parameters for this database."""
    postgres = isinstance(db.obj, PostgresqlDatabase)
    if not postgres and "sha256_hex" not in db.obj._functions:
        db.obj.register_function(_sha256_hex, "sha256_hex", 1, deterministic=True)
    p = db.obj.param
    sql = SELECT_SQL.replace("{key}", (PG_KEY if postgres else SQLITE_KEY)).replace("{p}", p)
    joinable = sorted(screening.JOINABLE)
    national = draw.seats(wave.quota, waves.quotas_of(wave))[draw.NATIONAL]
    params = [
        wave.number, wave.number,  # earlier, kk_taken
        national, seed,  # seats of the national pool, draw key
        app_status.CONFIRMED, screening.TIER_WALKIN, screening.TIER_NO_AID, screening.TIER_OTHER,
        *joinable, True, True, cutoff.isoformat(), screening.MAX_SELECTED_PER_KK, screening.LETTER_AFTER_FAILURES,
        wave.id, screening.MAX_SELECTED_PER_KK,
    ]
    return sql, params


def close_date(wave):
    """The day (in Indonesia) the wave closed, on which age is counted."""
    return wave.closes_at.replace(tzinfo=timezone.utc).astimezone(ZONE).date()


def run(wave, actor=None, now=None, ip=None, notify=True):
    """Screen, prioritise and draw every entry of a closed wave; returns {outcome: count}. Safe to re-run."""
    now = now or utcnow()
    wave = Wave.get_by_id(wave.id)
    if now < wave.closes_at:
        raise DomainError(NOT_CLOSED)
    with db.atomic():
        Wave.update(seed=secrets.token_hex(16)).where(Wave.id == wave.id, Wave.seed.is_null()).execute()
        wave = Wave.get_by_id(wave.id)
        sql, params = _statement(wave, wave.seed, screening.adult_cutoff(close_date(wave)))
        db.execute_sql(sql, params)
        # A job asked for (or running) ends here too, so a run from the command line answers the PMO's request.
        Wave.update(selected_at=now, selected_by=actor, selection_requested_at=None, selection_started_at=None,
                    selection_failed_at=None).where(Wave.id == wave.id).execute()
        audit.record(actor, "wave.selected", wave, fields=["seed", "selected_at", "outcome"], ip=ip)
    waves.invalidate()
    if notify:
        from portal.services import notify as notifying

        notifying.queue_wave(wave)
    return counts(wave)


def counts(wave):
    """{outcome: entries} of a wave."""
    rows = (WaveEntry.select(WaveEntry.outcome, fn.COUNT(WaveEntry.id)).where(WaveEntry.wave == wave.id)
            .group_by(WaveEntry.outcome).tuples())
    return {outcome: n for outcome, n in rows}


def facts_for_wave(wave):
    """Screening facts for every application in the wave, computed in Python from earlier waves' rows."""
    earlier = (WaveEntry.select(WaveEntry.application, WaveEntry.outcome, Application.kk_number)
               .join(Wave).switch(WaveEntry).join(Application)
               .where(Wave.number < wave.number, WaveEntry.outcome.in_(["selected", "not_selected"])).tuples())
    selected, failures, kk_taken = set(), {}, {}
    for application_id, result, kk in earlier:
        if result == "selected":
            selected.add(application_id)
            if kk:
                kk_taken[kk] = kk_taken.get(kk, 0) + 1
        else:
            failures[application_id] = failures.get(application_id, 0) + 1
    disputed = {n for (n,) in NikDispute.select(NikDispute.nik).where(NikDispute.status == "open").tuples()}
    approved = {a for (a,) in StatementLetter.select(StatementLetter.application)
                .where(StatementLetter.status == "approved").tuples()}
    return selected, failures, kk_taken, disputed, approved


def expected(wave, seed=None):
    """{entry id: Result} computed in Python from the rule functions (screening, tier, draw) alone."""
    wave = Wave.get_by_id(wave.id)
    seed = seed or wave.seed
    selected, failures, kk_taken, disputed, approved = facts_for_wave(wave)
    on = close_date(wave)
    # Plain rows rather than model instances: a million of them must fit in a verify run.
    rows = (WaveEntry.select(WaveEntry.id.alias("entry_id"), WaveEntry.province, Application.id, Application.reference,
                             Application.kk_number, Application.nik, Application.status, Application.channel,
                             Application.aid, Application.not_in_education, Application.not_excluded,
                             Application.birth_date)
            .join(Application).where(WaveEntry.wave == wave.id).namedtuples())
    results, candidates, by_reference = {}, [], {}
    for application in rows:
        facts = screening.Facts(
            selected_before=application.id in selected, kk_selected=kk_taken.get(application.kk_number, 0),
            open_dispute=application.nik in disputed, failures=failures.get(application.id, 0),
            letter_approved=application.id in approved)
        reason = screening.screen(application, facts, on)
        if reason:
            results[application.entry_id] = draw.Result("ineligible", reason)
            continue
        by_reference[application.reference] = application.entry_id
        candidates.append(draw.Candidate(application.reference, application.province, screening.tier(application),
                                         application.kk_number, facts.kk_selected))
    drawn = draw.draw(candidates, seed, wave.quota, waves.quotas_of(wave))
    for reference, result in drawn.items():
        results[by_reference[reference]] = result
    return results


def verify(wave):
    """The entries whose stored outcome differs from the Python re-computation: [(entry id, stored, expected)]."""
    wanted = expected(wave)
    stored = {entry_id: draw.Result(outcome, reason, rank) for entry_id, outcome, reason, rank in
              WaveEntry.select(WaveEntry.id, WaveEntry.outcome, WaveEntry.reason, WaveEntry.rank)
              .where(WaveEntry.wave == wave.id).tuples()}
    return [(entry_id, stored.get(entry_id), result) for entry_id, result in sorted(wanted.items())
            if stored.get(entry_id) != result]



RESULT_FIELDS = ["reference", "province", "tier", "draw_key", "rank", "outcome", "reason"]


def result_rows(wave):
    """The published list: one row per entry, by reference, with the fields of RESULT_FIELDS."""
    return (WaveEntry.select(Application.reference, WaveEntry.province, WaveEntry.tier, WaveEntry.draw_key,
                             WaveEntry.rank, WaveEntry.outcome, WaveEntry.reason)
            .join(Application).where(WaveEntry.wave == wave.id).order_by(Application.reference).tuples())


def manifest(rows):
    """(entries, SHA-256) of the published list: each row's fields as text (empty for none) joined by a tab,
    a line feed after each, UTF-8, in reference order; anyone can recompute it from the CSV."""
    digest = hashlib.sha256()
    count = 0
    for row in rows:
        digest.update(("\t".join("" if v is None else str(v) for v in row) + "\n").encode("utf-8"))
        count += 1
    return count, digest.hexdigest()


def summary(wave):
    """Counts for the results page: {province: {outcome: n}} and {(outcome, reason): n}."""
    by_province, by_reason = {}, {}
    rows = (WaveEntry.select(WaveEntry.province, WaveEntry.outcome, WaveEntry.reason, fn.COUNT(WaveEntry.id))
            .where(WaveEntry.wave == wave.id).group_by(WaveEntry.province, WaveEntry.outcome, WaveEntry.reason)
            .tuples())
    for province, result, reason, n in rows:
        counts = by_province.setdefault(province, {})
        counts[result] = counts.get(result, 0) + n
        by_reason[(result, reason)] = by_reason.get((result, reason), 0) + n
    return by_province, by_reason


def facts_for(application, before=None):
    """Screening facts of one application, counted over waves numbered below `before` (all when None): for
    checking one person with screening.screen(), as the PMO's confirmation of a walk-in does."""
    earlier = WaveEntry.select(WaveEntry.outcome, Application.kk_number).join(Application).switch(WaveEntry).join(Wave)
    if before is not None:
        earlier = earlier.where(Wave.number < before)
    mine = list(earlier.where(WaveEntry.application == application.id).tuples())
    kk_selected = 0
    if application.kk_number:
        kk_selected = (earlier.where(Application.kk_number == application.kk_number,
                                     WaveEntry.outcome == "selected").count())
    return screening.Facts(
        selected_before=any(outcome == "selected" for outcome, _kk in mine),
        kk_selected=kk_selected,
        open_dispute=bool(application.nik) and NikDispute.select().where(
            NikDispute.nik == application.nik, NikDispute.status == "open").exists(),
        failures=sum(1 for outcome, _kk in mine if outcome == "not_selected"),
        letter_approved=StatementLetter.select().where(StatementLetter.application == application.id,
                                                       StatementLetter.status == "approved").exists(),
    )


def screen_one(application, on=None, check_status=True):
    """The reason one application would be screened out today (or on a date), or None."""
    from portal.rules.eligibility import today

    return screening.screen(application, facts_for(application), on or today(), check_status)
