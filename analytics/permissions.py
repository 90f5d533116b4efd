"""Who may see what in analytics.

- Public: the open-data page, its downloads and the public API (suppressed aggregates only); the
  "Was this useful?" and "Report a problem" forms (rate-limited).
- Signed-in learners: the end-of-course evaluation.
- Trainers: every dashboard, aggregate table export, the dashboard API and the triage queue, for the
  courses, sessions and kits they own in the registry only (:mod:`analytics.scope`; another trainer's
  resource is a 404). Admins: the same for every resource, plus new accounts (not tied to a resource).
- Admins: the xAPI statement export, learner-level exports (pseudonymous unless a purpose is stated;
  always audited) and running the rollup on demand.
"""

from lms.auth import admin_required, login_required, trainer_required

__all__ = ["admin_required", "login_required", "trainer_required"]
