"""Pure Polars functions over item and change frames: no Django, no I/O."""
