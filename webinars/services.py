"""webinars: services."""
