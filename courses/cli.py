"""courses: cli."""
