"""webinars: permissions."""
