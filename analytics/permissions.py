"""Who may see what in analytics.

- Public: the open-data page, its downloads and the public API (suppressed aggregates only); the
  "Was this useful?" and "Report a problem" forms (rate-limited).
- Signed-in learners: the end-of-course evaluation.
- Trainers (and admins): every dashboard (all courses, sessions and kits: the registry records no
  owner), aggregate table exports, the dashboard API and the triage queue.
- Admins: the xAPI statement export, learner-level exports (pseudonymous unless a purpose is stated;
  always audited) and running the rollup on demand.
"""

from lms.auth import admin_required, login_required, trainer_required

__all__ = ["admin_required", "login_required", "trainer_required"]
