"""The ``webinars`` plugin: tier 2, the Minamata Online archive."""

from flask_babel import lazy_gettext as _l

from lms.plugins import Plugin

plugin = Plugin("webinars", title=_l("Webinars"), nav=[("webinars.archive", _l("Webinars"))])
