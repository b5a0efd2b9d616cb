"""Domain types and rules. Plain Python: no Qt, no database, no file formats."""
