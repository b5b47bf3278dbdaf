"""The draw that fills a wave's quota: a pure, documented function of the seed and the entries.

Anyone with the published seed and list can repeat it:
1. Each eligible entry's draw key is SHA-256 over the UTF-8 bytes of seed + reference, in lowercase hex.
2. Entries are ordered by priority tier (portal.rules.screening: confirmed walk-ins, then no other aid, then
   others), then by draw key.
3. Family cards: walking that order, an entry whose KK already has two people selected (earlier waves plus
   those before it in this order) is ineligible with reason "kk_limit" (DESIGN.md 3).
4. Seats: a province with its own quota is its own pool; every other province shares one national pool of
   the seats the province quotas leave. In each pool the first entries in the order are selected, up to its
   seats; the rest are not selected, reason "quota_full" (a province's own pool) or "national_quota_full" (the
   shared one). Rank is the position in the pool, from 1.
"""

import hashlib
from dataclasses import dataclass

from portal.rules.screening import MAX_SELECTED_PER_KK

NATIONAL = "*"
# Why an eligible entry was not selected: its province's own quota, or the national pool, was full.
FULL = {False: "quota_full", True: "national_quota_full"}


def draw_key(seed, reference):
    """SHA-256(seed + reference) in lowercase hex."""
    return hashlib.sha256((seed + reference).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Candidate:
    """An entry that passed screening, with what the draw needs."""

    reference: str
    province: str
    tier: int
    kk: str = None  # the family card number, or any stable token for it
    kk_taken: int = 0  # people on that KK selected in earlier waves


@dataclass(frozen=True)
class Result:
    outcome: str  # "selected", "not_selected" or "ineligible"
    reason: str = None
    rank: int = None


def pool_of(province, province_quotas):
    return province if province in province_quotas else NATIONAL


def seats(quota, province_quotas):
    """{pool: seats}: each province quota, and the national pool with what is left of the total."""
    return {**province_quotas, NATIONAL: max(quota - sum(province_quotas.values()), 0)}


def draw(candidates, seed, quota, province_quotas=None):
    """{reference: Result} for every candidate (steps 1-4 of the module's description)."""
    province_quotas = province_quotas or {}
    order = sorted(candidates, key=lambda c: (c.tier, draw_key(seed, c.reference)))
    per_kk, ranks, results = {}, {}, {}
    pools = seats(quota, province_quotas)
    for candidate in order:
        if candidate.kk is not None:
            per_kk[candidate.kk] = per_kk.get(candidate.kk, 0) + 1
            if per_kk[candidate.kk] + candidate.kk_taken > MAX_SELECTED_PER_KK:
                results[candidate.reference] = Result("ineligible", "kk_limit")
                continue
        pool = pool_of(candidate.province, province_quotas)
        ranks[pool] = rank = ranks.get(pool, 0) + 1
        if rank <= pools[pool]:
            results[candidate.reference] = Result("selected", None, rank)
        else:
            results[candidate.reference] = Result("not_selected", FULL[pool == NATIONAL], rank)
    return results
