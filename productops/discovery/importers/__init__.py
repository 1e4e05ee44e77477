"""Discovery's import sources, one module each, built on `productops.imports`.

`touchpoints_csv`: customer touchpoints from a spreadsheet. An importer only reads and
checks; `actions.import_touchpoints_file` parses and writes.
"""
