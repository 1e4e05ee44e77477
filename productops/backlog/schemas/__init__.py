"""The backlog API's schemas, one module per area: imports, report (items and corrections)."""
