"""pytest plugin, loaded by the test configuration (``-p kexie.testing`` in pyproject.toml) before
pytest-django reads the settings: it says explicitly that this process runs the tests.

``settings.TESTING`` comes from ``KEXIE_TESTING`` alone, never from whether pytest happens to be
imported: a management command or a server that imports pytest (a dependency may) stays production.
Set ``KEXIE_TESTING=0`` in a test's subprocess environment to start a non-test process.
"""

from __future__ import annotations

import os

os.environ.setdefault("KEXIE_TESTING", "1")
