"""The career ladders that ship with productops, as YAML files."""
