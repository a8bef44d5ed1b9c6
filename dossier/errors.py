"""Small, specific exceptions; the CLI turns each into a one-line message and an exit code."""


class DossierError(Exception):
    """Base class for errors a user can act on."""


class IngestError(DossierError):
    """One input (file, or line of a JSONL file) could not be read."""

    def __init__(self, origin: str, problem: str) -> None:
        super().__init__(f"{origin}: {problem}")
        self.origin = origin
        self.problem = problem


class StoreError(DossierError):
    """The store could not be opened or written."""


class ResourceError(DossierError):
    """A data file (dictionary, pattern file, model) is missing or malformed."""
