"""courses: models."""
