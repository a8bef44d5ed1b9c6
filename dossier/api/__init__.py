"""The HTTP API and dashboard: `create_app(db_url)` gives a FastAPI application (`dossier serve`
runs it on uvicorn)."""

from ._app import create_app, decode_cursor, encode_cursor

__all__ = ["create_app", "decode_cursor", "encode_cursor"]
