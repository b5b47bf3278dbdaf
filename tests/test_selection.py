"""Selection: each screening rule with its reason, the KK rule across waves, priority, quotas per province,
the pinned draw, SQL and Python agreeing, `flask wave select` / `flask wave draw --verify`, results told once."""

from datetime import date

import pytest

from portal.models import NikDispute, OutboxMessage, StatementLetter, Wave, WaveEntry
from portal.rules import draw, screening
from portal.services import selection
from wave_support import make_account_for, make_application, past_wave


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield app


def outcome(application, wave):
    entry = WaveEntry.get(WaveEntry.wave == wave.id, WaveEntry.application == application.id)
    return entry.outcome, entry.reason


def test_the_draw_key_is_sha256_of_seed_and_reference():
    # printf 'benihPK-AAAA-BBBB' | sha256sum
    assert draw.draw_key("benih", "PK-AAAA-BBBB") == "a64ea4f34828aa85de5e0a5251d1710a613a9f7c19ab417fa041634a8b975a26"


def test_the_draw_is_pinned_to_a_small_known_result():
    candidates = [draw.Candidate(f"PK-000{i}-TEST", "32" if i < 4 else "33", screening.TIER_OTHER) for i in range(6)]
    candidates.append(draw.Candidate("PK-0009-TEST", "33", screening.TIER_WALKIN))
    results = draw.draw(candidates, "gelombang-9", quota=3, province_quotas={"32": 2})
    # Province 32 (2 seats) in draw order: 0003, 0000, 0002, 0001; the national pool (1 seat): 0009, 0004, 0005.
    assert {ref: (r.outcome, r.rank) for ref, r in results.items()} == {
        "PK-0003-TEST": ("selected", 1), "PK-0000-TEST": ("selected", 2), "PK-0002-TEST": ("not_selected", 3),
        "PK-0001-TEST": ("not_selected", 4), "PK-0009-TEST": ("selected", 1), "PK-0004-TEST": ("not_selected", 2),
        "PK-0005-TEST": ("not_selected", 3)}
    assert results["PK-0009-TEST"] == draw.Result("selected", None, 1)  # the walk-in comes first in its pool
    assert draw.draw(list(reversed(candidates)), "gelombang-9", 3, {"32": 2}) == results



def test_the_kk_cap_counts_earlier_selections_and_the_order():
    candidates = [draw.Candidate(f"PK-000{i}-TEST", "32", screening.TIER_OTHER, kk="K1", kk_taken=1) for i in range(3)]
    results = draw.draw(candidates, "s", quota=10)
    assert sorted(r.outcome for r in results.values()) == ["ineligible", "ineligible", "selected"]


def test_each_screening_rule_gives_its_reason(ctx, make_staff):
    officer = make_staff("officer")
    kk_full = "3201019999990001"
    earlier = [make_application(kk=kk_full), make_application(kk=kk_full)]
    twice = make_application()
    failed = [make_application() for _ in range(3)]
    past_wave(1, quota=3, entries=[*earlier, twice])
    selection.run(Wave.get(Wave.number == 1), notify=False)
    for number in (2, 3, 4):
        wave = past_wave(number, quota=0, entries=failed)
        selection.run(wave, notify=False)
    cases = {
        "in_education": make_application(not_in_education=False),
        "excluded_job": make_application(not_excluded=None),
        "under_age": make_application(birth_date=date.today().replace(year=date.today().year - 17)),
        "not_joinable": make_application(status="withdrawn"),
        "selected_before": twice,
        "kk_limit": make_application(kk=kk_full),
        "nik_dispute": make_application(),
        "letter_required": failed[0],
        None: make_application(),
    }
    NikDispute.create(nik=cases["nik_dispute"].nik, claimant_name="X", contact_phone="+6281200000000",
                      office=officer.office, recorded_by=officer)
    StatementLetter.create(application=failed[1], status="approved")
    StatementLetter.create(application=failed[2], status="pending")
    wave = past_wave(5, quota=10, entries=[*cases.values(), failed[1], failed[2]])
    selection.run(wave, notify=False)
    for reason, application in cases.items():
        assert outcome(application, wave) == (("ineligible", reason) if reason else ("selected", None)), reason
    assert outcome(failed[1], wave) == ("selected", None)
    assert outcome(failed[2], wave) == ("ineligible", "letter_required")
    assert selection.verify(wave) == []


def test_kk_rule_across_waves(ctx):
    kk = "3201018888880001"
    first = make_application(kk=kk)
    wave1 = past_wave(1, quota=5, entries=[first])
    selection.run(wave1, notify=False)
    second, third = make_application(kk=kk), make_application(kk=kk)
    wave2 = past_wave(2, quota=5, entries=[second, third])
    selection.run(wave2, notify=False)
    outcomes = sorted([outcome(second, wave2), outcome(third, wave2)], key=str)
    assert outcomes == [("ineligible", "kk_limit"), ("selected", None)]
    assert selection.verify(wave2) == []


def test_priority_walkins_first_then_no_other_aid(ctx):
    other = [make_application(aid="pkh") for _ in range(5)]
    no_aid = [make_application(aid="none") for _ in range(3)]
    walkin = make_application(channel="walkin", status="confirmed", aid="pkh")
    wave = past_wave(1, quota=3, entries=[*other, *no_aid, walkin])
    selection.run(wave, notify=False)
    assert outcome(walkin, wave) == ("selected", None)
    assert sorted(outcome(a, wave)[0] for a in no_aid) == ["not_selected", "selected", "selected"]
    assert all(outcome(a, wave) == ("not_selected", "national_quota_full") for a in other)  # no province quotas
    tiers = {e.application_id: e.tier for e in WaveEntry.select()}
    assert tiers[walkin.id] == screening.TIER_WALKIN and tiers[other[0].id] == screening.TIER_OTHER


def test_quota_per_province(ctx):
    jabar = [make_application(province="32") for _ in range(4)]
    jatim = [make_application(province="35") for _ in range(4)]
    papua = [make_application(province="91") for _ in range(4)]
    wave = past_wave(1, quota=5, province_quotas={"32": 3, "35": 1}, entries=[*jabar, *jatim, *papua])
    selection.run(wave, notify=False)

    def chosen(group):
        return sum(outcome(a, wave)[0] == "selected" for a in group)

    assert (chosen(jabar), chosen(jatim), chosen(papua)) == (3, 1, 1)
    # Those left out are told which quota was full: their province's own, or the one the others share.
    reasons = {group: {outcome(a, wave)[1] for a in people if outcome(a, wave)[0] == "not_selected"}
               for group, people in (("own", jabar + jatim), ("shared", papua))}
    assert reasons == {"own": {"quota_full"}, "shared": {"national_quota_full"}}
    assert selection.verify(wave) == []
    assert draw.draw([draw.Candidate("PK-1", "91", 0, None, 0)], "benih", 0)["PK-1"].reason == "national_quota_full"


def test_rerun_gives_the_same_outcomes_and_tells_each_person_once(ctx):
    people = []
    for i in range(6):
        account = make_account_for(f"orang{i}@contoh.id")
        people.append(make_application(account=account, verified_phone=f"+62812000000{i:02d}"))
    people.append(make_application(not_in_education=False, verified_phone="+6281200000099"))
    wave = past_wave(1, quota=2, entries=people)
    selection.run(wave)
    first = {e.id: (e.outcome, e.reason, e.rank, e.draw_key) for e in WaveEntry.select()}
    sent = OutboxMessage.select().where(OutboxMessage.kind == "wave_result").count()
    assert sent == 6 + 7  # six emails (the seventh person has no address), seven SMS
    seed = Wave.get_by_id(wave.id).seed
    selection.run(wave)
    assert {e.id: (e.outcome, e.reason, e.rank, e.draw_key) for e in WaveEntry.select()} == first
    assert Wave.get_by_id(wave.id).seed == seed and Wave.get_by_id(wave.id).results_sent_at
    assert OutboxMessage.select().where(OutboxMessage.kind == "wave_result").count() == sent


def test_selection_refuses_an_open_wave(ctx):
    from portal.domain import DomainError
    from wave_support import open_wave

    wave = open_wave()
    with pytest.raises(DomainError):
        selection.run(wave)


def test_cli_select_and_verify(app, runner):
    with app.app_context():
        people = [make_application(province=p) for p in ("32", "33", "34") for _ in range(5)]
        wave = past_wave(7, quota=6, entries=people)
    result = runner.invoke(args=["wave", "select", "7", "--no-notify"])
    assert result.exit_code == 0, result.output
    assert "selected      6" in result.output
    result = runner.invoke(args=["wave", "draw", "--verify", "7"])
    assert result.exit_code == 0 and "reproduces every stored outcome" in result.output
    with app.app_context():
        chosen = WaveEntry.get(WaveEntry.wave == wave.id, WaveEntry.outcome == "selected")
        WaveEntry.update(outcome="not_selected", reason="quota_full").where(WaveEntry.id == chosen.id).execute()
    result = runner.invoke(args=["wave", "draw", "--verify", "7"])
    assert result.exit_code != 0 and "1 entries differ" in result.output
    assert runner.invoke(args=["wave", "select", "99"]).exit_code != 0


def test_one_person_is_screened_by_the_same_rules(ctx, make_staff):
    kk = "3201017777770001"
    a, b = make_application(kk=kk), make_application(kk=kk)
    selection.run(past_wave(1, quota=5, entries=[a, b]), notify=False)
    third = make_application(kk=kk)
    assert selection.screen_one(third) == "kk_limit"
    assert selection.screen_one(a) == "selected_before"
    assert selection.screen_one(make_application()) is None
    assert selection.screen_one(make_application(not_excluded=False)) == "excluded_job"
    ratified = make_application(channel="walkin", status="ratified")
    assert selection.screen_one(ratified) == "not_joinable"
    assert selection.screen_one(ratified, check_status=False) is None
