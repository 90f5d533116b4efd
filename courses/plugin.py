"""The ``courses`` plugin: tier 1 self-paced modules and tier 3 workshop kits and events."""

from flask_babel import lazy_gettext as _l

from courses import audit_labels  # noqa: F401  (registers the labels of the plugin's audit actions)
from lms.plugins import Plugin

plugin = Plugin(
    "courses",
    title=_l("Modules"),
    nav=[("courses.catalogue", _l("Modules")), ("courses.kits", _l("Workshop kits"))],
    account_nav=[("courses.my_learning", _l("My learning"))],
)


@plugin.demo_content
def seed_demo(app):
    """The four demo modules of the Minamata Tools themes (idempotent)."""
    from courses.demo.seed import seed

    seed(app)


from courses.demo.kits_seed import seed_kits  # noqa: E402  (workshop kits and the four 2024 workshops)

plugin.demo_content(seed_kits)
