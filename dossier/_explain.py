"""Human-readable explanation of one event: the sentence with its parts marked, the rule, the paths."""

from __future__ import annotations

from .model import ActorMention, Event


def mark_sentence(ev: Event) -> str:
    """The sentence with [trigger], {actor} and <recipient> marked."""
    text = ev.sentence_text or ""
    base = ev.sentence_start
    marks: list[tuple[int, int, str, str]] = []
    marks.append((ev.trigger.start - base, ev.trigger.end - base, "[", "]"))
    for a in ev.actor:
        marks.append((a.start - base, a.end - base, "{", "}"))
    for r in ev.recipient:
        marks.append((r.start - base, r.end - base, "<", ">"))
    inserts: list[tuple[int, int, str]] = []
    for s, e, o, c in marks:
        if 0 <= s <= e <= len(text):
            inserts.append((s, 1, o))
            inserts.append((e, 0, c))
    for pos, _, ch in sorted(inserts, key=lambda x: (x[0], x[1]), reverse=True):
        text = text[:pos] + ch + text[pos:]
    return text


def explain_text(ev: Event) -> str:
    def who(ms: list[ActorMention] | None) -> str:
        return ", ".join(f"{m.code} ({m.text!r})" for m in ms or []) or "-"

    lines = [
        f"event      {ev.event_id}   document {ev.doc_id}, sentence {ev.sentence}",
        f"sentence   {mark_sentence(ev)}",
        "           [trigger] {actor} <recipient>",
        f"codes      PLOVER {ev.plover}" + (f" / {ev.plover_mode}" if ev.plover_mode else "")
        + f"   CAMEO {ev.cameo}   QuadClass {ev.quad_class}   Goldstein {ev.goldstein:+.1f}"
        + ("   NEGATED" if ev.negated else ""),
        f"trigger    {ev.trigger.text!r} at {ev.trigger.start}-{ev.trigger.end}",
        f"factuality {ev.factuality}" + "".join(
            f"   {c.get('kind', 'cue')} {c['text']!r} at {c['start']}-{c['end']}"
            for c in (ev.explain or {}).get("factuality_cues") or [])
        + (f"   (inside event {ev.parent})" if ev.parent else ""),
        f"actor      {who(ev.actor)}",
        f"recipient  {who(ev.recipient)}",
        "said by    " + ("- (stated by the document)" if ev.attributed_to is None
                         else (who(ev.attributed_to) if ev.attributed_to else "an unnamed source")),
        f"rule       {ev.rule}",
    ]
    ex = ev.explain or {}
    if ex.get("pattern"):
        lines.append(f"pattern    {ex['pattern']}   ({ex.get('pattern_source', '')})")
    for f in ex.get("frame") or []:
        lines.append(f"frame      {f}")
    if ex.get("trigger_path"):
        lines.append(f"parse      root to trigger: {ex['trigger_path']}")
    for role, ms in (("actor", ev.actor), ("recipient", ev.recipient)):
        for m in ms:
            if m.path:
                lines.append(f"parse      trigger to {role} {m.code}: {m.path}")
    if ev.references:
        lines.append("references " + ", ".join(f"{r.id} ({r.text!r})" for r in ev.references))
    if ev.location:
        loc = ev.location
        lines.append(f"location   {loc.name} ({loc.precision}; geonameid {loc.geonameid}; {loc.lat}, {loc.lon}; "
                     f"{loc.country})")
    lines.append(f"coder      {ev.coder_version}")
    return "\n".join(lines)
