"""The FastAPI application: `create_app(db_url)` serves the JSON API under /api and the dashboard
at /. Routes are thin: every answer comes from the store's query functions."""


import base64
import binascii
import csv
import io
import json
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from dataclasses import replace
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import Depends, FastAPI, HTTPException, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response, StreamingResponse
from fastapi.staticfiles import StaticFiles

from .._explain import explain_text
from .._output import CSV_FIELDS, csv_row
from .._version import __version__
from ..errors import DossierError, StoreError
from ..model import FACTUALITY_VALUES, Event
from ..store import (
    EventQuery,
    Store,
    actor_counts,
    event_stats,
    map_points,
    relations,
    verify_key,
)
from ..store._query import _date_bound
from ._models import (
    ActorCount,
    DocumentIn,
    DocumentOut,
    DocumentRef,
    ErrorOut,
    EventDetail,
    EventsPage,
    IngestOut,
    MapPoint,
    RelationsOut,
    StatsOut,
)
from ._security import BodyLimit, RateLimiter, SecurityHeaders

WEB = Path(__file__).resolve().parent.parent / "web"
EXPORT_PAGE = 500
MAX_LIMIT = 1000
DATE_PATTERN = r"^\d{4}(-\d{2}(-\d{2})?)?$"
CODE_PATTERN = r"^[A-Za-z0-9]{1,32}$"


class Format(StrEnum):
    json = "json"
    ndjson = "ndjson"
    csv = "csv"


Factuality = StrEnum("Factuality", {v: v for v in FACTUALITY_VALUES})  # type: ignore[misc]


class Interval(StrEnum):
    day = "day"
    month = "month"
    year = "year"


# -- cursors ---------------------------------------------------------------------------------

def encode_cursor(seq: int) -> str:
    return base64.urlsafe_b64encode(f"seq:{seq}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        kind, _, value = raw.partition(":")
        if kind != "seq" or not value.isdigit():
            raise ValueError(raw)
        return int(value)
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raise HTTPException(422, f"invalid cursor {cursor[:60]!r}: use the `next` value of a previous page") from None


# -- filters ---------------------------------------------------------------------------------

class EventFilters:
    """The filters of `dossier events` (plus full-text `q` and `quad_class`) as query parameters."""

    def __init__(
        self,
        actor: Annotated[str | None, Query(description="Actor code or prefix, e.g. SYR or SYRGOV.",
                                           pattern=CODE_PATTERN)] = None,
        recipient: Annotated[str | None, Query(description="Recipient code or prefix.", pattern=CODE_PATTERN)] = None,
        country: Annotated[str | None, Query(description="ISO alpha-3 of an actor, recipient or the location.",
                                             pattern=r"^[A-Za-z]{3}$")] = None,
        plover: Annotated[str | None, Query(description="PLOVER event type, e.g. ACCUSE.",
                                            pattern=r"^[A-Za-z_]{1,32}$")] = None,
        cameo: Annotated[str | None, Query(description="CAMEO code or prefix, e.g. 11.", pattern=r"^\d{1,4}$")] = None,
        quad_class: Annotated[int | None, Query(ge=1, le=4, description="1 verbal cooperation, 2 material "
                                                "cooperation, 3 verbal conflict, 4 material conflict.")] = None,
        since: Annotated[str | None, Query(description="Earliest event date: YYYY, YYYY-MM or YYYY-MM-DD.",
                                           pattern=DATE_PATTERN)] = None,
        until: Annotated[str | None, Query(description="Latest event date (inclusive).", pattern=DATE_PATTERN)] = None,
        doc: Annotated[str | None, Query(description="Document id.", max_length=500)] = None,
        reference: Annotated[str | None, Query(description="Cited instrument, e.g. UNSC-2254.", max_length=200)] = None,
        q: Annotated[str | None, Query(description="Full-text search: the event's sentence contains every word.",
                                       max_length=500)] = None,
        factuality: Annotated[list[Factuality] | None, Query(description="Any of these (repeat the parameter), "
                                                             "e.g. asserted, reported, alleged, denied.")] = None,
        parent: Annotated[str | None, Query(description="Events embedded in this speech act (its event_id).",
                                            max_length=100)] = None,
    ) -> None:
        for name, value in (("since", since), ("until", until)):
            if value is not None:
                try:
                    _date_bound(value, end=name == "until")
                    if len(value) == 10:
                        from datetime import date

                        date.fromisoformat(value)
                except (StoreError, ValueError):
                    raise HTTPException(422, f"{name}: {value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)") from None
        self.query = EventQuery(actor=actor, recipient=recipient, country=country, plover=plover, cameo=cameo,
                                since=since, until=until, doc=doc, reference=reference, quad_class=quad_class,
                                text=q if q and q.strip() else None,
                                factuality=[f.value for f in factuality] if factuality else None,
                                parent=parent or None)


Filters = Annotated[EventFilters, Depends()]


def _ndjson_lines(store: Store, q: EventQuery) -> Iterator[str]:
    for ev in _iter_all(store, q):
        yield json.dumps(ev.to_dict(), ensure_ascii=False) + "\n"


def _csv_lines(store: Store, q: EventQuery) -> Iterator[str]:
    buf = io.StringIO()
    writer = csv.DictWriter(buf, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    yield buf.getvalue()
    for ev in _iter_all(store, q):
        buf.seek(0)
        buf.truncate()
        writer.writerow(csv_row(ev))
        yield buf.getvalue()


def _iter_all(store: Store, q: EventQuery) -> Iterator[Event]:
    """Every matching event, read page by page by seq (memory stays bounded by one page)."""
    after = q.after_seq
    while True:
        page = store.events_with_seq(replace(q, after_seq=after, limit=EXPORT_PAGE))
        for _, ev in page:
            yield ev
        if len(page) < EXPORT_PAGE:
            return
        after = page[-1][0]


def _doc_ref(store: Store, doc_id: str) -> DocumentRef | None:
    d = store.get_document(doc_id)
    if d is None:
        return None
    return DocumentRef(id=d.id, title=d.title, url=d.url, date=d.date, source=d.source)


def event_detail(store: Store, event_id: str) -> dict[str, Any] | None:
    ev = store.get_event(event_id)
    if ev is None:
        return None
    ref = _doc_ref(store, ev.doc_id)
    return {**ev.to_dict(with_explain=True), "explanation": explain_text(ev),
            "document": ref.model_dump() if ref else None}


# -- the application -------------------------------------------------------------------------

def create_app(
    db_url: str,
    *,
    require_key_for_reads: bool = False,
    max_body_bytes: int = 2_000_000,
    writes_per_minute: int = 30,
    cors_origins: list[str] | None = None,
) -> FastAPI:
    """The API and dashboard over the store at `db_url` (opened, and migrated, right away)."""
    store = Store(db_url)
    limiter = RateLimiter(writes_per_minute)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        try:
            yield
        finally:
            store.close()

    app = FastAPI(
        title="Dossier",
        version=__version__,
        summary="Sourced CAMEO/PLOVER event records: who did what to whom, when and where, and who said so.",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.store = store

    def bearer(request: Request) -> str | None:
        header = request.headers.get("authorization", "")
        scheme, _, token = header.partition(" ")
        return token.strip() if scheme.lower() == "bearer" and token.strip() else None

    def require_key(request: Request) -> str:
        token = bearer(request)
        if token is None or len(token) > 200 or verify_key(store, token) is None:
            raise HTTPException(401, "a valid API key is needed: Authorization: Bearer <key> (see `dossier keys`)",
                                headers={"WWW-Authenticate": "Bearer"})
        return token

    def read_access(request: Request) -> None:
        if require_key_for_reads:
            require_key(request)

    def write_quota(request: Request, key: Annotated[str, Depends(require_key)]) -> None:
        wait = limiter.take(key.split("_", 2)[1] if key.count("_") >= 2 else key)
        if wait:
            raise HTTPException(429, f"too many writes: try again in {wait:.0f} s",
                                headers={"Retry-After": str(int(wait))})

    reads = [Depends(read_access)]
    errors: dict[int | str, dict[str, Any]] = {404: {"model": ErrorOut}, 422: {"model": ErrorOut}}
    if require_key_for_reads:
        errors[401] = {"model": ErrorOut}

    @app.exception_handler(DossierError)
    async def _dossier_error(_request: Request, exc: DossierError) -> JSONResponse:
        return JSONResponse({"detail": str(exc)}, status_code=503)

    @app.exception_handler(RequestValidationError)
    async def _validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        problems = []
        for e in exc.errors():
            where = ".".join(str(p) for p in e.get("loc", ()) if p != "body") or "body"
            problems.append(f"{where}: {e.get('msg', 'invalid')}")
        return JSONResponse({"detail": "; ".join(problems) or "invalid request"}, status_code=422)

    # -- events --

    @app.get("/api/events", response_model=EventsPage, dependencies=reads, responses=errors,
             summary="Events matching the filters, a page at a time (or all of them as NDJSON/CSV).")
    def list_events(
        request: Request,
        filters: Filters,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT, description="Events per page.")] = 50,
        cursor: Annotated[str | None, Query(max_length=100, description="`next` of the previous page.")] = None,
        format: Annotated[Format, Query(description="json: one page; ndjson or csv: every match, streamed.")]
        = Format.json,
    ) -> Any:
        q = replace(filters.query, after_seq=decode_cursor(cursor) if cursor else None)
        if format is Format.ndjson:
            return StreamingResponse(_ndjson_lines(store, q), media_type="application/x-ndjson")
        if format is Format.csv:
            return StreamingResponse(_csv_lines(store, q), media_type="text/csv; charset=utf-8",
                                     headers={"Content-Disposition": 'attachment; filename="events.csv"'})
        rows = store.events_with_seq(replace(q, limit=limit + 1))
        more = len(rows) > limit
        rows = rows[:limit]
        nxt = encode_cursor(rows[-1][0]) if more and rows else None
        return {"events": [ev.to_dict() for _, ev in rows], "next": nxt,
                "next_url": str(request.url.include_query_params(cursor=nxt)) if nxt else None}

    @app.get("/api/events/{event_id}", response_model=EventDetail, dependencies=reads, responses=errors,
             summary="One event with its provenance and explanation.")
    def get_event(event_id: str) -> Any:
        detail = event_detail(store, event_id)
        if detail is None:
            raise HTTPException(404, f"no event {event_id!r}")
        return detail

    # -- documents --

    @app.get("/api/documents/{doc_id}", response_model=DocumentOut, dependencies=reads, responses=errors,
             summary="A document's text and metadata with its events.")
    def get_document(doc_id: str) -> Any:
        d = store.get_document(doc_id)
        if d is None:
            raise HTTPException(404, f"no document {doc_id!r}")
        evs = store.events(EventQuery(doc=doc_id))
        return {**d.to_dict(), "events": [ev.to_dict() for ev in evs]}

    @app.post("/api/documents", response_model=IngestOut, status_code=201,
              dependencies=[Depends(write_quota)],
              responses={401: {"model": ErrorOut}, 413: {"model": ErrorOut}, 422: {"model": ErrorOut},
                         429: {"model": ErrorOut}},
              summary="Ingest one document (the fields of a JSONL line); needs an API key.")
    def post_document(body: DocumentIn) -> Any:
        from ..ingest import read_jsonl
        from ..model import Document
        from ..pipeline import code_documents

        # the body is one JSONL line: read by the same reader as `dossier ingest`
        line = json.dumps(body.model_dump(exclude_none=True), ensure_ascii=False)
        item = next(iter(read_jsonl(io.StringIO(line), origin="request body")), None)
        if not isinstance(item, Document):  # None, an IngestError (read_jsonl gives no UnchangedInput)
            raise HTTPException(422, str(item) if item else "empty document")
        coded = list(code_documents([item]))
        status = store.save(coded)[0]
        ref = _doc_ref(store, item.id)
        return {"status": status, "document": ref.model_dump() if ref else None,
                "events": [ev.to_dict() for ev in store.events(EventQuery(doc=item.id))]}

    # -- aggregates --

    @app.get("/api/actors", response_model=list[ActorCount], dependencies=reads, responses=errors,
             summary="Actor codes with their names and event counts.")
    def get_actors(
        q: Annotated[str | None, Query(max_length=100, description="Code prefix or part of a name.")] = None,
        limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 50,
    ) -> Any:
        return actor_counts(store, q, limit=limit)

    @app.get("/api/stats", response_model=StatsOut, dependencies=reads, responses=errors,
             summary="Counts by day x QuadClass, by PLOVER type and by actor pair, for the filtered events.")
    def get_stats(filters: Filters) -> Any:
        return event_stats(store, filters.query)

    @app.get("/api/map", response_model=list[MapPoint], dependencies=reads, responses=errors,
             summary="Event locations with coordinates and precision, counted by QuadClass.")
    def get_map(filters: Filters) -> Any:
        return map_points(store, filters.query)

    @app.get("/api/relations", response_model=RelationsOut, dependencies=reads, responses=errors,
             summary="How two actors (code prefixes) act toward each other over time, both directions.")
    def get_relations(
        filters: Filters,
        a: Annotated[str, Query(pattern=CODE_PATTERN, description="First actor code prefix, e.g. SAU.")],
        b: Annotated[str, Query(pattern=CODE_PATTERN, description="Second actor code prefix, e.g. SYRGOV.")],
        interval: Interval = Interval.month,
    ) -> Any:
        series = relations(store, a, b, interval.value, filters.query)
        return {"a": a.upper(), "b": b.upper(), "interval": interval.value, "series": series}

    @app.middleware("http")
    async def _drop_empty_filters(request: Request, call_next: Any) -> Any:
        # A filter form submits every field, empty ones too: the dashboard's URL keeps only those set.
        if request.method == "GET" and request.url.path == "/" and any(v == "" for v in request.query_params.values()):
            kept = [(k, v) for k, v in request.query_params.multi_items() if v != ""]
            return RedirectResponse("/" + ("?" + urlencode(kept) if kept else ""), status_code=303)
        return await call_next(request)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        return Response(status_code=204)

    # -- docs without a CDN --

    @app.get("/docs", include_in_schema=False, response_class=HTMLResponse)
    def docs() -> str:
        return (WEB / "templates" / "docs.html").read_text(encoding="utf-8")

    from ..web import pages_router

    app.include_router(pages_router(store))
    app.mount("/static", StaticFiles(directory=WEB / "static"), name="static")

    app.add_middleware(BodyLimit, max_bytes=max_body_bytes)
    if cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "Content-Type"])
    app.add_middleware(SecurityHeaders)
    return app


