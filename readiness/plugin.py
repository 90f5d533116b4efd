"""The ``readiness`` plugin: the digital-readiness self-assessment of country teams."""

from flask_babel import lazy_gettext as _l

from lms.plugins import Plugin

plugin = Plugin("readiness", title=_l("Readiness"), nav=[("readiness.index", _l("Readiness assessment"))])


@plugin.demo_content
def _demo(app):
    from readiness.demo import seed

    seed(app)
