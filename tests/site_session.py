"""A browser-like session on the served test site, for the tests that talk to it over HTTP."""

import re

import requests


def log_in(base_url: str, user: str | None, password: str | None = None, page: str | None = None):
	"""A requests session logged in as `user` (None: a guest) that asks for JSON answers; the
	login's response is kept as `session.login`.

	With `page`, it also opens that page and sends the CSRF token the page carries, as the page's
	own script does; the response is kept as `session.page`."""
	session = requests.Session()
	session.headers["Accept"] = "application/json"
	if user:
		session.login = session.post(base_url + "/api/method/login", data={"usr": user, "pwd": password})
		assert session.login.status_code == 200, session.login.text
	if page:
		session.page = session.get(base_url + page, headers={"Accept": "text/html"})
		token = re.search(r'frappe.csrf_token = "([^"]+)"', session.page.text)
		if token:
			session.headers["X-Frappe-CSRF-Token"] = token.group(1)
	return session
