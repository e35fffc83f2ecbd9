"""The benchmark floor: a bare Django project that `make bench` runs under the same
gunicorn settings as newsroom and compares every page against (issue #14).

Only ``SecurityMiddleware`` and ``CommonMiddleware``, no database, no cache, no
sessions; one view rendering one template whose output has the byte size of the
article page (``FLOOR_PAGE_BYTES``, measured by the bench in the same run). What
newsroom adds on top of this is what the ratios in the bench table measure.
"""
