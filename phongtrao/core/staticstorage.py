"""The production storage of static files (settings.STORAGES, docs/deploy.md)."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's hashed, compressed copies, leaving scripts' source-map comments alone.

    The vendored Chart.js names a source map it does not ship (we serve no source maps), and
    `collectstatic` would otherwise refuse to run for the missing file. CSS is still rewritten
    to point at the hashed names of the images and fonts it uses.
    """

    patterns = tuple(
        (extension, rules)
        for extension, rules in CompressedManifestStaticFilesStorage.patterns
        if extension != "*.js"
    )
