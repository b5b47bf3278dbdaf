"""The audit log: append-only and hash-chained, so an entry edited or removed in the database is detected.

Each entry's hash is SHA-256 over its canonical form: the UTF-8 bytes of the JSON array

    [1, seq, created_at, actor_id, actor_role, office_id, action, target_type, target_id, fields, ip, prev_hash]

written with no spaces (separators "," and ":") and ASCII escapes, where the leading 1 is the form's
version, created_at is ISO 8601 UTC with microseconds ("2026-03-01T08:15:00.000000"), ids are integers or
null, fields is the comma-separated sorted field names, and prev_hash is the previous entry's hash (64
zeros for the first). An entry is written in the same transaction as the change it records, so either both
are kept or neither. It holds ids, roles, action names and field names: never a NIK, phone, name or other
personal value (record() refuses anything that does not look like a field name).
"""

import hashlib
import json
import re
from dataclasses import dataclass

from peewee import IntegrityError, PostgresqlDatabase, SqliteDatabase

from portal.i18n import lazy_gettext as _l
from portal.models import Account, AuditEntry, db, utcnow

GENESIS = "0" * 64
FORM_VERSION = 1
NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
ACTION = re.compile(r"^[a-z][a-z0-9_.]{0,39}$")
# Two writers that read the same last entry: the unique seq lets one win; the other retries on top of it.
ATTEMPTS = 20
CHAIN_LOCK = 0x41554449  # any constant the portal uses for nothing else ("AUDI")

# What each action is called on screen; modules that add actions add their labels here.
ACTION_LABELS = {
    "office.created": _l("Office created"),
    "staff.created": _l("Staff account created"),
    "staff.link_sent": _l("Set-password link sent"),
    "staff.deactivated": _l("Staff account deactivated"),
    "staff.password_set": _l("Password set"),
    "staff.enrolled": _l("Authenticator set up"),
    "staff.recovery_codes_renewed": _l("New recovery codes made"),
    "staff.signed_in": _l("Signed in"),
    "staff.signed_in_recovery": _l("Signed in with a recovery code"),
    "staff.second_factor_failed": _l("Wrong authenticator code"),
    "staff.signed_out": _l("Signed out"),
    "application.submitted": _l("Application sent"),
    "application.withdrawn": _l("Record withdrawn"),
    "application.closed": _l("Batch closed and sent to the ministry"),
    "application.accepted": _l("Accepted by the ministry"),
    "application.returned": _l("Returned to the office"),
    "application.entered": _l("Corrected and entered again"),
    "application.ratified": _l("Ratified"),
    "application.confirmed": _l("Confirmed as a candidate participant"),
    "application.rejected": _l("Rejected"),
    "application.claimed": _l("Claimed by its applicant for an online account"),
    "letter.approved": _l("Statement letter approved"),
    "letter.rejected": _l("Statement letter rejected"),
    "application.nik_released": _l("NIK released from an unsent draft (NIK dispute)"),
    "nik_dispute.released": _l("NIK dispute resolved: NIK released from the online draft"),
    "nik_dispute.walkin_valid": _l("NIK dispute resolved: the walk-in holds the NIK"),
    "batch.closed": _l("Batch closed: manifest and document number fixed"),
    "batch.recap_printed": _l("Recap opened for printing"),
    "batch.statement_printed": _l("Statement of data truth opened for printing"),
    "batch.handover_printed": _l("Handover record (BAST) opened for printing"),
    "batch.csv_exported": _l("Records exported as CSV"),
    "batch.xlsx_exported": _l("Records exported as XLSX"),
    "walkin.created": _l("Walk-in entered at the desk"),
    "walkin.corrected": _l("Walk-in corrected"),
    "walkin.phone_code_sent": _l("SMS code sent to the applicant's number"),
    "walkin.phone_verified": _l("Mobile number confirmed at the desk"),
    "nik_dispute.recorded": _l("NIK dispute recorded"),
    "wave.created": _l("Wave created"),
    "wave.closed": _l("Wave closed"),
    "wave.entered": _l("Entered into a wave"),
    "wave.selection_requested": _l("Wave selection asked for"),
    "wave.selected": _l("Wave selection run"),
    "wave.selection_failed": _l("Wave selection failed"),
    "wave.results_sent": _l("Wave results sent"),
    "application.waiting": _l("Waiting: over the quota"),
    "batch.manifest_mismatch": _l("Batch refused: its manifest does not match"),
    "batch.ratified": _l("Batch ratified (decree)"),
    "quota.set": _l("Quota set"),
}


def canonical(entry):
    """The bytes an entry's hash is taken over (the form documented above)."""
    values = [
        FORM_VERSION, entry.seq, entry.created_at.isoformat(timespec="microseconds"), entry.actor_id,
        entry.actor_role, entry.office_id, entry.action, entry.target_type, entry.target_id, entry.fields,
        entry.ip, entry.prev_hash,
    ]
    return json.dumps(values, separators=(",", ":"), ensure_ascii=True).encode("ascii")


def entry_hash(entry):
    return hashlib.sha256(canonical(entry)).hexdigest()


def target_key(target):
    """("application", "12") for a model instance or a (type, id) pair; ("", "") for none."""
    if target is None:
        return "", ""
    if isinstance(target, tuple):
        kind, key = target
        return kind, str(key)
    return target._meta.table_name, str(target._pk)


def _write_transaction():
    """A savepoint inside the caller's transaction; alone, a SQLite transaction that takes the write lock
    at once, so the read of the last entry cannot go stale before the insert."""
    if isinstance(db.obj, SqliteDatabase) and not db.in_transaction():
        return db.atomic(lock_type="IMMEDIATE")
    return db.atomic()


def _queue_for_the_chain():
    """On PostgreSQL, appenders wait in turn (a lock held to the end of the transaction), so none keeps
    losing the race for the next seq; SQLite has a single writer at a time anyway."""
    if isinstance(db.obj, PostgresqlDatabase):
        db.execute_sql("SELECT pg_advisory_xact_lock(%s)", (CHAIN_LOCK,))


def record(actor, action, target=None, fields=(), ip=None):
    """Append an entry: `actor` (an Account, or None for the command line) did `action` to `target`,
    changing the named `fields`, from address `ip`. Call it inside the transaction of the change."""
    return record_many(actor, action, [target], fields, ip)[0]


def record_many(actor, action, targets, fields=(), ip=None):
    """Append one entry per target, in order, for one action done to many records at once (a batch
    closed, ten thousand records accepted): the chain is computed here and written in bulk."""
    if not ACTION.match(action):
        raise ValueError(f"not an action name: {action!r}")
    names = ",".join(sorted(set(fields)))
    if any(not NAME.match(name) for name in names.split(",") if names):
        raise ValueError("audit fields must be field names, never values")
    keys = [target_key(target) for target in targets]
    for _attempt in range(ATTEMPTS):
        try:
            with _write_transaction():
                _queue_for_the_chain()
                last = AuditEntry.select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).first()
                seq, prev = (last.seq, last.hash) if last else (0, GENESIS)
                now = utcnow()
                entries = []
                for target_type, target_id in keys:
                    seq += 1
                    entry = AuditEntry(
                        seq=seq, created_at=now, actor_id=actor.id if actor else None,
                        actor_role=actor.role if actor else "cli", office_id=actor.office_id if actor else None,
                        action=action, target_type=target_type, target_id=target_id, fields=names, ip=ip or "",
                        prev_hash=prev,
                    )
                    entry.hash = prev = entry_hash(entry)
                    entries.append(entry)
                for start in range(0, len(entries), 500):
                    AuditEntry.insert_many([e.__data__ for e in entries[start:start + 500]]).execute()
            return entries
        except IntegrityError:
            continue  # another writer took this seq first (the lock makes this rare): chain onto theirs
    raise RuntimeError("the audit log is too busy; try again")


@dataclass
class Verdict:
    count: int  # entries checked
    broken_at: int | None = None  # seq of the first entry that does not fit, or None when the chain is whole
    reason: str = ""
    head: str = GENESIS  # hash of the last good entry: note it elsewhere to detect entries cut off the end

    @property
    def ok(self):
        return self.broken_at is None


def verify():
    """Walk the chain in order and report the first entry that was altered, removed or inserted."""
    expected_seq, prev, count = 1, GENESIS, 0
    for entry in AuditEntry.select().order_by(AuditEntry.seq).iterator():
        if entry.seq != expected_seq:
            return Verdict(count, entry.seq, f"entry {expected_seq} is missing", prev)
        if entry.prev_hash != prev:
            return Verdict(count, entry.seq, "it does not point at the entry before it", prev)
        if entry.hash != entry_hash(entry):
            return Verdict(count, entry.seq, "its contents do not match its hash", prev)
        prev, expected_seq, count = entry.hash, expected_seq + 1, count + 1
    return Verdict(count, head=prev)


def for_record(target):
    """The log of one record, oldest first; each entry carries its actor (an Account or None) and its label."""
    target_type, target_id = target_key(target)
    entries = list(
        AuditEntry.select()
        .where(AuditEntry.target_type == target_type, AuditEntry.target_id == target_id)
        .order_by(AuditEntry.seq)
    )
    actors = {a.id: a for a in Account.select().where(Account.id.in_({e.actor_id for e in entries if e.actor_id}))}
    for entry in entries:
        entry.actor = actors.get(entry.actor_id)
        entry.label = label(entry.action)
    return entries


def label(action):
    """What an action is called on screen."""
    return ACTION_LABELS.get(action, action)
