"""The org's import sources, one module each, built on `productops.imports`.

`people_csv`: people, managers and teams from an HR export or spreadsheet. An importer
only reads and checks; `actions.import_people_file` parses and writes.
"""
