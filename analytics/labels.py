"""Human-readable column labels and cell formatting for dashboard tables (the payloads carry only
machine names and plain values)."""

from __future__ import annotations

from datetime import date

from flask_babel import format_date, format_decimal
from flask_babel import lazy_gettext as _l
from markupsafe import Markup, escape

from lms.countries import country_name, region_name
from lms.i18n import language_name, percent_text

COLUMN_LABELS = {
    "measure": _l("Measure"),
    "value": _l("Value"),
    "month": _l("Month"),
    "region": _l("UN region"),
    "language": _l("Language"),
    "country": _l("Country"),
    "resource": _l("Resource"),
    "registered_learners": _l("New accounts"),
    "active_learners": _l("Active learners"),
    "enrolments": _l("Enrolments"),
    "completions": _l("Completions"),
    "certificates": _l("Certificates"),
    "registered": _l("Enrolled"),
    "started": _l("Started"),
    "completed": _l("Completed"),
    "completion_rate": _l("Completion rate"),
    "median_days_to_complete": _l("Median days to complete"),
    "attempted": _l("Took an assessment"),
    "passed": _l("Passed"),
    "pass_rate": _l("Pass rate"),
    "lesson": _l("Lesson or quiz"),
    "reached": _l("Learners who reached it"),
    "stopped_here": _l("Stopped here"),
    "stop_rate": _l("Stop rate"),
    "average_best_score": _l("Average best score"),
    "scored_learners": _l("Learners with a score"),
    "quiz_items": _l("Quiz items"),
    "flagged_items": _l("Items flagged in a language"),
    "item": _l("Item"),
    "interaction_type": _l("Question type"),
    "responses": _l("Answers"),
    "correct": _l("Correct"),
    "difficulty": _l("Difficulty (proportion correct)"),
    "discrimination": _l("Discrimination (point-biserial)"),
    "flagged_languages": _l("Much harder in"),
    "reference_responses": _l("Answers in other languages"),
    "reference_difficulty": _l("Proportion correct in other languages"),
    "mh_d_dif": _l("MH D-DIF"),
    "chi2": _l("MH chi-square"),
    "flagged": _l("Flagged"),
    "choice": _l("Choice"),
    "picked": _l("Picked"),
    "pick_rate": _l("Pick rate"),
    "is_correct": _l("Correct answer"),
    "views": _l("Views"),
    "unique_viewers": _l("Unique viewers"),
    "average_minutes_watched": _l("Average minutes watched"),
    "length_seconds": _l("Length (seconds)"),
    "watch_through": _l("Watch-through"),
    "questions_asked": _l("Questions asked"),
    "minute": _l("Minute"),
    "viewers": _l("Viewers"),
    "attended": _l("Attended"),
    "pre_tests": _l("Pre-tests"),
    "post_tests": _l("Post-tests"),
    "paired": _l("With both tests"),
    "mean_pre": _l("Mean pre-test score"),
    "mean_post": _l("Mean post-test score"),
    "mean_gain": _l("Mean gain"),
    "normalised_gain": _l("Normalised gain"),
    "dimension": _l("Dimension"),
    "countries": _l("Countries"),
    "mean_level": _l("Mean level"),
    "is_suppressed": _l("Hidden for privacy"),
    "step": _l("Step"),
    "conversion": _l("Conversion from the step before"),
    "period": _l("Period"),
    "useful_yes": _l("Useful: yes"),
    "useful_no": _l("Useful: no"),
    "useful_rate": _l("Share useful"),
    "comments": _l("Comments"),
    "reports_open": _l("Open problem reports"),
    "reports_total": _l("Problem reports"),
    "evaluations": _l("Evaluations"),
    "mean_relevance": _l("Relevance (1–5)"),
    "mean_clarity": _l("Clarity (1–5)"),
    "mean_language_quality": _l("Language quality (1–5)"),
    "category": _l("Category"),
    "count": _l("Count"),
    "title": _l("Title"),
    "date": _l("Date"),
    "part": _l("Part"),
    "useful": _l("Useful"),
    "comment": _l("Comment"),
    "suggestions": _l("What to add"),
    "status": _l("Status"),
}

MEASURE_LABELS = {
    "registered_learners": COLUMN_LABELS["registered_learners"],
    "active_learners": COLUMN_LABELS["active_learners"],
    "enrolments": COLUMN_LABELS["enrolments"],
    "completions": COLUMN_LABELS["completions"],
    "certificates": COLUMN_LABELS["certificates"],
    "webinar_viewers": _l("Webinar viewers"),
    "average_best_score": COLUMN_LABELS["average_best_score"],
    "scored_learners": COLUMN_LABELS["scored_learners"],
    "quiz_items": COLUMN_LABELS["quiz_items"],
    "flagged_items": COLUMN_LABELS["flagged_items"],
    "assessments_submitted": _l("Assessments submitted"),
    "countries_assessed": _l("Countries assessed"),
    "recommended": _l("Recommended resources taken up"),
    "enrolled": _l("Enrolled"),
    "completed": _l("Completed"),
}

CATEGORY_LABELS = {
    "wrong_fact": _l("A wrong fact"),
    "broken_media": _l("Broken media or link"),
    "translation_error": _l("A translation error"),
    "accessibility": _l("An accessibility barrier"),
    "other": _l("Something else"),
}
STATUS_LABELS = {
    "new": _l("New"),
    "in_progress": _l("In progress"),
    "fixed": _l("Fixed"),
    "wont_fix": _l("Won't fix"),
}

INTERACTION_LABELS = {  # xAPI interaction types
    "choice": _l("Multiple choice"),
    "single-choice": _l("Single choice"),
    "true-false": _l("True or false"),
    "fill-in": _l("Fill in the blank"),
    "long-fill-in": _l("Long answer"),
    "matching": _l("Matching"),
    "sequencing": _l("Putting in order"),
    "numeric": _l("Number"),
    "likert": _l("Rating scale"),
    "performance": _l("Task"),
    "other": _l("Other"),
}

# The dimensions of the digital-readiness questionnaire as the readiness plugin names them (its
# questionnaire file; readiness statements carry only the ids). Kept equal to the file by a test.
DIMENSION_TITLES = {
    "governance": {
        "en": "Governance and coordination",
        "fr": "Gouvernance et coordination",
        "es": "Gobernanza y coordinación",
        "ar": "الحوكمة والتنسيق",
        "zh": "治理与协调",
        "ru": "Управление и координация",
    },
    "reporting": {
        "en": "National reporting under Article 21 and the online reporting tool",
        "fr": "Rapports nationaux au titre de l’article 21 et outil de communication d’informations en ligne",
        "es": (
            "Informes nacionales en virtud del artículo 21 y herramienta de presentación de informes en línea"
        ),
        "ar": "التقارير الوطنية بموجب المادة 21 وأداة الإبلاغ الإلكترونية",
        "zh": "第21条规定的国家报告和在线报告工具",
        "ru": "Национальная отчётность по статье 21 и онлайн-инструмент отчётности",
    },
    "exchange": {
        "en": "Information exchange under Article 17",
        "fr": "Échange d’informations au titre de l’article 17",
        "es": "Intercambio de información en virtud del artículo 17",
        "ar": "تبادل المعلومات بموجب المادة 17",
        "zh": "第17条规定的信息交流",
        "ru": "Обмен информацией по статье 17",
    },
    "data": {
        "en": "Mercury data and inventories",
        "fr": "Données et inventaires sur le mercure",
        "es": "Datos e inventarios sobre el mercurio",
        "ar": "بيانات الزئبق وقوائم الجرد",
        "zh": "汞数据与清单",
        "ru": "Данные и кадастры по ртути",
    },
    "opendata": {
        "en": "Open data and interoperability",
        "fr": "Données ouvertes et interopérabilité",
        "es": "Datos abiertos e interoperabilidad",
        "ar": "البيانات المفتوحة وقابلية التشغيل البيني",
        "zh": "开放数据与互操作性",
        "ru": "Открытые данные и совместимость",
    },
    "infrastructure": {
        "en": "Infrastructure, connectivity and security",
        "fr": "Infrastructure, connectivité et sécurité",
        "es": "Infraestructura, conectividad y seguridad",
        "ar": "البنية التحتية والاتصال والأمن",
        "zh": "基础设施、连接与安全",
        "ru": "Инфраструктура, связь и безопасность",
    },
    "skills": {
        "en": "Digital skills of the focal point's team",
        "fr": "Compétences numériques de l’équipe du correspondant national",
        "es": "Competencias digitales del equipo del coordinador nacional",
        "ar": "المهارات الرقمية لفريق جهة الاتصال الوطنية",
        "zh": "国家联络人团队的数字技能",
        "ru": "Цифровые навыки команды национального координатора",
    },
    "inclusion": {
        "en": "Data protection, inclusion and gender",
        "fr": "Protection des données, inclusion et genre",
        "es": "Protección de datos, inclusión y género",
        "ar": "حماية البيانات والشمول والمساواة بين الجنسين",
        "zh": "数据保护、包容与性别",
        "ru": "Защита данных, инклюзивность и гендер",
    },
}

NO_DATA = _l("No data yet.")
# A cell without a value (e.g. a rate of nothing): a dash to see, words to hear.
NO_VALUE = Markup('<span aria-hidden="true">—</span><span class="visually-hidden">{}</span>')

PERCENT_COLUMNS = {
    "completion_rate",
    "pass_rate",
    "stop_rate",
    "difficulty",
    "reference_difficulty",
    "pick_rate",
    "watch_through",
    "conversion",
    "useful_rate",
    "average_best_score",
    "mean_pre",
    "mean_post",
    "mean_gain",
}
BOOL_COLUMNS = {"is_correct", "flagged", "is_suppressed", "useful"}


def column_label(col: str) -> str:
    if col.startswith("viewers_"):
        return f"{COLUMN_LABELS['viewers']} ({language_label(col[8:])})"
    return str(COLUMN_LABELS.get(col, col))


def language_label(code: str | None) -> str:
    if not code or code == "und":
        return str(_l("Unknown"))
    if code == "all":
        return str(_l("All languages"))
    return language_name(code)


def region_label(code: str | None) -> str:
    if not code or code == "unknown":
        return str(_l("Unknown"))
    if code == "all":
        return str(_l("All regions"))
    return region_name(code)


def pick_text(texts: dict | None, lang: str, fallback: str = "") -> str:
    """A language map's text in ``lang``, else English, else any, else ``fallback``."""
    texts = texts or {}
    for wanted in (lang, "en"):
        for code, text in texts.items():
            if code.split("-")[0] == wanted and text:
                return text
    return next((t for t in texts.values() if t), fallback)


def dimension_label(dim: str | None) -> str:
    """A readiness dimension's name in the reader's language; unknown ids as they are."""
    return pick_text(DIMENSION_TITLES.get(dim or ""), _current(), dim or "")


def format_cell(col: str, value, *, titles: dict | None = None, names: dict | None = None) -> Markup:
    """Render one table cell's value (escaped) for the current locale."""
    if value is None or value == "":
        return NO_VALUE.format(_l("no data"))
    if col in BOOL_COLUMNS:
        return escape(_l("yes") if value else _l("no"))
    if col == "measure" or col == "step":
        return escape(MEASURE_LABELS.get(value, value))
    if col == "language" or col.startswith("language_"):
        return escape(language_label(value))
    if col == "region":
        return escape(region_label(value))
    if col == "country":
        return escape(country_name(value))
    if col == "category":
        return escape(CATEGORY_LABELS.get(value, value))
    if col == "status":
        return escape(STATUS_LABELS.get(value, value))
    if col == "interaction_type":
        return escape(INTERACTION_LABELS.get(value, value))
    if col == "dimension":
        return escape(dimension_label(value))
    if col == "date" and isinstance(value, str):
        # Tables keep ISO dates (the JSON API and CSV exports); readers see them the way they write dates.
        try:
            return escape(format_date(date.fromisoformat(value), "medium"))
        except ValueError:
            return escape(value)
    if col == "resource" and titles is not None:
        res = titles.get(value)
        return escape(res.title(_current()) if res is not None else value)
    if col in ("lesson", "item", "part") and names:
        return escape(names.get(value) or value)
    if col in PERCENT_COLUMNS and isinstance(value, int | float):
        return escape(percent_text(value, 1))
    if isinstance(value, bool):
        return escape(_l("yes") if value else _l("no"))
    if isinstance(value, float):
        return escape(format_decimal(round(value, 3)))
    if isinstance(value, int):
        return escape(format_decimal(value))
    return escape(value)


def _current() -> str:
    from lms.i18n import current_language

    return current_language()
