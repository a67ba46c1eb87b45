"""Excel round trip of an evaluation: `export` writes the workbook, `safety` checks an uploaded
file before anything parses it, `imports` reads it back into each section's form; `layout` holds
what the two sides share. Saving is `services.excel_import`'s job."""
