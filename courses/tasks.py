"""courses: tasks."""
