"""Demo content for local use: countries, one user per role, then every plugin's demo content."""

from __future__ import annotations

from flask import Flask

from lms.countries import ensure_countries
from lms.plugins import enabled_plugins
from lms.signals import demo_content_requested

DEMO_PASSWORD = "minamata-demo"  # noqa: S105 - local demo accounts only, printed by seed-demo

DEMO_USERS = [
    # email, name, role, country
    ("admin@example.org", "Ada Admin", "admin", "CH"),
    ("trainer@example.org", "Tomás Trainer", "trainer", "CH"),
    ("coordinator@example.org", "Chloé Coordinator", "coordinator", "FR"),
    ("learner@example.org", "Léa Learner", "learner", "SN"),
]


def seed(app: Flask) -> list[str]:
    """Create the demo data idempotently; returns lines to print. The caller commits."""
    from lms.account.creation import ensure_demo_user

    added = ensure_countries()
    lines = [f"countries: {added} added"]
    for email, name, role, country in DEMO_USERS:
        ensure_demo_user(email=email, name=name, role=role, country_code=country, password=DEMO_PASSWORD)
        lines.append(f"demo user {email} ({role}) password: {DEMO_PASSWORD}")
    for plugin in enabled_plugins(app).values():
        plugin.run_demo_content(app)
        lines.append(f"demo content: {plugin.name}")
    demo_content_requested.send(app)
    return lines
