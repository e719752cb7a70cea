"""Ergonomic risk assessment (RULA, REBA, OWAS) from video of a person at work.

Importing this package is cheap: MediaPipe, torch and smplx are imported only by the stage that needs them.
"""

__version__ = "0.1.0"
