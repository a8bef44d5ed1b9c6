"""The records Dossier passes between its stages: documents in, events out.

Plain dataclasses with `to_dict()` giving the documented JSON shape; no stage depends on
another's internals, only on these.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field
from typing import Any

# What the text claims about an event (README "Factuality"); scorers count the first three as having happened.
FACTUALITY_VALUES = ("asserted", "reported", "alleged", "denied", "demanded", "intended", "threatened",
                     "conditional", "negated")
HAPPENED = frozenset({"asserted", "reported", "alleged"})


@dataclass
class Document:
    """One news article or statement as ingested."""

    id: str
    text: str
    title: str | None = None
    date: str | None = None  # ISO 8601 date, "YYYY-MM-DD"
    date_source: str | None = None  # "metadata" | "text" | None
    url: str | None = None
    source: str | None = None
    language: str | None = None  # ISO 639-1, e.g. "en"
    origin: str | None = None  # where it was read from: "path" or "path:line"
    # problems met while reading that did not stop it (an impossible date); reported, not stored
    warnings: list[str] = field(default_factory=list, compare=False, repr=False)
    # SHA-1 of the input as read (text and raw metadata), set by the readers: re-ingest compares it before parsing
    input_hash: str | None = field(default=None, compare=False, repr=False)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("warnings")
        d.pop("input_hash")
        return d


@dataclass
class ActorMention:
    """An actor as it appears in the text, with its CAMEO-style code."""

    text: str
    code: str | None  # e.g. "SYRGOV", "IGOUNO", "USA"
    country: str | None  # ISO 3166-1 alpha-3, or None for IGOs and unknowns
    sector: str | None  # e.g. "GOV", "MIL", "OPP", "CVL"
    start: int  # character offsets into the document text
    end: int
    path: str | None = None  # parse path from the trigger, for `explain`

    def to_dict(self, with_path: bool = False) -> dict[str, Any]:
        d = asdict(self)
        if not with_path:
            d.pop("path")
        return d


@dataclass
class Span:
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Reference:
    """A legal or documentary instrument cited: a UN resolution, a named agreement, a report."""

    type: str  # "UNSC" | "UNGA" | "agreement" | "report"
    id: str  # e.g. "UNSC-2254", "geneva-communique-2012"
    text: str
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Location:
    """A resolved (or unresolved) place mention."""

    name: str
    geonameid: int | None
    lat: float | None
    lon: float | None
    country: str | None  # ISO 3166-1 alpha-3
    admin1: str | None
    precision: str  # "country" | "admin1" | "city" | "unresolved"
    start: int
    end: int

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass
class Event:
    """One coded event: who did what to whom, with the words it came from."""

    doc_id: str
    sentence: int
    plover: str | None
    plover_mode: str | None
    cameo: str
    quad_class: int
    goldstein: float
    actor: list[ActorMention]
    recipient: list[ActorMention]
    trigger: Span
    rule: str
    coder_version: str
    date: str | None = None
    attributed_to: list[ActorMention] | None = None
    negated: bool = False
    factuality: str = "asserted"  # one of FACTUALITY_VALUES
    parent: str | None = None  # event_id of the speech act that embeds this event (accusation, demand, ...)
    references: list[Reference] = field(default_factory=list)
    location: Location | None = None
    sentence_text: str | None = None
    sentence_start: int = 0
    explain: dict[str, Any] = field(default_factory=dict)
    event_id: str = ""

    def __post_init__(self) -> None:
        if not self.event_id:
            self.event_id = make_event_id(self.doc_id, self.sentence, self.trigger.start, self.cameo)
        if self.factuality not in FACTUALITY_VALUES:
            raise ValueError(f"factuality {self.factuality!r} is not one of {', '.join(FACTUALITY_VALUES)}")
        # `negated` is kept for old readers and equals factuality == "negated"
        if self.negated and self.factuality in HAPPENED:  # "said Y did not attack": not stated as happened
            self.factuality = "negated"
        self.negated = self.factuality == "negated"

    @property
    def happened(self) -> bool:
        """The text states the event as having happened (what scorers count)."""
        return not self.negated and self.factuality in HAPPENED

    def to_dict(self, with_explain: bool = False) -> dict[str, Any]:
        d: dict[str, Any] = {
            "event_id": self.event_id,
            "doc_id": self.doc_id,
            "sentence": self.sentence,
            "date": self.date,
            "plover": self.plover,
            "plover_mode": self.plover_mode,
            "cameo": self.cameo,
            "quad_class": self.quad_class,
            "goldstein": self.goldstein,
            "actor": [a.to_dict() for a in self.actor],
            "recipient": [a.to_dict() for a in self.recipient],
            "trigger": self.trigger.to_dict(),
            "attributed_to": None if self.attributed_to is None else [a.to_dict() for a in self.attributed_to],
            "negated": self.negated,
            "factuality": self.factuality,
            "parent": self.parent,
            "references": [r.to_dict() for r in self.references],
            "location": self.location.to_dict() if self.location else None,
            "rule": self.rule,
            "coder_version": self.coder_version,
        }
        if with_explain:
            d["sentence_text"] = self.sentence_text
            d["sentence_start"] = self.sentence_start
            d["explain"] = self.explain
            d["actor"] = [a.to_dict(with_path=True) for a in self.actor]
            d["recipient"] = [a.to_dict(with_path=True) for a in self.recipient]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Event:
        def actors(items: list[dict[str, Any]] | None) -> list[ActorMention]:
            return [ActorMention(text=a["text"], code=a.get("code"), country=a.get("country"), sector=a.get("sector"),
                                 start=a["start"], end=a["end"], path=a.get("path")) for a in items or []]

        return cls(
            event_id=d["event_id"],
            doc_id=d["doc_id"],
            sentence=d["sentence"],
            date=d.get("date"),
            plover=d.get("plover"),
            plover_mode=d.get("plover_mode"),
            cameo=d["cameo"],
            quad_class=d["quad_class"],
            goldstein=d["goldstein"],
            actor=actors(d.get("actor")),
            recipient=actors(d.get("recipient")),
            trigger=Span(**d["trigger"]),
            attributed_to=None if d.get("attributed_to") is None else actors(d["attributed_to"]),
            negated=bool(d.get("negated")),
            factuality=d.get("factuality") or ("negated" if d.get("negated") else "asserted"),
            parent=d.get("parent"),
            references=[Reference(**r) for r in d.get("references") or []],
            location=Location(**d["location"]) if d.get("location") else None,
            rule=d["rule"],
            coder_version=d["coder_version"],
            sentence_text=d.get("sentence_text"),
            sentence_start=d.get("sentence_start") or 0,
            explain=d.get("explain") or {},
        )


def make_event_id(doc_id: str, sentence: int, trigger_start: int, cameo: str) -> str:
    """Stable id: the same document coded by the same rules gives the same ids."""
    raw = f"{doc_id}\x1f{sentence}\x1f{trigger_start}\x1f{cameo}"
    return "ev-" + hashlib.sha1(raw.encode("utf-8")).hexdigest()[:16]


@dataclass
class CodedDocument:
    """A document with everything the coder found in it."""

    document: Document
    sentences: list[Span]
    events: list[Event]
    references: list[Reference] = field(default_factory=list)
    places: list[Location] = field(default_factory=list)
