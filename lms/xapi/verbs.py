"""The platform's xAPI vocabulary: verbs (with display names in the six UN languages) and activity types.

Every IRI comes from a published vocabulary or profile:

- ADL vocabulary ``http://adlnet.gov/expapi/verbs/...`` and ``http://adlnet.gov/expapi/activities/...``;
- cmi5 (ADL verbs under ``https://w3id.org/xapi/adl/verbs/...``: abandoned, waived, satisfied);
- the xAPI Video Profile (``https://w3id.org/xapi/video/verbs/...``, activity type
  ``https://w3id.org/xapi/video/activity-type/video``; it reuses ADL initialized/completed/terminated/
  interacted);
- the Activity Streams vocabulary profile on the xAPI profile server (``http://activitystrea.ms/...``:
  submit, acknowledge, start; the older TinCan registry spells them ``http://activitystrea.ms/schema/1.0/...``);
- the TinCan registry (``http://id.tincanapi.com/activitytype/...``) for webinar, chapter, discussion ...

Plugins refer to verbs and types by key (``"completed"``, ``"video"``); :func:`verb_iri` and
:func:`activity_type_iri` also accept a full IRI and pass it through.
"""

from __future__ import annotations

ADL = "http://adlnet.gov/expapi/verbs/"
ADL_W3ID = "https://w3id.org/xapi/adl/verbs/"
VIDEO = "https://w3id.org/xapi/video/verbs/"
ASTREAMS = "http://activitystrea.ms/"
ADL_ACT = "http://adlnet.gov/expapi/activities/"
TINCAN_ACT = "http://id.tincanapi.com/activitytype/"

# key -> (IRI, {language: display})
_VERBS: dict[str, tuple[str, dict[str, str]]] = {
    "registered": (
        ADL + "registered",
        {
            "en": "registered",
            "fr": "s'est inscrit",
            "es": "se registró",
            "ar": "سجّل",
            "zh": "已注册",
            "ru": "зарегистрировался",
        },
    ),
    "launched": (
        ADL + "launched",
        {"en": "launched", "fr": "a lancé", "es": "inició", "ar": "أطلق", "zh": "已启动", "ru": "запустил"},
    ),
    "initialized": (
        ADL + "initialized",
        {
            "en": "initialized",
            "fr": "a initialisé",
            "es": "inicializó",
            "ar": "هيّأ",
            "zh": "已初始化",
            "ru": "инициализировал",
        },
    ),
    "experienced": (
        ADL + "experienced",
        {
            "en": "experienced",
            "fr": "a consulté",
            "es": "consultó",
            "ar": "اطّلع على",
            "zh": "已浏览",
            "ru": "ознакомился",
        },
    ),
    "answered": (
        ADL + "answered",
        {
            "en": "answered",
            "fr": "a répondu",
            "es": "respondió",
            "ar": "أجاب",
            "zh": "已回答",
            "ru": "ответил",
        },
    ),
    "attempted": (
        ADL + "attempted",
        {
            "en": "attempted",
            "fr": "a tenté",
            "es": "intentó",
            "ar": "حاول",
            "zh": "已尝试",
            "ru": "попытался",
        },
    ),
    "passed": (
        ADL + "passed",
        {"en": "passed", "fr": "a réussi", "es": "aprobó", "ar": "نجح", "zh": "已通过", "ru": "сдал"},
    ),
    "failed": (
        ADL + "failed",
        {"en": "failed", "fr": "a échoué", "es": "no aprobó", "ar": "أخفق", "zh": "未通过", "ru": "не сдал"},
    ),
    "completed": (
        ADL + "completed",
        {
            "en": "completed",
            "fr": "a terminé",
            "es": "completó",
            "ar": "أكمل",
            "zh": "已完成",
            "ru": "завершил",
        },
    ),
    "terminated": (
        ADL + "terminated",
        {
            "en": "terminated",
            "fr": "a mis fin",
            "es": "finalizó",
            "ar": "أنهى",
            "zh": "已终止",
            "ru": "прекратил",
        },
    ),
    "abandoned": (
        ADL_W3ID + "abandoned",
        {
            "en": "abandoned",
            "fr": "a abandonné",
            "es": "abandonó",
            "ar": "ترك",
            "zh": "已放弃",
            "ru": "бросил",
        },
    ),
    "waived": (
        ADL_W3ID + "waived",
        {
            "en": "waived",
            "fr": "a été dispensé",
            "es": "fue eximido",
            "ar": "أُعفي",
            "zh": "已免除",
            "ru": "освобождён",
        },
    ),
    "satisfied": (
        ADL_W3ID + "satisfied",
        {
            "en": "satisfied",
            "fr": "a satisfait",
            "es": "cumplió",
            "ar": "استوفى",
            "zh": "已满足",
            "ru": "выполнил требования",
        },
    ),
    "attended": (
        ADL + "attended",
        {"en": "attended", "fr": "a assisté", "es": "asistió", "ar": "حضر", "zh": "已出席", "ru": "посетил"},
    ),
    "asked": (
        ADL + "asked",
        {"en": "asked", "fr": "a demandé", "es": "preguntó", "ar": "سأل", "zh": "已提问", "ru": "спросил"},
    ),
    "commented": (
        ADL + "commented",
        {
            "en": "commented",
            "fr": "a commenté",
            "es": "comentó",
            "ar": "علّق",
            "zh": "已评论",
            "ru": "прокомментировал",
        },
    ),
    "submitted": (
        ASTREAMS + "submit",
        {"en": "submitted", "fr": "a soumis", "es": "envió", "ar": "قدّم", "zh": "已提交", "ru": "отправил"},
    ),
    "acknowledged": (
        ASTREAMS + "acknowledge",
        {
            "en": "acknowledged",
            "fr": "a pris acte",
            "es": "reconoció",
            "ar": "أقرّ",
            "zh": "已确认",
            "ru": "подтвердил",
        },
    ),
    "started": (
        ASTREAMS + "start",
        {"en": "started", "fr": "a commencé", "es": "comenzó", "ar": "بدأ", "zh": "已开始", "ru": "начал"},
    ),
    "scored": (
        ADL + "scored",
        {
            "en": "scored",
            "fr": "a obtenu un score",
            "es": "obtuvo una puntuación",
            "ar": "أحرز نتيجة",
            "zh": "已得分",
            "ru": "получил балл",
        },
    ),
    "played": (
        VIDEO + "played",
        {"en": "played", "fr": "a lu", "es": "reprodujo", "ar": "شغّل", "zh": "已播放", "ru": "воспроизвёл"},
    ),
    "paused": (
        VIDEO + "paused",
        {
            "en": "paused",
            "fr": "a mis en pause",
            "es": "pausó",
            "ar": "أوقف مؤقتًا",
            "zh": "已暂停",
            "ru": "приостановил",
        },
    ),
    "seeked": (
        VIDEO + "seeked",
        {
            "en": "seeked",
            "fr": "a déplacé la lecture",
            "es": "saltó a una posición",
            "ar": "انتقل إلى موضع",
            "zh": "已跳转",
            "ru": "перемотал",
        },
    ),
    "interacted": (
        ADL + "interacted",
        {
            "en": "interacted",
            "fr": "a interagi",
            "es": "interactuó",
            "ar": "تفاعل",
            "zh": "已交互",
            "ru": "взаимодействовал",
        },
    ),
    "progressed": (
        ADL + "progressed",
        {
            "en": "progressed",
            "fr": "a progressé",
            "es": "progresó",
            "ar": "تقدّم",
            "zh": "已进展",
            "ru": "продвинулся",
        },
    ),
    "resumed": (
        ADL + "resumed",
        {
            "en": "resumed",
            "fr": "a repris",
            "es": "reanudó",
            "ar": "استأنف",
            "zh": "已恢复",
            "ru": "возобновил",
        },
    ),
    "suspended": (
        ADL + "suspended",
        {
            "en": "suspended",
            "fr": "a suspendu",
            "es": "suspendió",
            "ar": "علّق مؤقتًا",
            "zh": "已挂起",
            "ru": "приостановил сеанс",
        },
    ),
    "voided": (
        ADL + "voided",
        {"en": "voided", "fr": "a annulé", "es": "anuló", "ar": "ألغى", "zh": "已作废", "ru": "аннулировал"},
    ),
}

VERBS: dict[str, dict] = {
    key: {"id": iri, "display": dict(display)} for key, (iri, display) in _VERBS.items()
}
"""key -> ``{"id": IRI, "display": {en, fr, es, ar, zh, ru}}`` (an xAPI Verb object)."""

VERB_KEYS_BY_IRI: dict[str, str] = {v["id"]: k for k, v in VERBS.items()}

ACTIVITY_TYPES: dict[str, str] = {
    # ADL vocabulary
    "course": ADL_ACT + "course",
    "module": ADL_ACT + "module",
    "lesson": ADL_ACT + "lesson",
    "assessment": ADL_ACT + "assessment",
    "question": ADL_ACT + "cmi.interaction",
    "interaction": ADL_ACT + "interaction",
    "media": ADL_ACT + "media",
    "meeting": ADL_ACT + "meeting",
    "objective": ADL_ACT + "objective",
    "file": ADL_ACT + "file",
    "link": ADL_ACT + "link",
    "profile": ADL_ACT + "profile",
    # xAPI Video Profile
    "video": "https://w3id.org/xapi/video/activity-type/video",
    # cmi5
    "cmi5_course": "https://w3id.org/xapi/cmi5/activitytype/course",
    "cmi5_block": "https://w3id.org/xapi/cmi5/activitytype/block",
    # TinCan registry
    "webinar": TINCAN_ACT + "webinar",
    "webinar_session": TINCAN_ACT + "webinar",
    "chapter": TINCAN_ACT + "chapter",
    "discussion": TINCAN_ACT + "discussion",
    "document": TINCAN_ACT + "document",
    "slide_deck": TINCAN_ACT + "slide-deck",
    "section": TINCAN_ACT + "section",
    "resource": TINCAN_ACT + "resource",
    # Platform mappings onto the vocabularies above
    "workshop": ADL_ACT + "meeting",
    "workshop_kit": TINCAN_ACT + "resource",
    "readiness_assessment": ADL_ACT + "assessment",
    "readiness_section": TINCAN_ACT + "section",
}
"""key -> activity type IRI."""

CATEGORIES: dict[str, str] = {
    "video_profile": "https://w3id.org/xapi/video",
    "cmi5": "https://w3id.org/xapi/cmi5/context/categories/cmi5",
    "cmi5_moveon": "https://w3id.org/xapi/cmi5/context/categories/moveon",
}
"""Profile IRIs that statements following a profile put in ``context.contextActivities.category``."""

VIDEO_EXTENSIONS: dict[str, str] = {
    name: f"https://w3id.org/xapi/video/extensions/{name}"
    for name in (
        "time",
        "time-from",
        "time-to",
        "progress",
        "played-segments",
        "session-id",
        "length",
        "cc-subtitle-enabled",
        "cc-subtitle-lang",
        "completion-threshold",
        "speed",
        "volume",
    )
}
"""Video Profile extension IRIs by short name (result: time, time-from, time-to, progress,
played-segments; context: session-id, length, cc-subtitle-* ...)."""


def _is_iri(value: str) -> bool:
    return ":" in value and not value.startswith(":")


def verb_iri(verb: str) -> str:
    """The IRI of a verb key, or ``verb`` itself when it already is an IRI. Unknown keys raise KeyError."""
    if verb in VERBS:
        return VERBS[verb]["id"]
    if _is_iri(verb):
        return verb
    raise KeyError(f"unknown verb {verb!r}; use a key of lms.xapi.verbs.VERBS or a full IRI")


def verb_object(verb: str) -> dict:
    """An xAPI Verb object (``id`` and, for known verbs, ``display`` in the six languages)."""
    iri = verb_iri(verb)
    key = VERB_KEYS_BY_IRI.get(iri)
    if key is None:
        return {"id": iri}
    return {"id": iri, "display": dict(VERBS[key]["display"])}


def activity_type_iri(kind: str) -> str:
    """The IRI of an activity type key, or ``kind`` itself when it already is an IRI."""
    if kind in ACTIVITY_TYPES:
        return ACTIVITY_TYPES[kind]
    if _is_iri(kind):
        return kind
    raise KeyError(f"unknown activity type {kind!r}; use a key of lms.xapi.verbs.ACTIVITY_TYPES or an IRI")
