"""Scheduled jobs of the readiness plugin: none. Reminders and mail go through the core outbox, which the
core's job delivers."""

JOBS: list = []
