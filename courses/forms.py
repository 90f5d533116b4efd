"""courses: forms."""
