"""Every list of options on the application form, in one place (labels in Bahasa Indonesia via Babel)."""

from portal.i18n import lazy_gettext as _l

EDUCATION = [
    ("none", _l("Did not finish primary school")),
    ("sd", _l("Primary school (SD)")),
    ("smp", _l("Junior high school (SMP)")),
    ("sma", _l("Senior or vocational high school (SMA/SMK)")),
    ("diploma", _l("Diploma (D1 to D3)")),
    ("s1", _l("Bachelor's degree (S1/D4)")),
    ("s2", _l("Master's degree (S2)")),
    ("s3", _l("Doctorate (S3)")),
]

EMPLOYMENT = [
    ("job_seeker", _l("Looking for work")),
    ("laid_off", _l("Laid off (PHK)")),
    ("sent_home", _l("Sent home by my employer without pay (dirumahkan)")),
    ("worker", _l("Working for an employer")),
    ("informal", _l("Freelance or informal work")),
    ("micro_business", _l("Running a micro or small business")),
]

# Permenko 11/2020 art. 3: these people may not receive the Prakerja card.
EXCLUDED_GROUPS = [
    _l("state officials"),
    _l("members of a regional parliament (DPRD)"),
    _l("civil servants (ASN: PNS and PPPK)"),
    _l("members of the armed forces (TNI)"),
    _l("members of the police (Polri)"),
    _l("village heads and village officials"),
    _l("directors, commissioners and supervisory board members of state or regional companies (BUMN/BUMD)"),
]

GOVERNMENT_AID = [
    ("none", _l("None")),
    ("pkh", _l("Family Hope Programme (PKH)")),
    ("sembako", _l("Basic food aid (BPNT/Sembako)")),
    ("blt_village", _l("Village fund cash aid (BLT Dana Desa)")),
    ("wage_subsidy", _l("Wage subsidy (BSU)")),
    ("micro_business", _l("Presidential aid for micro businesses (BPUM)")),
    ("other", _l("Other government aid")),
]

TRAINING_FIELDS = [
    ("sales", _l("Sales and marketing")),
    ("digital", _l("Computers and digital skills")),
    ("language", _l("Foreign languages")),
    ("food", _l("Cooking, food and drink")),
    ("agriculture", _l("Farming, fishing and livestock")),
    ("fashion", _l("Sewing and fashion")),
    ("beauty", _l("Beauty and hairdressing")),
    ("automotive", _l("Vehicle repair")),
    ("technical", _l("Electrical, welding and building work")),
    ("business", _l("Starting and running a business")),
    ("office", _l("Office administration")),
    ("tourism", _l("Tourism and hospitality")),
]

SEX = {"L": _l("Male"), "P": _l("Female")}


def label(options, key):
    """The label of a key in a list of options, or the key itself."""
    return dict(options).get(key, key)
