"""analytics: permissions."""
