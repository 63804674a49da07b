"""The body of a reserved revision: empty on purpose, in both histories.

Such a revision was reserved for work that needed no table in its history, or that did
not land in the stop it was reserved for. It may already be applied wherever Steward
runs, so it is never filled in: new schema changes go in a new revision after the head.
A reserved revision imports `upgrade` and `downgrade` from here.
"""


def upgrade() -> None:
    """Nothing to create: see the module docstring."""


def downgrade() -> None:
    """Nothing to drop: see the module docstring."""
