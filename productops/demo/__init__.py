"""The demo organization: a SaaS company with problems planted for every capability.

The top layer but the site: it imports every app and no app imports it. Each module
builds one app's part of the story (`org`, `competencies`, `coaching`, `backlog`,
`discovery`, `strategy`) and `tracker_export` writes the generated Jira export the
backlog demo imports. `productops demo` runs them in order.
"""
