"""The dashboard: server-rendered pages (Jinja2, autoescaped) and static assets.

Everything a page loads comes from this server (`static/`, including the front-end libraries
under `static/vendor/` with their licences and the world boundaries the map draws); no script is
inline, so the Content-Security-Policy can forbid inline script.
"""

from ._pages import highlight, pages_router

__all__ = ["highlight", "pages_router"]
