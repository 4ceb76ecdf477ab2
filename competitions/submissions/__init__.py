"""Submission contests (作品征集): contests, phases, groups, entries and their files."""
