"""readiness: models."""
