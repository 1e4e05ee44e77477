"""Static files as WhiteNoise serves them: hashed names, gzip and brotli copies.

Not strict about the manifest: before any `collectstatic` (plain `runserver`, a fresh
checkout) a page links the file's plain name, which WhiteNoise serves from the apps'
folders (WHITENOISE_USE_FINDERS), instead of failing the page.
"""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFiles(CompressedManifestStaticFilesStorage):
    manifest_strict = False
