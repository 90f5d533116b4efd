"""The ``analytics`` plugin: dashboards, open data and exports from the statement store."""

from flask_babel import lazy_gettext as _l

from lms.plugins import Plugin

plugin = Plugin("analytics", title=_l("Analytics"), nav=[("analytics.open_data", _l("Open data"))])
