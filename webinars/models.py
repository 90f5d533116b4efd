"""webinars: models."""
