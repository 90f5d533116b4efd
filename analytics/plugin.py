"""The ``analytics`` plugin: dashboards, open data, feedback and exports from the statement store."""

from flask_babel import lazy_gettext as _l

from lms import signals
from lms.plugins import Plugin, is_enabled

plugin = Plugin(
    "analytics",
    title=_l("Analytics"),
    nav=[("analytics.open_data", _l("Open data"))],
    trainer_nav=[("analytics.index", _l("Analytics"))],
    resource_footer="analytics/_resource_footer.html",
)


def _only_when_enabled(receiver):
    def wrapped(sender, **kwargs):
        if is_enabled("analytics"):
            return receiver(sender, **kwargs)
        return None

    wrapped.__name__ = f"analytics_{receiver.__name__}"
    return wrapped


def _connect() -> None:
    from analytics import services

    for signal, receiver in (
        (signals.certificate_issued, services.on_certificate_issued),
        (signals.enrolment_requested, services.on_enrolment_requested),
        (signals.user_deleted, services.on_user_deleted),
    ):
        handler = _only_when_enabled(receiver)
        _HANDLERS.append(handler)  # blinker keeps weak references: hold the wrappers
        signal.connect(handler)


_HANDLERS: list = []
_connect()


@plugin.demo_content
def seed(app):
    from analytics.demo import seed_demo

    seed_demo(app)
