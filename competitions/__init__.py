"""Competitions: quizzes, submission contests, judging, voting and the book drift.

One sub-package per concept (core/, quizzes/, submissions/, judging/, voting/, bookdrift/),
added by the issues that build them.
"""
