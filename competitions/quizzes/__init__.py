"""Prize knowledge quizzes (知识竞答): question banks, attempts, scoring, leaderboards."""
