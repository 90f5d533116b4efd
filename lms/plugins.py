"""Plugins: found through the entry-point group ``minamata_lms.plugins``, enabled by ``LMS_PLUGINS``.

A plugin is a package with the same modules everywhere (``plugin.py views.py services.py models.py
forms.py permissions.py cli.py tasks.py templates/<name>/``) and one name used for the plugin, its
entry point, blueprint, URL prefix (``/<name>``), template folder and table prefix (``<name>_``).

``plugin.py`` holds the :class:`Plugin` object, for example::

    plugin = Plugin("courses", title=_l("Modules"), nav=[("courses.catalogue", _l("Modules"))])

    @plugin.demo_content
    def seed(app): ...

The loader imports ``<name>.models`` (tables), ``<name>.views.bp`` (blueprint, required),
``<name>.cli.cli`` (a click group, optional, mounted as ``minamata-lms <name> ...``) and
``<name>.tasks.JOBS`` (optional list of :class:`lms.scheduler.Job`).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib.metadata import entry_points

from flask import Blueprint, Flask, current_app, has_app_context

ENTRY_POINT_GROUP = "minamata_lms.plugins"


class PluginError(RuntimeError):
    """A plugin is missing or breaks the naming rules; the app refuses to start."""


@dataclass
class Plugin:
    name: str
    """The one name: entry point, blueprint, URL prefix, template folder, table prefix."""
    title: object = ""
    """Human-readable (lazy-translated) name."""
    nav: list[tuple[str, object]] = field(default_factory=list)
    """Navigation items: ``(endpoint, lazy label)``, shown in the site header."""
    account_nav: list[tuple[str, object]] = field(default_factory=list)
    """Navigation items shown in the site header to signed-in users only, before "My account" (a
    learner's own pages, such as "My learning")."""
    trainer_nav: list[tuple[str, object]] = field(default_factory=list)
    """Navigation items shown in the site header to trainers and administrators only, after the
    signed-in items (the pages of their work, such as "Analytics")."""
    deep_search: tuple[str, object] | None = None
    """``(endpoint, lazy label)`` of the plugin's own search, which takes the words as ``q`` and looks
    further than the titles the site search reads (a webinar's spoken words, its seasons). The site
    search offers it with the same words: "Search further: <label>"."""
    package: str | None = None
    """Import name of the package; defaults to ``name``."""
    resource_footer: str | None = None
    """Template (``<name>/...html``) shown at the foot of every learning-resource page (a lesson, a
    webinar session, a kit, an assessment result) through the core's ``resource_footer(kind, key,
    part)`` template function. It is rendered with ``footer``: ``{"kind", "key"}`` of the registry
    resource (:mod:`lms.registry`), ``"part"`` (the part of it the page shows, e.g. ``lesson/<uuid>``,
    or ``""``) and ``"next"`` (the page's path, to come back to)."""
    _demo_hooks: list[Callable] = field(default_factory=list, repr=False)
    blueprint: Blueprint | None = field(default=None, repr=False)
    jobs: list = field(default_factory=list, repr=False)

    def demo_content(self, func: Callable) -> Callable:
        """Decorator: ``func(app)`` creates the plugin's demo content idempotently (``seed-demo``)."""
        self._demo_hooks.append(func)
        return func

    def run_demo_content(self, app: Flask) -> None:
        for hook in self._demo_hooks:
            hook(app)

    def _module(self, suffix: str, required: bool = False):
        pkg = self.package or self.name
        try:
            return importlib.import_module(f"{pkg}.{suffix}")
        except ModuleNotFoundError as exc:
            if required or exc.name != f"{pkg}.{suffix}":
                raise
            return None

    def setup(self, app: Flask) -> None:
        """Import the plugin's modules and attach them to ``app``; enforces the naming rules."""
        self._module("models")
        views = self._module("views", required=True)
        bp = getattr(views, "bp", None)
        if not isinstance(bp, Blueprint):
            raise PluginError(f"plugin {self.name!r}: {self.name}.views must define a Blueprint named bp")
        if bp.name != self.name:
            raise PluginError(
                f"plugin {self.name!r}: blueprint is named {bp.name!r}; it must be {self.name!r}"
            )
        app.register_blueprint(bp, url_prefix=f"/{self.name}")
        self.blueprint = bp
        cli = self._module("cli")
        if cli is not None and getattr(cli, "cli", None) is not None:
            if cli.cli.name != self.name:
                raise PluginError(f"plugin {self.name!r}: its click group must be named {self.name!r}")
            app.cli.add_command(cli.cli)
        tasks = self._module("tasks")
        self.jobs = list(getattr(tasks, "JOBS", [])) if tasks is not None else []
        _check_table_prefix(self.name)


def _check_table_prefix(name: str) -> None:
    from lms.db import db

    module_prefix = f"{name}."
    for mapper in db.Model.registry.mappers:
        cls = mapper.class_
        if cls.__module__.startswith(module_prefix) and hasattr(cls, "__tablename__"):
            if not cls.__tablename__.startswith(f"{name}_"):
                raise PluginError(f"plugin {name!r}: table {cls.__tablename__!r} must start with {name}_")


def available_plugins() -> dict[str, Plugin]:
    """All installed plugins by name (loads each entry point)."""
    found = {}
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        obj = ep.load()
        if not isinstance(obj, Plugin):
            raise PluginError(f"entry point {ep.name!r} does not point to a Plugin object")
        if obj.name != ep.name:
            raise PluginError(f"entry point {ep.name!r} points to plugin named {obj.name!r}")
        found[ep.name] = obj
    return found


def load_plugins(app: Flask) -> list[Plugin]:
    """Set up the plugins named in ``PLUGINS`` in that order; unknown names stop the start-up."""
    wanted = list(app.config["PLUGINS"])
    installed = available_plugins()
    missing = [n for n in wanted if n not in installed]
    if missing:
        raise PluginError(
            f"plugin(s) {', '.join(missing)} named in LMS_PLUGINS are not installed "
            f"(installed: {', '.join(sorted(installed)) or 'none'}); reinstall the package or fix LMS_PLUGINS"
        )
    loaded = []
    for name in wanted:
        plugin = installed[name]
        plugin.setup(app)
        loaded.append(plugin)
    app.extensions["lms_plugins"] = {p.name: p for p in loaded}
    return loaded


def enabled_plugins(app: Flask) -> dict[str, Plugin]:
    return app.extensions.get("lms_plugins", {})


def is_enabled(name: str) -> bool:
    """Whether plugin ``name`` is enabled in the current app (False outside an app context).

    A signal receiver stays connected once its module is imported, for every app of the process (the
    tests create many, with different plugins): receivers call this before acting."""
    return has_app_context() and name in enabled_plugins(current_app)
