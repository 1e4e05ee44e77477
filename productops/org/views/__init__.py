"""Organization pages, one module per area: people, teams, chart, audit, imports.

Thin: parse the request, ask the domain and `org.visibility`, render. The URL list is in
`org/urls.py`, the only module that imports these; the forms are in `org/forms.py`.
"""
