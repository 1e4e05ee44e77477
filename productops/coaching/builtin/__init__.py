"""The practice library that ships with productops, as YAML files.

A package only so that packaging tools ship the files; see README.md.
"""
