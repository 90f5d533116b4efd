"""webinars: forms."""
