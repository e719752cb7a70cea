"""Synthetic ground truth: skeletons at known angles (skeleton.py) and a rendered mannequin (render.py)."""
