"""Official documents as PDF: the catalogue (one per official table, and the package), what they
show of an evaluation (data.py, scoresheet.py), the renderer and its URL fetcher."""
