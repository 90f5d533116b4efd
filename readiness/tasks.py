"""readiness: tasks."""
