"""Readers (one per file format, each producing the document model) and the extractors that turn
the document model into records: template tables, narrative figures, document metadata."""
