"""The web front end: a JSON API (with OpenAPI docs at /docs) and one page that uses it.

    standoff serve                      # http://127.0.0.1:8000
    >>> from standoff.web import create_app   # doctest: +SKIP
"""

from standoff.web.app import create_app

__all__ = ["create_app"]
