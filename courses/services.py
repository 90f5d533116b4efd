"""courses: services."""
