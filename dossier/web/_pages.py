"""Dashboard pages: the event list with filters, an event, a document, a relation between two actors.

Pages are rendered on the server from the same store queries as the API; the charts (timeline,
network, map, relation series) are drawn by static scripts that read the API with the page's own
query string, so a view is shared by its URL.
"""


from dataclasses import replace
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import Environment, FileSystemLoader, select_autoescape

from ..model import FACTUALITY_VALUES, Event
from ..store import EventQuery, Store, relations

TEMPLATES = Path(__file__).resolve().parent / "templates"
PAGE_SIZE = 50
QUAD_NAMES = {1: "verbal cooperation", 2: "material cooperation", 3: "verbal conflict", 4: "material conflict"}
PLOVER_TYPES = ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID", "RETREAT", "REQUEST", "ACCUSE",
                "REJECT", "THREATEN", "PROTEST", "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")
FILTER_NAMES = ("q", "actor", "recipient", "country", "plover", "quad_class", "since", "until", "factuality")


def highlight(text: str, base: int, marks: list[tuple[int, int, str]]) -> list[tuple[str, str | None]]:
    """`text` (starting at document offset `base`) cut into (piece, class) runs; where marks overlap,
    the earlier one in `marks` wins. Rendered with autoescaping, so the text is never markup."""
    classes: list[str | None] = [None] * len(text)
    for start, end, cls in reversed(marks):
        for i in range(max(start - base, 0), min(end - base, len(text))):
            classes[i] = cls
    runs: list[tuple[str, str | None]] = []
    for i, ch in enumerate(text):
        if runs and runs[-1][1] == classes[i]:
            runs[-1] = (runs[-1][0] + ch, classes[i])
        else:
            runs.append((ch, classes[i]))
    return runs


def event_marks(ev: Event) -> list[tuple[int, int, str]]:
    marks = [(ev.trigger.start, ev.trigger.end, "trigger")]
    marks += [(a.start, a.end, "actor") for a in ev.actor]
    marks += [(r.start, r.end, "recipient") for r in ev.recipient]
    return marks


def safe_href(url: str | None) -> str | None:
    """Only http(s) links become links (a `javascript:` url stays text)."""
    if url and url.strip().lower().startswith(("http://", "https://")):
        return url.strip()
    return None


def _env() -> Jinja2Templates:
    env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(default=True,
                                                                                       default_for_string=True))
    env.globals.update(quad_names=QUAD_NAMES, safe_href=safe_href)
    return Jinja2Templates(env=env)


def pages_router(store: Store) -> APIRouter:
    from ..api._app import EventFilters, decode_cursor, encode_cursor, event_detail

    router = APIRouter(include_in_schema=False)
    templates = _env()

    def render(request: Request, name: str, status_code: int = 200, **context: Any) -> HTMLResponse:
        return templates.TemplateResponse(request, name, context, status_code=status_code)

    def sentence_runs(ev: Event) -> list[tuple[str, str | None]]:
        return highlight(ev.sentence_text or "", ev.sentence_start, event_marks(ev))

    @router.get("/", response_class=HTMLResponse)
    def dashboard(request: Request, filters: Annotated[EventFilters, Depends()],
                  cursor: Annotated[str | None, Query(max_length=100)] = None) -> HTMLResponse:
        q = replace(filters.query, after_seq=decode_cursor(cursor) if cursor else None, limit=PAGE_SIZE + 1)
        rows = store.events_with_seq(q)
        more = len(rows) > PAGE_SIZE
        rows = rows[:PAGE_SIZE]
        kept = [(k, v) for k, v in request.query_params.multi_items() if k in FILTER_NAMES and v]
        params = dict(kept)
        facts = [v for k, v in kept if k == "factuality"]
        next_url = "/?" + urlencode([*kept, ("cursor", encode_cursor(rows[-1][0]))]) if more and rows else None
        items = [{"event": ev, "runs": sentence_runs(ev)} for _, ev in rows]
        return render(request, "dashboard.html", items=items, params=params, next_url=next_url,
                      plover_types=PLOVER_TYPES, query=urlencode(kept), facts=facts,
                      factuality_values=FACTUALITY_VALUES)

    @router.get("/events/{event_id}", response_class=HTMLResponse)
    def event_page(request: Request, event_id: str) -> HTMLResponse:
        detail = event_detail(store, event_id)
        if detail is None:
            raise HTTPException(404, f"no event {event_id!r}")
        ev = store.get_event(event_id)
        assert ev is not None
        return render(request, "event.html", ev=ev, detail=detail, runs=sentence_runs(ev))

    @router.get("/documents/{doc_id}", response_class=HTMLResponse)
    def document_page(request: Request, doc_id: str) -> HTMLResponse:
        doc = store.get_document(doc_id)
        if doc is None:
            raise HTTPException(404, f"no document {doc_id!r}")
        evs = store.events(EventQuery(doc=doc_id))
        marks = [m for ev in evs for m in event_marks(ev)]
        return render(request, "document.html", doc=doc, events=evs, runs=highlight(doc.text, 0, marks))

    @router.get("/relations", response_class=HTMLResponse)
    def relations_page(
        request: Request,
        a: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9]{0,32}$")] = None,
        b: Annotated[str | None, Query(pattern=r"^[A-Za-z0-9]{0,32}$")] = None,
        interval: Annotated[str, Query(pattern=r"^(day|month|year)$")] = "month",
    ) -> HTMLResponse:
        series: list[dict[str, Any]] = []
        titles: dict[str, Event] = {}
        if a and b:
            series = relations(store, a, b, interval)
            for p in series:
                for eid in p["event_ids"][:20]:
                    if eid not in titles:
                        ev = store.get_event(eid)
                        if ev is not None:
                            titles[eid] = ev
        return render(request, "relations.html", a=(a or "").upper(), b=(b or "").upper(), interval=interval,
                      series=series, events=titles)

    return router
