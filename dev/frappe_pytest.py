"""pytest plugin: run the app's FrappeTestCase tests against a real site.

It connects to the site named by WANGGE_TEST_SITE the way `bench run-tests`
does in Frappe v15.41 (`frappe.test_runner.main`: in test mode, caches cleared,
scheduler off, before_tests hooks), so the same test classes run under both runners.
"""

import os

import pytest


def pytest_configure(config):
	import frappe
	import frappe.utils.scheduler

	site = os.environ["WANGGE_TEST_SITE"]
	sites_path = os.environ["WANGGE_SITES_PATH"]
	os.chdir(sites_path)
	frappe.init(site=site, sites_path=sites_path)
	frappe.connect()
	if not frappe.conf.allow_tests:
		raise pytest.UsageError(f"site {site} does not allow tests (set allow_tests in its site_config.json)")
	frappe.flags.in_test = True
	frappe.flags.print_messages = False
	frappe.clear_cache()
	frappe.utils.scheduler.disable_scheduler()
	for hook in frappe.get_hooks("before_tests"):
		frappe.get_attr(hook)()
	frappe.db.commit()


def pytest_unconfigure(config):
	import frappe

	if getattr(frappe.local, "db", None):
		frappe.db.commit()
		frappe.destroy()
