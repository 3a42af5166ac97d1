"""episodekit: one YAML file per episode becomes its script, YouTube description and references."""

__version__ = "0.1.0"
