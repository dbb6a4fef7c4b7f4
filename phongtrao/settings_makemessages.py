"""Settings for extracting one app's messages into that app's own catalogue.

With the project's LOCALE_PATHS, `makemessages` run inside an app would write the app's
strings into the project catalogue instead; `make makemessages` uses this module.
"""

from phongtrao.settings import *  # noqa: F403

LOCALE_PATHS: list = []
