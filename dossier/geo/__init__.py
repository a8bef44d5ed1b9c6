"""Where it happened: offline geoparsing of place mentions and event locations.

gaz = Gazetteer.load()                 # built once, then cached under ~/.cache/dossier/
parser = Geoparser(gaz)
places = parser.places(doc)            # every place mention in a parsed spaCy Doc
where = parser.event_location(doc, places, trigger_i, target_token_ids)
"""

from ._gazetteer import Candidate, Gazetteer, cache_dir
from ._parser import Geoparser, geoparse_texts

__all__ = ["Candidate", "Gazetteer", "Geoparser", "cache_dir", "geoparse_texts"]
