"""Scoring forecasts against what really happened."""
