"""readiness: forms."""
