"""The format of a kit's file ("OpenDocument Presentation", "PDF"…) is a word of the reader's language: it
is looked up through gettext when a page is shown (lazily), in the page's language, or in the offline
bundle's language, not fixed when the code is loaded. (The catalogues are translated separately: these
tests check the lookup, whatever the translation.)"""

from __future__ import annotations

from flask_babel import LazyString

from lms.db import db
from tests.courses.kits.conftest import add_file_resource, build_kit, office_file


def test_every_format_name_is_a_lazy_gettext_string():
    from courses.services.kits_files import FORMAT_NAMES, FORMATS

    assert set(FORMAT_NAMES.values()) and all(isinstance(v, LazyString) for v in FORMAT_NAMES.values())
    assert {str(label._args[0]) for _t, label in FORMATS.values()} >= {"OpenDocument Presentation", "PDF"}


def test_a_french_reader_s_pages_look_the_format_up_in_french(app, client, trainer, login, lookups):
    from courses.services.kits_snapshot import publish

    kit = build_kit(trainer, publish=False)
    add_file_resource(trainer, kit, office_file("odp"), "Day 1.odp")
    publish(trainer, kit)
    db.session.commit()
    client.get("/language/fr")
    page = client.get("/courses/kits/trade").get_data(as_text=True)
    assert "Day 1.odp" in page
    assert ("OpenDocument Presentation", "fr") in lookups
    login(trainer)
    client.get("/language/fr")
    part = kit.parts_of("resource")[-1]
    lookups.clear()
    client.get(f"/courses/kits/manage/trade/parts/{part.uuid}")
    assert ("OpenDocument Presentation", "fr") in lookups


def test_the_offline_bundle_looks_the_format_up_in_its_own_language(app, client, trainer, lookups):
    from courses.services.kits_snapshot import publish

    kit = build_kit(trainer, publish=False)
    add_file_resource(trainer, kit, office_file("odp"), "Day 1.odp")
    publish(trainer, kit)
    db.session.commit()
    client.get("/courses/kits/trade/offline/es.zip")  # a visitor reading English asks for Spanish
    assert ("OpenDocument Presentation", "es") in lookups
    assert ("OpenDocument Presentation", "en") not in lookups
