"""Event coding: rules over a dependency parse, with every rule in a data file."""

from ._engine import Coder
from ._references import extract_references
from ._resources import Resources, load_resources
from ._triggers import dep_path

__all__ = ["Coder", "Resources", "dep_path", "extract_references", "load_resources"]
