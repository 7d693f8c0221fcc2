"""`python -m pipeline.checks`: rewrite docs/rules.md's rule table from the registry."""

from pipeline.checks.docs import DOC, update

print(f"{DOC}: {'updated' if update() else 'already up to date'}")
