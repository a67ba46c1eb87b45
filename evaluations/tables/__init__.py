"""The official tables: one module per table, each registering its sections (see registry.py)."""
