"""analytics: forms."""
