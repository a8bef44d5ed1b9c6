__version__ = "0.1.0"
# Bumped whenever a rule, dictionary or the engine changes what is coded; stored on every event.
CODER_VERSION = "dossier-coder 0.1.0"
