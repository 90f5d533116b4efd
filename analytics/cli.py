"""analytics: cli."""
