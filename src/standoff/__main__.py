"""`python -m standoff` runs the command-line front end."""

from standoff.cli import run

run()
