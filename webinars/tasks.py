"""webinars: tasks."""
