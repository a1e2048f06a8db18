"""Kept for old imports: the problem types live in app/problems.py, shared with the quiz engine."""
from app.problems import CourseFormatError, Problem

__all__ = ["CourseFormatError", "Problem"]
