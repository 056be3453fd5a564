"""HTML views of the cases app: cases and actions (case.py), trajectories (trajectory.py)."""
