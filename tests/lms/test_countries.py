"""The country data: every UN Member State plus the Cook Islands, Niue and the State of Palestine, each
in its UN regional group, each named by Babel in every language the platform offers."""

from __future__ import annotations

import csv
from collections import Counter

import pytest
from babel import Locale
from sqlalchemy import func, select

from lms.countries import DATA_FILE, country_choices, country_name, country_rows, ensure_countries
from lms.db import db
from lms.i18n import collation_key
from lms.models import UN_REGIONS, Country


def test_file_shape_and_uniqueness():
    with DATA_FILE.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert reader.fieldnames == ["alpha2", "alpha3", "region"]
        rows = list(reader)
    assert len(rows) == 196  # 193 Member States + Cook Islands, Niue, State of Palestine
    assert len({r["alpha2"] for r in rows}) == 196 and len({r["alpha3"] for r in rows}) == 196
    for r in rows:
        assert (
            len(r["alpha2"]) == 2
            and r["alpha2"].isupper()
            and len(r["alpha3"]) == 3
            and r["alpha3"].isupper()
        )
    alpha3 = {r["alpha2"]: r["alpha3"] for r in rows}
    assert {
        c: alpha3[c] for c in ("CH", "FR", "SN", "TR", "PS", "CK", "NU", "KR", "KP", "CD", "CG", "GB")
    } == {
        "CH": "CHE",
        "FR": "FRA",
        "SN": "SEN",
        "TR": "TUR",
        "PS": "PSE",
        "CK": "COK",
        "NU": "NIU",
        "KR": "KOR",
        "KP": "PRK",
        "CD": "COD",
        "CG": "COG",
        "GB": "GBR",
    }


def test_every_region_is_a_un_group_and_group_sizes_match():
    regions = Counter(region for _c, _a3, region in country_rows())
    assert set(regions) <= set(UN_REGIONS)
    # 54 African States, 53 Asia-Pacific + Kiribati (54) + the three non-members, 23 Eastern European,
    # 33 Latin American and Caribbean, 28 Western European and others + the United States.
    assert regions == {"africa": 54, "asia_pacific": 57, "ceeg": 23, "grulac": 33, "weog": 29}


@pytest.mark.parametrize(
    ("code", "region"),
    [
        ("TR", "weog"),
        ("IL", "weog"),
        ("US", "weog"),
        ("KI", "asia_pacific"),
        ("CY", "asia_pacific"),
        ("CK", "asia_pacific"),
        ("NU", "asia_pacific"),
        ("PS", "asia_pacific"),
        ("CH", "weog"),
        ("FR", "weog"),
        ("SN", "africa"),
        ("RU", "ceeg"),
        ("BR", "grulac"),
        ("SS", "africa"),
        ("KZ", "asia_pacific"),
    ],
)
def test_notable_memberships(code, region):
    assert dict((c, r) for c, _a3, r in country_rows())[code] == region


@pytest.mark.parametrize("locale", ["en", "fr", "es", "ar", "zh", "ru"])
def test_every_code_has_a_babel_name(locale):
    territories = Locale.parse(locale).territories
    missing = [code for code, _a3, _r in country_rows() if code not in territories]
    assert missing == []


def test_names_are_localised():
    assert country_name("CH", "fr") == "Suisse" and country_name("CH", "en") == "Switzerland"
    assert country_name("sn", "es") == "Senegal" and country_name("FR", "ar") == "فرنسا"
    assert country_name(None) == ""


def test_choices_are_sorted_by_localised_name():
    choices = country_choices("fr")
    assert len(choices) == 196
    names = [n for _c, n in choices]
    assert names == sorted(names, key=collation_key)
    assert ("DE", "Allemagne") in choices


def test_chinese_choices_follow_pinyin_order():
    names = [n for _c, n in country_choices("zh")]
    assert len(names) == 196
    # Afuhan and Aerbaniya open the list, Zhongguo is among the last: by pinyin, where code point
    # order would put 中国 first.
    assert names[0].startswith("阿") and names.index("中国") > len(names) - 10
    assert names.index("巴西") < names.index("秘鲁") < names.index("马里") < names.index("中国")


def test_ensure_countries_is_idempotent(app):
    assert ensure_countries() == 196
    db.session.commit()
    assert ensure_countries() == 0
    assert db.session.scalar(select(func.count()).select_from(Country)) == 196
    assert db.session.get(Country, "TR").alpha3 == "TUR"


def test_country_choices_ignore_accents_in_french(app):
    names = [name for _code, name in country_choices("fr")]
    pos = names.index
    assert pos("Belgique") < pos("Bénin") < pos("Bhoutan")
    assert (
        pos("Dominique")
        < pos("Égypte")
        < pos("Équateur")
        < pos("Espagne")
        < pos("États-Unis")
        < pos("Éthiopie")
    )
    assert pos("Sénégal") < pos("Serbie")
    assert all(not n.startswith("É") for n in names[pos("Fidji") :])  # no É at the end of the list


def test_register_and_admin_lists_use_the_same_order(client, countries):
    html = client.get("/account/register", headers={"Accept-Language": "fr"}).get_data(as_text=True)
    assert html.index(">Belgique<") < html.index(">Bénin<") < html.index(">Bhoutan<")
    assert html.index(">Égypte<") < html.index(">Espagne<")
