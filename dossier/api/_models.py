"""Response and request bodies: the event record exactly as `Event.to_dict()` gives it.

tests/test_api.py checks that these fields are the keys of `Event.to_dict()`, so the API, the
CLI's JSONL and `dossier code` share one schema.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ActorOut(BaseModel):
    text: str
    code: str | None
    country: str | None
    sector: str | None
    start: int
    end: int


class ActorWithPath(ActorOut):
    path: str | None = None


class SpanOut(BaseModel):
    text: str
    start: int
    end: int


class ReferenceOut(BaseModel):
    type: str
    id: str
    text: str
    start: int
    end: int


class LocationOut(BaseModel):
    name: str
    geonameid: int | None
    lat: float | None
    lon: float | None
    country: str | None
    admin1: str | None
    precision: str
    start: int
    end: int


class EventOut(BaseModel):
    event_id: str
    doc_id: str
    sentence: int
    date: str | None
    plover: str | None
    plover_mode: str | None
    cameo: str
    quad_class: int
    goldstein: float
    actor: list[ActorOut]
    recipient: list[ActorOut]
    trigger: SpanOut
    attributed_to: list[ActorOut] | None
    negated: bool
    factuality: str = Field(description="asserted, reported, alleged, denied, demanded, intended, threatened, "
                                        "conditional or negated")
    parent: str | None = Field(description="event_id of the speech act that embeds this event")
    references: list[ReferenceOut]
    location: LocationOut | None
    rule: str
    coder_version: str


class EventsPage(BaseModel):
    events: list[EventOut]
    next: str | None = Field(description="Opaque cursor for the next page; null on the last page.")
    next_url: str | None = None


class DocumentRef(BaseModel):
    id: str
    title: str | None
    url: str | None
    date: str | None
    source: str | None


class EventDetail(EventOut):
    """The event with its provenance: what `dossier explain --format json` gives, plus the document."""

    actor: list[ActorWithPath]  # type: ignore[assignment]
    recipient: list[ActorWithPath]  # type: ignore[assignment]
    sentence_text: str | None
    sentence_start: int
    explain: dict[str, Any]
    explanation: str
    document: DocumentRef | None


class DocumentOut(BaseModel):
    id: str
    text: str
    title: str | None
    date: str | None
    date_source: str | None
    url: str | None
    source: str | None
    language: str | None
    origin: str | None
    events: list[EventOut]


class DocumentIn(BaseModel):
    """One document, as one line of a JSONL input: `text` or `html`, the rest optional."""

    model_config = ConfigDict(extra="forbid")

    id: str | None = Field(default=None, max_length=500)
    text: str | None = None
    html: str | None = None
    title: str | None = None
    date: str | None = None
    url: str | None = None
    source: str | None = None
    language: str | None = None


class IngestOut(BaseModel):
    status: str = Field(description="new, updated or unchanged")
    document: DocumentRef
    events: list[EventOut]


class ActorCount(BaseModel):
    code: str
    events: int
    names: list[str]


class DayCounts(BaseModel):
    date: str
    quad_class: dict[str, int]


class PairCount(BaseModel):
    actor: str
    recipient: str
    events: int
    cooperation: int
    conflict: int
    goldstein: float


class StatsOut(BaseModel):
    events: int
    by_day: list[DayCounts]
    by_plover: dict[str, int]
    by_actor_pair: list[PairCount]


class MapPoint(BaseModel):
    name: str
    lat: float
    lon: float
    country: str | None
    precision: str | None
    events: int
    quad_class: dict[str, int]


class RelationPointOut(BaseModel):
    period: str
    direction: str = Field(description="a->b or b->a")
    events: int
    quad_class: dict[str, int]
    goldstein_sum: float
    goldstein_mean: float | None
    event_ids: list[str]


class RelationsOut(BaseModel):
    a: str
    b: str
    interval: str
    series: list[RelationPointOut]


class ErrorOut(BaseModel):
    detail: str
