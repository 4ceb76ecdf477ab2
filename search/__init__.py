"""Search: one search box over everything public."""
