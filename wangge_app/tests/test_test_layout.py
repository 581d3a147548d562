# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

from pathlib import Path

import frappe
from frappe.tests.utils import FrappeTestCase


class TestTestLayout(FrappeTestCase):
	def test_no_test_module_at_the_top_of_the_package(self):
		"""Frappe 15.0's run-tests loads a test file at the package's top as the package itself and runs
		none of its tests: app-wide tests live in wangge_app/tests/ (test_utils.py holds builders only)."""
		top = Path(frappe.get_app_path("wangge_app"))
		self.assertEqual(sorted(path.name for path in top.glob("test_*.py")), ["test_utils.py"])
