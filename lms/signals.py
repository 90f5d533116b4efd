"""Signals: how the core and the plugins react to each other without importing each other.

Every signal is a blinker signal in the ``lms`` namespace. Receivers run inside the sender's
transaction: they may add rows (``db.session.add`` / ``flush``) but must never commit. The sender is
the object named below; every argument is passed by keyword.
"""

from blinker import Namespace

_signals = Namespace()

user_registered = _signals.signal("user-registered")
"""A new account was created. Sender: the :class:`lms.models.User`. No keyword arguments."""

user_confirmed = _signals.signal("user-confirmed")
"""A user confirmed their e-mail address. Sender: the :class:`lms.models.User`."""

user_deleted = _signals.signal("user-deleted")
"""A deletion request is being executed. Sender: the :class:`lms.models.User` (still loaded).
Receivers erase or pseudonymise the plugin's personal data for that user and keep aggregates.
Keyword: ``pseudonym`` (str): the replacement identifier used in learning records."""

user_data_export = _signals.signal("user-data-export")
"""A user downloads their data. Sender: the :class:`lms.models.User`.
Receivers return a ``(section_name, json_serialisable)`` tuple; the core gathers all returns."""

statement_recorded = _signals.signal("statement-recorded")
"""The built-in LRS stored a statement (from the platform or over HTTP). Sender: the LRS module name.
Keywords: ``statement`` (dict, the stored statement JSON), ``user`` (the :class:`lms.models.User`
the actor belongs to, or ``None`` when the actor is not a platform user)."""

statement_checking = _signals.signal("statement-checking")
"""The built-in LRS is about to store a batch of statements (from the platform or over HTTP): sent for
each new statement of the batch, in order, after the batch passed the LRS's own checks (structure,
conflicts, voiding rules) and before anything is written. Receivers may raise
:class:`lms.xapi.errors.XAPIError` (with the HTTP status and a message naming the rule) to refuse the
whole batch: nothing of it is stored. They must change neither the statement nor the database (a
later statement or receiver may still refuse the batch); effects belong in :data:`statement_recorded`.
Sender: the LRS module name.
Keywords: ``statement`` (dict, the statement as it will be stored, with ``id``, ``stored`` and
``authority``), ``user`` (the :class:`lms.models.User` the actor belongs to, or ``None``),
``authority`` (dict, the Agent or Group of the credentials asserting the batch; for launch credentials
bound to a learner, a Group of the client's agent and the learner), ``earlier`` (list of dict, the new
statements of the same batch before this one, already accepted by every receiver: rules that depend
on what came before must count them too)."""

resource_published = _signals.signal("resource-published")
"""A learning resource was published or updated in the registry. Sender: the
:class:`lms.registry.LearningResource`."""

enrolment_requested = _signals.signal("enrolment-requested")
"""Some part of the platform (e.g. a readiness learning path) asks the plugin that owns a learning
resource to enrol a user in it. Sender: the :class:`lms.registry.LearningResource`.
Keywords: ``user`` (:class:`lms.models.User`), ``source`` (str, e.g. ``"readiness"``).
Receivers that own ``sender.kind`` enrol the user (idempotently) and return ``True``."""

progress_requested = _signals.signal("progress-requested")
"""A reader (readiness learning path, analytics) asks how far a user is in resources.
Sender: the :class:`lms.models.User`. Keyword: ``resources`` (list of
:class:`lms.registry.LearningResource`). Receivers return ``{resource.id: "enrolled"|"completed"}``
for the resources they own."""

agenda_requested = _signals.signal("agenda-requested")
"""A page (the learner's "My learning") asks what a user registered for that is still to come, such as
a live webinar session. Sender: the :class:`lms.models.User`. Receivers return a list of dicts:
``title`` (str), ``language`` (str, the title's), ``kind`` (str, translated, e.g. "Webinar"), ``when``
(str, the start as the reader's locale writes it, with its time zone), ``start`` (aware datetime, to
sort by) and ``url`` (str, the page of the event)."""

resume_requested = _signals.signal("resume-requested")
"""A page (the home page's "Continue learning") asks what a user started and has not finished, to
take them back where they stopped. Sender: the :class:`lms.models.User` (signed in; receivers answer
for that user only). Keyword: ``limit`` (int): receivers return at most that many items, their most
recently active, chosen in the database (never by loading all of the user's records). Receivers return
a list of dicts: ``title`` (str), ``language`` (str, the title's), ``kind`` (str, translated, e.g.
"Module"), ``progress`` (str, translated: how far the user is, e.g. "4 of 9 steps done", "stopped at
12:34"), ``url`` (str: where they stopped, e.g. the next unfinished step or the recording at the
position) and ``last_active`` (aware datetime, their last activity there, to sort by). Nothing
completed and nothing not yet started is listed."""

followed_requested = _signals.signal("followed-requested")
"""A page (the learner's "My learning") asks what else a user follows besides modules and events to
come: recordings they started, finished or put on their list (a readiness learning path puts them
there). Sender: the :class:`lms.models.User` (signed in). Keyword: ``limit`` (int): at most that many
items, the most recently active, chosen in the database. Receivers return a list of dicts shaped like
:data:`resume_requested`'s (``title``, ``language``, ``kind``, ``progress``, ``url``, ``last_active``);
here ``progress`` may also say "not started" or "watched"."""

course_enrolled = _signals.signal("course-enrolled")
"""A learner was enrolled in a course (once: when the enrolment is created, not when it is found).
Sender: the course's :class:`lms.registry.LearningResource`. Keywords: ``user``, ``registration`` (str:
the enrolment's UUID, the xAPI registration of what the learner does in the course)."""

course_completed = _signals.signal("course-completed")
"""A learner completed a course. Sender: the course's :class:`lms.registry.LearningResource`.
Keyword: ``user``."""

certificate_issued = _signals.signal("certificate-issued")
"""A certificate was issued. Sender: the issuing plugin's name. Keywords: ``user``,
``resource`` (:class:`lms.registry.LearningResource`), ``verification_code`` (str)."""

assessment_submitted = _signals.signal("assessment-submitted")
"""A country's readiness assessment was submitted. Sender: the plugin name (``"readiness"``).
Keywords: ``country_code`` (str), ``levels`` (dict dimension id -> level or None)."""

demo_content_requested = _signals.signal("demo-content-requested")
"""``seed-demo`` is running, after the core's countries and demo users exist. Sender: the app.
Plugins may also use their own ``plugin.demo_content`` hook, which runs first."""
