"""State changes of the follow-up: one function per use case, each in a transaction.

``case`` holds cases, actions, notes and consent; ``trajectory`` the zorgcoördinator's
shielded trajectories. Import the module you need: ``from cases.services import case``.
"""
