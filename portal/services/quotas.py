"""Quotas per province and period (set by the administrator) and how much of each is used."""

from peewee import IntegrityError, fn

from portal.domain import DomainError
from portal.i18n import lazy_gettext as _l
from portal.models import Quota, Ratification, RatificationEntry, db, utcnow
from portal.services import audit

OVERLAP = _l("This province already has a quota for part of this period. Change that one instead.")


def quota_for(province_code, on):
    """The quota of a province for the period holding a date, or None."""
    return Quota.get_or_none((Quota.province_code == province_code) & (Quota.starts_on <= on) & (Quota.ends_on >= on))


def used(quota):
    """How many records were ratified against a quota: its province, decrees dated within its period."""
    return (RatificationEntry.select(fn.COUNT(RatificationEntry.id))
            .join(Ratification)
            .where(RatificationEntry.province_code == quota.province_code,
                   Ratification.decree_date.between(quota.starts_on, quota.ends_on))
            .scalar() or 0)


def save_quota(actor, province_code, starts_on, ends_on, amount, quota=None, ip=None):
    """Create a quota, or change one; periods of one province never overlap."""
    overlapping = Quota.select().where(Quota.province_code == province_code, Quota.starts_on <= ends_on,
                                       Quota.ends_on >= starts_on)
    if quota is not None:
        overlapping = overlapping.where(Quota.id != quota.id)
    if overlapping.exists():
        raise DomainError(OVERLAP, field="starts_on")
    values = {"province_code": province_code, "starts_on": starts_on, "ends_on": ends_on, "amount": amount,
              "updated_by": actor, "updated_at": utcnow()}
    try:
        with db.atomic():
            if quota is None:
                quota = Quota.create(**values)
            else:
                Quota.update(**values).where(Quota.id == quota.id).execute()
            audit.record(actor, "quota.set", quota, fields=["amount", "starts_on", "ends_on"], ip=ip)
    except IntegrityError:
        raise DomainError(OVERLAP, field="starts_on")
    return quota
