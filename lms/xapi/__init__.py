"""The built-in Learning Record Store (xAPI 1.0.3) and the platform's statement API.

Plugins call :func:`record_statement` inside their service transaction; the statement is validated,
offered to the receivers of :data:`lms.signals.statement_checking` (which may refuse it), stored in the
same database (so it commits or rolls back with the domain change), queued for forwarding to external
LRSs, and announced with :data:`lms.signals.statement_recorded`.
"""

from lms.xapi.agents import actor_for
from lms.xapi.record import activity_iri, record_statement

__all__ = ["activity_iri", "actor_for", "record_statement"]
