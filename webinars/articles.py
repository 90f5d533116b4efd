"""webinars: the articles of the Minamata Convention that sessions and chapters are tagged with."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

ARTICLES = {
    1: _l("Objective"),
    2: _l("Definitions"),
    3: _l("Mercury supply sources and trade"),
    4: _l("Mercury-added products"),
    5: _l("Manufacturing processes in which mercury or mercury compounds are used"),
    6: _l("Exemptions available to a Party upon request"),
    7: _l("Artisanal and small-scale gold mining"),
    8: _l("Emissions"),
    9: _l("Releases"),
    10: _l("Environmentally sound interim storage of mercury, other than waste mercury"),
    11: _l("Mercury wastes"),
    12: _l("Contaminated sites"),
    13: _l("Financial resources and mechanism"),
    14: _l("Capacity-building, technical assistance and technology transfer"),
    15: _l("Implementation and Compliance Committee"),
    16: _l("Health aspects"),
    17: _l("Information exchange"),
    18: _l("Public information, awareness and education"),
    19: _l("Research, development and monitoring"),
    20: _l("Implementation plans"),
    21: _l("Reporting"),
    22: _l("Effectiveness evaluation"),
}


def article_label(number: int) -> str:
    name = ARTICLES.get(int(number))
    if name is None:
        return _("Article %(n)s", n=number)
    return _("Art. %(n)s %(name)s", n=number, name=name)


def article_choices() -> list[tuple[str, str]]:
    return [(str(n), article_label(n)) for n in ARTICLES if n >= 3]
