"""Where it happened: offline geoparsing of place mentions and event locations.

gaz = Gazetteer.load()                 # built once, then cached under ~/.cache/dossier/
parser = Geoparser(gaz)
places = parser.places(doc)            # every place mention in a parsed spaCy Doc
where = parser.event_location(doc, places, trigger_i, target_token_ids)
"""

from typing import Any

from ..model import Location
from ._gazetteer import Candidate, Gazetteer, cache_dir
from ._parser import Geoparser, geoparse_texts


def place_record(doc_id: str, place: Location) -> dict[str, Any]:
    """One place mention as `dossier geoparse` prints it (the shape score_geo.py reads)."""
    return {"doc_id": doc_id, "text": place.name, "start": place.start, "end": place.end,
            "geonameid": place.geonameid, "lat": place.lat, "lon": place.lon, "country": place.country,
            "admin1": place.admin1, "precision": place.precision}

__all__ = ["Candidate", "Gazetteer", "Geoparser", "cache_dir", "geoparse_texts", "place_record"]
