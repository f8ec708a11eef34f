"""Presenting results: terminal tables, Markdown, JSON (and, later, reports with plots)."""
