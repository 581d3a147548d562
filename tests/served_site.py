"""The test site as a WSGI application for gunicorn (`multi_worker_url` in tests/conftest.py).

gunicorn finds a site by the request's Host, as behind nginx in production; the tests ask for
127.0.0.1, so the application is pinned to the test site (WANGGE_SERVED_SITE), as `bench serve --site`
pins it, and serves /assets and /files from the bench as `bench serve` does. gunicorn runs it with
`--chdir` the bench's sites folder.
"""

import os

import frappe.app

frappe.app._site = os.environ["WANGGE_SERVED_SITE"]
frappe.app._sites_path = os.getcwd()
application = frappe.app.application_with_statics()
