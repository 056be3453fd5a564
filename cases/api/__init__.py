"""The cases API: cases with their actions and notes (case.py), trajectories (trajectory.py)."""
