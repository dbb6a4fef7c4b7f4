"""Settings of the server the browser tests start: the project's, with a fast password hasher.

Only a test names this module (tests/browser/conftest.py), so a deployment cannot reach it: its
demo and the logins of the tests would otherwise spend half a second on each password.
"""

from phongtrao.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
