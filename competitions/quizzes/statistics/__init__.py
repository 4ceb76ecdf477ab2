"""A quiz's statistics for its organisers: live figures, the statistics pages, .xlsx exports."""
