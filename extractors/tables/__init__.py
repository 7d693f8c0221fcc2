"""The report's tables: the grid and flat-text strategies of the national forms, the old statistics table, and what they share (cell values, digit splits, label matching, coverage)."""
