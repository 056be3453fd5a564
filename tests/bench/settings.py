"""Settings of the load benchmark: the application's own, plus what production runs with.

- Sessions in the cache backed by the database (``cached_db``), as ``config/settings.py``
  chooses in production when Redis is configured.
- ``QueryCountMiddleware`` (this package only) reports the SQL queries of each request in a
  response header, so the load run can report queries per request from the same run.
"""

from config.settings import *  # noqa: F403
from config.settings import MIDDLEWARE

SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
MIDDLEWARE = ["tests.bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
