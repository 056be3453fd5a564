"""Read queries of the follow-up, already limited to what the user may see.

``case`` for cases, actions and consent; ``trajectory`` for the shielded trajectories.
"""
