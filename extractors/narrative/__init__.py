"""The narrative: every figure the prose states (value, unit, what it counts), its sections and subjects."""
