"""Data definitions: the document model, the canonical template, and the output records."""
