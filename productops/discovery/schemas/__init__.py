"""The discovery API's schemas, one module per area: cadence, touchpoints, trees."""
