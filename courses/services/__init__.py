"""courses: domain services (no request, session, flash or current_user; flush, never commit).

- :mod:`.texts` per-language variants, content hashes, translation status, fallback
- :mod:`.questions` question types, grading, xAPI interaction definitions
- :mod:`.snapshot` the course as one JSON document; :class:`CourseView` for learner pages
- :mod:`.authoring` (+ :mod:`.authoring_quiz`, on :mod:`.drafts`) the draft: courses, units, lessons, quizzes,
  questions, order
- :mod:`.publishing` immutable versions, unpublish, archive, the registry entry
- :mod:`.learning` enrolment, progress, resume, completion, what changed
- :mod:`.quizzes` attempts and server-side grading
- :mod:`.certificates` certificates, QR codes, Open Badges 3.0 credentials
- :mod:`.translation` the translation workflow (side by side, status by content hash)
- :mod:`.media` uploaded images; :mod:`.archive` safe zip/folder reading (zip slip, zip bombs)
- :mod:`.package_read` (+ :mod:`.package_read_quiz`, on :mod:`.package_fields` and :mod:`.yamlines`)
  validating course packages; :mod:`.package_io` importing them, :mod:`.package_export` exporting them
  (format: ``courses/PACKAGE.md``)
- :mod:`.offline` offline zip; :mod:`.pdf` the PDF certificate (every script, on :mod:`lms.pdf`)
- :mod:`.teams` who owns and co-authors each course, kit and workshop (and tells the registry)
- :mod:`.xapi_packages` (+ :mod:`.xapi_manifest`) imported xAPI/cmi5 packages: upload, launch, completion
- :mod:`.receivers` signal receivers; :mod:`.reminders` reminder mails and messages to learners
"""

from courses.services.errors import BadSubmission, CourseError, NotAllowed, PackageError

__all__ = ["BadSubmission", "CourseError", "NotAllowed", "PackageError"]
