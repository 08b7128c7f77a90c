"""The editorial admin: episodes (``episodes``, with their own pages in ``views/``),
people and the show (``people``), and revisions (``revisions``).

Importing the modules registers their model admins with ``admin.site``.
"""

from . import episodes, people, revisions  # noqa: F401 (registers the model admins)
