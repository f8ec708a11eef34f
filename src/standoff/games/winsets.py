"""The win-set arithmetic of the two-level game lives in :mod:`standoff.models.winsets`, where the
models (the consent model) can use it too; this module names it for the games."""

from standoff.models.winsets import (  # noqa: F401
    QUOTA,
    RTOL,
    SCALE,
    VETO,
    End,
    brute_force_member,
    interval,
    package_reach,
    package_utility,
    pivot,
)
