"""courses: permissions."""
