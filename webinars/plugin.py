"""The ``webinars`` plugin: tier 2, the Minamata Online archive."""

from flask_babel import lazy_gettext as _l

from lms.plugins import Plugin

plugin = Plugin(
    "webinars",
    title=_l("Webinars"),
    nav=[("webinars.archive", _l("Webinars"))],
    deep_search=("webinars.search", _l("Webinar seasons, transcripts, chapters and questions")),
)


@plugin.demo_content
def seed(app):
    """Season 5 of Minamata Online with short generated media, captions, chapters and Q&A."""
    from webinars.demo import seed_demo

    seed_demo(app)
