"""The competency models and ladders that ship with productops, as YAML files.

A package only so that packaging tools ship the files; see README.md.
"""
