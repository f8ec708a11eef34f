"""Draft a reviewable scenario from an analysis text, offline (see docs/draft.md).

`make_draft(text, date=..., scenario=..., coder="auto")` returns the draft scenario and its
review notes; `to_yaml` writes it with the to-do header; `analyse` returns what was read
(sentences, actors, dates, coded events) for evaluation against a gold list (`evaluate`).
"""

from standoff.draft.draft import Analysis, analyse, make_draft, read_text, to_yaml, todo_paths

__all__ = ["Analysis", "analyse", "make_draft", "read_text", "to_yaml", "todo_paths"]
