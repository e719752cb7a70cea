"""Puts the repository root on sys.path for tests (handler.py is a top-level module)."""
