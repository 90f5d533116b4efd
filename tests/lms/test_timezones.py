"""Time zones: the zone a user reads times in, and moments written with their zone's name."""

from __future__ import annotations

from datetime import UTC, datetime

from flask_babel import force_locale

from lms.db import db
from lms.models import User
from lms.timezones import moment, user_zone, zone_choices, zone_label, zone_names

NOON_UTC = datetime(2027, 2, 11, 12, 0, tzinfo=UTC)
JULY_NOON_UTC = datetime(2027, 7, 11, 12, 0, tzinfo=UTC)


def test_a_chosen_zone_wins_over_the_country(app, make_user):
    assert user_zone(make_user(country_code="FR", time_zone="Asia/Tokyo")) == "Asia/Tokyo"


def test_without_a_choice_a_country_with_one_zone_gives_it(app, make_user):
    assert user_zone(make_user(country_code="FR")) == "Europe/Paris"
    assert user_zone(make_user(country_code="KE")) == "Africa/Nairobi"


def test_without_a_choice_a_country_spread_over_several_zones_or_none_gives_utc(app, make_user):
    assert user_zone(make_user(country_code="BR")) == "UTC"
    assert user_zone(make_user(country_code="US")) == "UTC"
    assert user_zone(make_user(country_code=None)) == "UTC"


def test_without_a_choice_a_country_with_a_main_zone_gives_it(app, make_user):
    # Germany: Büsingen keeps Berlin's time; China: Urumqi is apart; Spain: the Canaries are apart.
    assert user_zone(make_user(country_code="DE")) == "Europe/Berlin"
    assert user_zone(make_user(country_code="CN")) == "Asia/Shanghai"
    assert user_zone(make_user(country_code="ES")) == "Europe/Madrid"


def test_every_main_zone_is_one_of_its_country_s_zones():
    from lms.timezones import MAIN_ZONES, country_zones

    assert all(
        zone in country_zones(code) and len(country_zones(code)) > 1 for code, zone in MAIN_ZONES.items()
    )


def test_a_stored_zone_the_machine_does_not_know_falls_back_to_the_automatic_one(app, make_user):
    assert user_zone(make_user(country_code="KE", time_zone="Mars/Olympus_Mons")) == "Africa/Nairobi"


def test_a_moment_is_written_in_its_zone_with_the_zone_s_name(app):
    with app.test_request_context(), force_locale("en"):
        assert moment(NOON_UTC, "Africa/Nairobi") == "Feb 11, 2027, 3:00\u202fPM East Africa Time"
        assert moment(NOON_UTC, "UTC") == "Feb 11, 2027, 12:00\u202fPM UTC"
        # Summer time is named as such.
        assert moment(JULY_NOON_UTC, "Europe/Paris").endswith("2:00\u202fPM Central European Summer Time")
    with app.test_request_context(), force_locale("fr"):
        assert moment(NOON_UTC, "Europe/Paris") == "11 févr. 2027, 13:00 heure normale d’Europe centrale"


def test_a_zone_cldr_knows_under_its_older_id_is_named_too(app):
    """Babel keeps the names of renamed zones under the older id (Asia/Calcutta, Europe/Kiev) and looks
    them up under the newer one: India's time read "GMT+05:30" and Kyiv stayed in English."""
    with app.test_request_context(), force_locale("en"):
        assert moment(NOON_UTC, "Asia/Kolkata") == "Feb 11, 2027, 5:30\u202fPM India Standard Time"
        assert moment(JULY_NOON_UTC, "Europe/Kyiv").endswith("Eastern European Summer Time")
        assert moment(NOON_UTC, "Asia/Ho_Chi_Minh").endswith("Indochina Time")
    with app.test_request_context(), force_locale("fr"):
        assert moment(NOON_UTC, "Asia/Kolkata").endswith("17:30 heure de l’Inde")
    # A zone CLDR gives no name at all keeps its offset.
    with app.test_request_context(), force_locale("en"):
        assert moment(NOON_UTC, "Asia/Amman").endswith("GMT+03:00")
    assert zone_label("Europe/Kyiv", "zh") == "乌克兰（基辅）"
    assert zone_label("America/Argentina/Buenos_Aires", "ru").endswith("(Буэнос-Айрес)")


def test_a_naive_datetime_is_taken_as_utc(app):
    with app.test_request_context(), force_locale("en"):
        assert moment(NOON_UTC.replace(tzinfo=None), "Africa/Nairobi") == moment(NOON_UTC, "Africa/Nairobi")


def test_the_choices_start_with_utc_and_name_cities_only_where_a_country_has_several_zones():
    choices = zone_choices("en")
    assert choices[0] == ("UTC", "UTC")
    labels = dict(choices)
    assert labels["Africa/Nairobi"] == "Kenya"
    assert labels["America/Sao_Paulo"] == "Brazil (Sao Paulo)"
    assert {zone for zone, _label in choices} == zone_names()
    rest = [label for _zone, label in choices[1:]]
    assert rest.index("Kenya") < rest.index("Mexico (Mexico City)") < rest.index("Zimbabwe")


def test_the_choices_are_in_the_reader_s_language_and_order():
    assert zone_label("Africa/Nairobi", "fr") == "Kenya"
    assert zone_label("Europe/Berlin", "fr") == "Allemagne (Berlin)"
    labels = [label for _zone, label in zone_choices("fr")[1:]]
    # French order ignores accents: "Égypte" among the E's, before "Équateur" and after "Danemark".
    assert labels.index("Danemark") < labels.index("Égypte") < labels.index("Espagne (Madrid)")


def _profile(client, **changes):
    data = {"name": "Ana Lima", "country": "FR", "organisation": "", "locale": "en", **changes}
    return client.post("/account/profile", data=data)


def test_a_user_chooses_their_zone_on_the_profile_and_reads_times_in_it(client, make_user, login):
    user = make_user()
    login(user)
    page = client.get("/account/profile").get_data(as_text=True)
    assert '<option selected value="">Automatic' in page
    assert "Central European Standard Time" in page or "Central European Summer Time" in page
    assert _profile(client, time_zone="Africa/Nairobi").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).time_zone == "Africa/Nairobi"
    page = client.get("/account/profile").get_data(as_text=True)
    assert '<option selected value="Africa/Nairobi">Kenya</option>' in page
    assert "East Africa Time" in page


def test_choosing_automatic_again_forgets_the_zone(client, make_user, login):
    user = make_user(time_zone="Africa/Nairobi")
    login(user)
    assert _profile(client, time_zone="").status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).time_zone is None


def test_a_profile_form_sent_without_the_zone_keeps_it(client, make_user, login):
    user = make_user(time_zone="Africa/Nairobi")
    login(user)
    assert _profile(client).status_code == 302
    db.session.expire_all()
    assert db.session.get(User, user.id).time_zone == "Africa/Nairobi"


def test_an_unknown_zone_is_refused_whole_with_the_reason(client, make_user, login):
    user = make_user(name="Before")
    login(user)
    resp = _profile(client, time_zone="Mars/Olympus_Mons")
    assert resp.status_code == 400
    assert "Choose a time zone from the list." in resp.get_data(as_text=True)
    db.session.expire_all()
    saved = db.session.get(User, user.id)
    assert saved.name == "Before" and saved.time_zone is None


def test_the_service_refuses_an_unknown_zone(app, make_user):
    import pytest

    from lms.account import services
    from lms.account.errors import AccountError

    user = make_user()
    with app.test_request_context(), pytest.raises(AccountError) as exc:
        services.update_profile(user, name="X", country_code="FR", time_zone="Etc/GMT+3")
    assert exc.value.field == "time_zone"


def test_every_label_names_a_country_and_at_most_one_place_in_brackets():
    """No label shows a zone id's slashes ("Argentina/Buenos Aires"); a city already bracketed
    ("Beulah (Dakota du Nord)") is not bracketed again; Chinese brackets are full width."""
    for locale in ("en", "fr", "es", "zh", "ar", "ru"):
        labels = [label for _zone, label in zone_choices(locale)]
        assert not [label for label in labels if "/" in label], locale
        assert not [label for label in labels if label.count("(") + label.count("（") > 1], locale
    assert zone_label("America/Argentina/Buenos_Aires", "en") == "Argentina (Buenos Aires)"
    assert zone_label("America/North_Dakota/Beulah", "fr") == "États-Unis, Beulah (Dakota du Nord)"
    assert zone_label("America/Sao_Paulo", "zh") == "巴西（圣保罗）"
    assert zone_label("Asia/Hebron", "ar").startswith("الأراضي الفلسطينية، ")


def test_every_page_of_a_signed_in_user_says_which_zone_its_times_are_in(client, make_user, login):
    assert "Times are shown in" not in client.get("/").get_data(
        as_text=True
    )  # visitors: UTC, said where shown
    login(make_user(country_code="KE"))
    footer = client.get("/").get_data(as_text=True).split('<footer class="site-footer">')[1]
    assert "Times are shown in the time of Kenya." in footer
    assert '<a href="/account/profile#time_zone">Change the time zone</a>' in footer
    client.post("/account/logout")
    login(make_user(country_code="BR"))
    assert "Times are shown in UTC." in client.get("/").get_data(as_text=True)


def test_the_footer_joins_its_sentences_the_chinese_way(client, make_user, login):
    user = make_user(country_code="KE", locale="zh")
    login(user)
    client.get("/language/zh")
    footer = client.get("/").get_data(as_text=True).split('<footer class="site-footer">')[1]
    assert "时间按肯尼亚的时间显示。<a" in footer  # no space between the sentences, nor around the name
