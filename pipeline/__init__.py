"""Orchestration: discovery, running documents, checks, writers, the CLI and executors."""

__version__ = "0.3.0"
