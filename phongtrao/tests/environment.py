"""Loaded by pytest before Django's settings (`-p` in pyproject.toml): the environment a test
run needs and a deployment would set itself.

Settings refuse to start without SECRET_KEY unless DEBUG is on, and tests run with DEBUG off,
as production does; the key is made up for each run. Commands the tests start in other
processes (the browser tests' server, tests/test_settings.py) inherit it.
"""

import os
import secrets

os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(50))
# Nothing was collected for the tests: {% static %} needs no manifest (settings.STORAGES).
os.environ.setdefault("PHONGTRAO_STATIC_MANIFEST", "0")
