"""Live item analysis (题目分析): counters kept on submit, figures computed from them."""
