"""Offline copies: a unit or a whole course as a self-contained zip of static HTML (lessons, images, a
printable quiz sheet without the answers) in the learner's language, for reading without a connection."""

from __future__ import annotations

from flask import render_template

from courses.services.archive import write_zip
from courses.services.media import blob_path
from courses.services.snapshot import CourseView


def offline_zip(view: CourseView, unit_uuid: str | None = None) -> bytes:
    from courses.views.rendering import lesson_html

    units = [u for u in view.s["units"] if unit_uuid in (None, u["uuid"])]
    lessons, quizzes = [], []
    for unit in units:
        for item in unit["items"]:
            texts, shown, fallback = view.texts(item["texts"])
            if item["kind"] == "lesson":
                lessons.append(
                    {
                        "item": item,
                        "texts": texts,
                        "shown": shown,
                        "fallback": fallback,
                        "file": f"{len(lessons) + 1:02d}-{item['slug']}.html",
                        "html": lesson_html(texts.get("body", ""), view.slug, media_base="media/"),
                    }
                )
            elif item["kind"] == "quiz":
                quizzes.append(
                    {
                        "item": item,
                        "texts": texts,
                        "shown": shown,
                        "questions": [(q, view.texts(q["texts"])[0]) for q in item.get("questions", [])],
                    }
                )
    files: dict[str, bytes] = {}
    common = {"view": view, "units": units, "lessons": lessons, "quizzes": quizzes}
    for n, lesson in enumerate(lessons):
        prev_file = lessons[n - 1]["file"] if n > 0 else None
        next_file = lessons[n + 1]["file"] if n + 1 < len(lessons) else None
        files[lesson["file"]] = render_template(
            "courses/offline/lesson.html", lesson=lesson, prev_file=prev_file, next_file=next_file, **common
        ).encode()
    files["index.html"] = render_template("courses/offline/index.html", **common).encode()
    if quizzes:
        files["quiz-sheet.html"] = render_template("courses/offline/quiz_sheet.html", **common).encode()
    files["style.css"] = render_template("courses/offline/style.css").encode()
    for name, meta in view.s.get("media", {}).items():
        if any(f"media/{name}" in (lesson["texts"].get("body") or "") for lesson in lessons):
            path = blob_path(meta["sha256"])
            if path.exists():
                files[f"media/{name}"] = path.read_bytes()
    return write_zip(files)
