"""readiness: services."""
