"""Load the coder's data files once: verb patterns, frames, CAMEO facts, actor dictionaries.

Every rule the coder applies comes from a file under `dossier/coding/data/` (or a user's own
file of the same format, given by `extra_*` paths or the DOSSIER_ACTORS / DOSSIER_VERBS
environment variables), so a wrong code can be traced to one line of one file.
"""

from __future__ import annotations

import csv
import os
import tomllib
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from ..errors import ResourceError

DATA_DIR = Path(__file__).parent / "data"
ACTOR_DIR = DATA_DIR / "actors"
PERSON_NOUNS = DATA_DIR / "person-nouns.txt"
# Files derived from outside resources by scripts/derive_*.py (see README "Lexical resources"). Loaded by
# default only where the check halves of the development sets gained; the others are bundled for users
# to opt in through DOSSIER_VERBS / DOSSIER_ACTORS. Derived verb files are consulted after verbs.txt and a
# user's files: they only add triggers no earlier file has.
DERIVED_VERB_FILES = ("verbs-cameo-dict.txt",)
OPT_IN_VERB_FILES = ("verbs-wordnet.txt",)
# Derived patterns that add to a trigger's own instead of only filling in missing triggers: event nouns given
# the multi-word patterns of their verb (scripts/derive_nominal.py). A pattern the trigger already has wins.
MERGED_VERB_FILES = ("verbs-nominal.txt",)
# Grids of patterns: verbs (and their nouns) x classes of nouns (what is lifted, called off or halted; media
# silenced), each class one CAMEO code; added like MERGED_VERB_FILES (a pattern a trigger already has wins).
GRID_FILES = ("stopping.toml", "censoring.toml", "reinforcing.toml", "cooperating.toml")
# Actor files derived from PETRARCH2's Phoenix dictionaries (`people-phoenix.tsv`, ...): opt-in at present;
# a kind listed here is read by default, after the hand-written file of that kind.
DERIVED_ACTOR_SUFFIX = "-phoenix.tsv"
SPELLINGS_SUFFIX = "-spellings.tsv"
DERIVED_ACTOR_KINDS: tuple[str, ...] = ()


@dataclass(frozen=True)
class VerbPattern:
    """One line of verbs.txt: a trigger lemma, extra lemmas that must be nearby, a CAMEO code."""

    cameo: str  # "" for speech-only verbs (no event of their own)
    trigger: str
    noun: bool
    items: tuple[str, ...]
    options: tuple[tuple[str, str], ...]
    source: str  # "verbs.txt:123"

    @property
    def text(self) -> str:
        return ("n:" if self.noun else "") + " ".join((self.trigger, *self.items))

    def option(self, key: str) -> str | None:
        for k, v in self.options:
            if k == key:
                return v
        return None


@dataclass(frozen=True)
class CameoInfo:
    code: str
    name: str
    goldstein: float
    quad_class: int
    plover: str | None
    plover_mode: str | None


@dataclass
class ActorEntry:
    """A dictionary actor: its code and where it came from."""

    code: str
    kind: str  # "country" | "capital" | "metonym" | "igo" | "group" | "person" | "adjective" | "people"
    country: str | None
    sector: str | None
    source: str
    start: str | None = None  # validity for people
    end: str | None = None


@dataclass(eq=False)  # hashed by identity: loaded once, used as a cache key
class Resources:
    verbs: dict[tuple[str, bool], list[VerbPattern]]
    cameo: dict[str, CameoInfo]
    frames: dict[str, object]
    names: dict[str, list[ActorEntry]]  # surface form (as written) -> entries
    sectors: dict[str, str]  # lemma phrase -> sector code
    country_names: dict[str, str]  # iso3 -> display name
    data_files: list[str] = field(default_factory=list)
    # person-nouns.txt (WordNet, scripts/derive_person_nouns.py): "suspect", "activist": nouns that name people
    person_nouns: frozenset[str] = frozenset()

    def cameo_info(self, code: str) -> CameoInfo:
        if code in self.cameo:
            return self.cameo[code]
        for n in (3, 2):
            if code[:n] in self.cameo:
                return self.cameo[code[:n]]
        raise ResourceError(f"CAMEO code {code!r} is not in cameo.tsv")


def _rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    """TSV rows with their line numbers; '#' lines are comments."""
    out: list[tuple[int, dict[str, str]]] = []
    with path.open(encoding="utf-8", newline="") as f:
        lines = [(n, line) for n, line in enumerate(f, 1) if line.strip() and not line.startswith("#")]
    if not lines:
        return out
    reader = csv.DictReader((line for _, line in lines), delimiter="\t", quoting=csv.QUOTE_NONE)
    for (n, _), row in zip(lines[1:], reader, strict=False):
        out.append((n, {k: (v or "").strip() for k, v in row.items() if k is not None}))
    return out


def load_word_list(path: Path) -> frozenset[str]:
    """One word per line; '#' lines are comments."""
    with path.open(encoding="utf-8") as f:
        return frozenset(w.strip() for w in f if w.strip() and not w.startswith("#"))


def _split(cell: str | None) -> list[str]:
    return [p.strip() for p in (cell or "").split("|") if p.strip()]


def load_verbs(path: Path) -> dict[tuple[str, bool], list[VerbPattern]]:
    index: dict[tuple[str, bool], list[VerbPattern]] = defaultdict(list)
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            parts = [p for p in line.split("\t") if p.strip()]
            if len(parts) < 2:
                raise ResourceError(f"{path.name}:{n}: expected CODE<TAB>PATTERN")
            code = parts[0].strip()
            words = parts[1].strip().lower().split()
            opts = []
            for p in parts[2:]:
                for kv in p.split():
                    if "=" in kv:
                        k, v = kv.split("=", 1)
                        opts.append((k.strip(), v.strip()))
            noun = words[0].startswith("n:")
            trigger = words[0][2:] if noun else words[0]
            pat = VerbPattern(
                cameo="" if code in {"-", "—"} else code,
                trigger=trigger,
                noun=noun,
                items=tuple(words[1:]),
                options=tuple(opts),
                source=f"{path.name}:{n}",
            )
            index[(trigger, noun)].append(pat)
    # most specific first; file order breaks ties
    for pats in index.values():
        pats.sort(key=lambda p: -len(p.items))
    return dict(index)


def load_grid(path: Path) -> dict[tuple[str, bool], list[VerbPattern]]:
    """Patterns from a grid file: every verb (`verbs`, lemmas, the first word the trigger) with every noun of each
    `[[class]]` (its `code`), as if each pair were a line of verbs.txt; and every noun of the act (`nominals`) with
    them as noun patterns ("cessation" + "hostility" = "n:cessation hostility")."""
    with path.open("rb") as f:
        grid = tomllib.load(f)
    index: dict[tuple[str, bool], list[VerbPattern]] = {}
    # each class's pattern options ("mode=censor"), read once
    classes = [(cls, tuple((k, v) for k, _, v in (o.partition("=") for o in cls.get("options", []))))
               for cls in grid.get("class", [])]
    heads = [(v, False) for v in grid.get("verbs", [])] + [(n, True) for n in grid.get("nominals", [])]
    for head, noun_trigger in heads:
        trigger, *particles = head.split()
        for cls, options in classes:
            for noun in cls["nouns"]:
                pat = VerbPattern(cameo=str(cls["code"]), trigger=trigger, noun=noun_trigger,
                                  items=(*particles, *noun.split()), options=options,
                                  source=f"{path.name} [{cls['name']}]")
                index.setdefault((trigger, noun_trigger), []).append(pat)
    return index


def load_cameo(cameo_path: Path, plover_path: Path) -> dict[str, CameoInfo]:
    plover: dict[str, tuple[str | None, str | None]] = {}
    for _, row in _rows(plover_path):
        plover[row["cameo"]] = (row.get("plover") or None, row.get("mode") or None)
    out: dict[str, CameoInfo] = {}
    for n, row in _rows(cameo_path):
        code = row["code"]
        try:
            gold = float(row["goldstein"])
            quad = int(row["quad_class"])
        except (KeyError, ValueError) as exc:
            raise ResourceError(f"{cameo_path.name}:{n}: bad goldstein/quad_class") from exc
        p, m = plover.get(code, (None, None))
        out[code] = CameoInfo(code, row.get("name", ""), gold, quad, p, m)
    return out


def _actor_files(kind: str, extra: list[Path], derived: bool = True) -> list[Path]:
    by_default = derived and kind in DERIVED_ACTOR_KINDS
    # a kind's misspellings (countries-spellings.tsv, scripts/derive_country_spellings.py) are always read
    bundled = [ACTOR_DIR / f"{kind}.tsv", ACTOR_DIR / f"{kind}{SPELLINGS_SUFFIX}"]
    bundled += [ACTOR_DIR / f"{kind}{DERIVED_ACTOR_SUFFIX}"] if by_default else []
    files = [p for p in bundled if p.exists()]
    files += [p for p in extra if p.name.startswith(kind) and p not in files]
    return files


def load_actors(
    extra: list[Path], derived: bool = True
) -> tuple[dict[str, list[ActorEntry]], dict[str, str], dict[str, str]]:
    """Names, sector words and country display names; `derived=False` reads the hand-written files only."""
    names: dict[str, list[ActorEntry]] = defaultdict(list)
    country_names: dict[str, str] = {}

    def add(surface: str, entry: ActorEntry) -> None:
        if surface:
            names[surface].append(entry)

    for path in _actor_files("countries", extra, derived):
        for n, row in _rows(path):
            code = row["code"]
            src = f"{path.name}:{n}"
            cn = _split(row.get("names"))
            if cn:
                country_names.setdefault(code, cn[0])
            for s in cn:
                add(s, ActorEntry(code, "country", code, None, src))
            for s in _split(row.get("adjectives")):
                add(s, ActorEntry(code, "adjective", code, None, src))
            for s in _split(row.get("people")):
                add(s, ActorEntry(code, "people", code, "CVL", src))
            for s in _split(row.get("capitals")):
                add(s, ActorEntry(code, "capital", code, "GOV", src))
            for m in _split(row.get("metonyms")):
                surface, _, sector = m.partition("=")
                add(surface.strip(), ActorEntry(code, "metonym", code, sector.strip() or "GOV", src))
    for path in _actor_files("igos", extra, derived):
        for n, row in _rows(path):
            for s in _split(row.get("names")):
                add(s, ActorEntry(row["code"], "igo", row.get("country") or None, None, f"{path.name}:{n}"))
    for path in _actor_files("groups", extra, derived):
        for n, row in _rows(path):
            code = row["code"]
            country = code[:3] if code[:3] not in {"IGO", "NGO", "IMG", "MNC"} else None
            for s in _split(row.get("names")):
                add(s, ActorEntry(code, "group", country, code[3:6] or None, f"{path.name}:{n}"))
    for path in _actor_files("people", extra, derived):
        for n, row in _rows(path):
            code = row["code"]
            country = code[:3] if code[:3] not in {"IGO", "NGO", "IMG"} else None
            for s in _split(row.get("name")):
                add(
                    s,
                    ActorEntry(code, "person", country, code[3:6] or None, f"{path.name}:{n}",
                               row.get("start") or None, row.get("end") or None),
                )
    sectors: dict[str, str] = {}
    for path in _actor_files("sectors", extra, derived):
        for _, row in _rows(path):
            w = row.get("word", "").lower()
            if w and row.get("sector"):
                sectors.setdefault(w, row["sector"])
    return dict(names), sectors, country_names


def _env_paths(var: str) -> list[Path]:
    return [Path(p) for p in os.environ.get(var, "").split(os.pathsep) if p]


@lru_cache(maxsize=4)
def load_resources(extra_actor_files: tuple[str, ...] = (), extra_verb_files: tuple[str, ...] = ()) -> Resources:
    """Load every data file once per process (cached by arguments)."""
    try:
        verbs_files = [DATA_DIR / "verbs.txt", *(Path(p) for p in extra_verb_files), *_env_paths("DOSSIER_VERBS")]
        verbs: dict[tuple[str, bool], list[VerbPattern]] = {}
        for vf in verbs_files:
            for k, pats in load_verbs(vf).items():
                # a user's file comes later and is consulted first for the same trigger
                verbs[k] = sorted(pats + verbs.get(k, []), key=lambda p: -len(p.items))
        derived = [DATA_DIR / name for name in DERIVED_VERB_FILES if (DATA_DIR / name).exists()]
        for vf in derived:
            for k, pats in load_verbs(vf).items():
                verbs.setdefault(k, pats)  # a derived family never changes a trigger an earlier file has
        verbs_files += derived
        # merged families and grids add patterns to a trigger's own; its own line with the same words wins
        added = [(DATA_DIR / name, load_verbs) for name in MERGED_VERB_FILES] + [
            (DATA_DIR / name, load_grid) for name in GRID_FILES]
        for vf, load in added:
            if not vf.exists():
                continue
            for k, pats in load(vf).items():
                own = verbs.get(k, [])
                known = {p.items for p in own}
                verbs[k] = sorted(own + [p for p in pats if p.items not in known], key=lambda p: -len(p.items))
            verbs_files.append(vf)
        cameo = load_cameo(DATA_DIR / "cameo.tsv", DATA_DIR / "cameo_plover.tsv")
        with (DATA_DIR / "frames.toml").open("rb") as f:
            frames = tomllib.load(f)
        extra = [Path(p) for p in extra_actor_files] + _env_paths("DOSSIER_ACTORS")
        for p in extra:
            if not p.exists():
                raise ResourceError(f"{p}: actor file not found")
        names, sectors, country_names = load_actors(extra)
        person_nouns = load_word_list(PERSON_NOUNS)
    except OSError as exc:
        raise ResourceError(f"cannot read coder data: {exc}") from exc
    except (tomllib.TOMLDecodeError, KeyError) as exc:
        raise ResourceError(f"malformed coder data: {exc}") from exc
    return Resources(verbs, cameo, frames, names, sectors, country_names,
                     [str(p) for p in verbs_files] + [str(p) for p in extra] + [str(PERSON_NOUNS)], person_nouns)
