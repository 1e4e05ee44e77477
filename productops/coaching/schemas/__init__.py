"""The ninja schemas of the coaching API, one module per area (the routers' areas)."""
