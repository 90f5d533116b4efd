"""readiness: permissions."""
