"""The strategy API's schemas, one module per area: objectives, checks, delegation."""
