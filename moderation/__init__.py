"""Comment moderation: rule stages, explained labels and suggested replies."""

__version__ = "0.1.0"
