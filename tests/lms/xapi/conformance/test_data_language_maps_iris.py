"""xAPI Data 4.2 Language Maps, 4.3 IRIs / 3.1 IRI requirements, Communication 1.4 Encoding."""

from __future__ import annotations

import pytest
from xapi_helpers import activity_id, assert_same_statement, mutate, statement, uid, verb

VALID_TAGS = [
    "en",
    "en-US",
    "fr",
    "es-419",
    "zh-Hans-CN",
    "zh-Hant",
    "sr-Latn-RS",
    "ar",
    "ru",
    "de-CH-1996",
    "x-klingon",
    "en-GB-oed",
    "sl-rozaj-biske",
    "hy-Latn-IT-arevela",
    "az-Arab-x-AZE-derbend",
    "en-a-bbb-x-a-ccc",
    "zh-cmn-Hans-CN",
]
INVALID_TAGS = [
    "a12345",
    "en_US",
    "english!",
    "e",
    "",
    "123",
    "en-",
    "-en",
    "en--US",
    "en US",
    "fr-FR-x",
    "de-419-DE",  # two regions
    "a-DE",  # a singleton as the primary subtag
    "ar-a-aaa-b-bbb-a-ccc",  # RFC 5646 2.2.6: the same extension singleton twice
    "de-1901-1901",  # RFC 5646 2.2.5: the same variant twice
    "test",  # RFC 5646 2.2.1: four-letter primary language subtags are reserved, never valid
    "abcd-DE",
]


@pytest.mark.parametrize("tag", VALID_TAGS)
def test_valid_language_tags_accepted(lrs, tag):
    # Data 4.2: a language map key is an RFC 5646 Language Tag (regions, scripts, variants, private use,
    # grandfathered tags are all RFC 5646 tags).
    stmt = statement(id=uid(), verb=verb(display={tag: "experienced"}))
    lrs.store(stmt)
    assert lrs.fetch(stmt["id"])["verb"]["display"] == {tag: "experienced"}


@pytest.mark.parametrize("tag", INVALID_TAGS)
@pytest.mark.parametrize(
    "where", ["verb.display", "object.definition.name", "object.definition.description", "context.language"]
)
def test_invalid_language_tags_rejected(lrs, tag, where):
    # Data 2.2.s4.b2: the LRS MUST at least validate that the sequence of token lengths for language map
    # keys matches RFC 5646; 2.2.s4.b1.b4: non-format-following keys (including "") MUST be rejected.
    stmt = statement(
        id=uid(),
        object={"id": activity_id(), "definition": {"name": {"en": "Name"}}},
        context={"registration": uid()},
    )
    value = tag if where == "context.language" else {tag: "text"}
    lrs.rejects(mutate(stmt, where, value))
    # Control: the same statement with a valid tag at the same place is accepted.
    control = "en-GB" if where == "context.language" else {"en-GB": "text"}
    lrs.store(mutate(dict(stmt, id=uid()), where, control))


def test_language_map_with_many_languages_returned_exactly(lrs):
    # Data 4.2 + 2.2.s4.b5: the whole map comes back (format exact), in all six UN languages.
    names = {
        "en": "Mercury supply",
        "fr": "Offre de mercure",
        "es": "Suministro de mercurio",
        "ar": "الإمداد بالزئبق",
        "zh": "汞的供应",
        "ru": "Поставки ртути",
    }
    stmt = statement(id=uid(), object={"id": activity_id(), "definition": {"name": names}})
    lrs.store(stmt)
    assert lrs.fetch(stmt["id"], format="exact")["object"]["definition"]["name"] == names


@pytest.mark.parametrize("value", [1, None, ["x"], {"nested": "x"}, True])
def test_language_map_values_must_be_strings(lrs, value):
    # Data 4.2: "the value is a string in the language specified in the tag"; 2.2.s4.b1.b1 no nulls.
    lrs.rejects(statement(id=uid(), verb=verb(display={"en": value})))


def test_unicode_round_trip(lrs):
    # Communication 1.4.s1.b1: all strings MUST be encoded and interpreted as UTF-8.
    text = "Convention de Minamata — اتفاقية ميناماتا — 水俣公约 — Минаматская конвенция 🌊"
    stmt = statement(
        id=uid(),
        actor={"objectType": "Agent", "name": text, "mbox": "mailto:u@example.org"},
        result={"response": text},
    )
    lrs.store(stmt)
    got = lrs.fetch(stmt["id"])
    assert got["actor"]["name"] == text and got["result"]["response"] == text


@pytest.mark.parametrize(
    "iri",
    [
        "http://example.com/فعل/خواندن",
        "https://例え.jp/活動/1",
        "urn:uuid:6ba7b810-9dad-11d1-80b4-00c04fd430c8",
        "tag:lms.example.org,2024:a1",
        "http://lms.example.org/a?b=c#d",
    ],
)
def test_iris_of_any_scheme_and_non_ascii_accepted_exactly(lrs, iri):
    # Data 4.3: IRIs can contain characters outside ASCII; any scheme. Data 3.1.s2.b1: the LRS SHOULD*
    # only use simple string comparison / syntax-based normalisation (so the IRI comes back as sent).
    stmt = statement(id=uid(), verb={"id": iri}, object={"objectType": "Activity", "id": iri})
    lrs.store(stmt)
    assert_same_statement(stmt, lrs.fetch(stmt["id"]))


IRI_FIELDS = [
    # (path, value without a scheme, valid counterpart)
    ("verb.id", "verbs#experienced", "http://lms.example.org/verbs#experienced"),
    ("object.id", "//lms.example.org/a", "http://lms.example.org/a"),
    ("object.definition.type", "module", "http://adlnet.gov/expapi/activities/module"),
    ("object.definition.moreInfo", "/courses/art3", "https://lms.example.org/courses/art3"),
    ("object.definition.extensions", {"article": 3}, {"http://lms.example.org/ext/article": 3}),
    ("context.extensions", {"/relative/key": 1}, {"http://lms.example.org/ext/key": 1}),
    ("result.extensions", {"": 1}, {"urn:lms:ext:key": 1}),
    (
        "context.contextActivities",
        {"parent": [{"id": "art3"}]},
        {"parent": [{"id": "http://lms.example.org/art3"}]},
    ),
]


@pytest.mark.parametrize("path,value,good", IRI_FIELDS, ids=[p for p, _v, _g in IRI_FIELDS])
def test_relative_iris_rejected(lrs, path, value, good):
    # Data 2.2.s4.b1.b8: the LRS MUST reject Statements containing IRL or IRI values without a scheme;
    # Data 4.1.s3.b1: extension keys MUST be IRIs.
    stmt = statement(
        id=uid(),
        object={"objectType": "Activity", "id": activity_id(), "definition": {"name": {"en": "x"}}},
        result={"completion": True},
        context={"registration": uid()},
    )
    lrs.rejects(mutate(stmt, path, value))
    lrs.store(mutate(dict(stmt, id=uid()), path, good))  # control: a full IRI there is accepted
