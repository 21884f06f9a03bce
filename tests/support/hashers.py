"""The password hasher of the test run: Django's PBKDF2-SHA256 at 1,000 iterations
instead of a million.

Every member of staff a test makes has a password set (tests/factories.py), and every
sign-in through the login form checks one: at a million iterations each costs most of a
second. The algorithm keeps its name, ``pbkdf2_sha256``, and the hash records its
iteration count, so a process the tests start with the project's own settings (the ASGI
server of tests/support/asgi_server.py, a worker) still checks these passwords.
"""

from django.contrib.auth.hashers import PBKDF2PasswordHasher


class CheapPBKDF2PasswordHasher(PBKDF2PasswordHasher):
    iterations = 1_000
