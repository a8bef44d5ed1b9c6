"""Event coding: rules over a dependency parse, with every rule in a data file."""

from ._engine import Coder, dep_path
from ._references import extract_references
from ._resources import Resources, load_resources

__all__ = ["Coder", "Resources", "dep_path", "extract_references", "load_resources"]
