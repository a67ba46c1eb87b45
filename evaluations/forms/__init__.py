"""Forms of the pages that are not a table's sections (those are built by evaluations.tables)."""
