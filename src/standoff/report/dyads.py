"""One actor's dyads in one round of the expected utility model (the data behind Bueno de
Mesquita's quadrant charts): computed by the dyads task, :func:`standoff.tasks.dyads.dyads`."""

from standoff.tasks.dyads import dyads

__all__ = ["dyads"]
