"""webinars: cli."""
