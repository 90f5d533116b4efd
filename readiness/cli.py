"""readiness: cli."""
