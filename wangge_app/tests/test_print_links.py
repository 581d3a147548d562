# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""No print of the app carries the print view's Print and Get PDF links, whether or not the PDF
renderer could fetch print.bundle.css (the sheet that hides them, which wkhtmltopdf loads over the
network from the site's address): the app's shared print stylesheet hides them for print media. When
that address does not answer, the Error Log says so (wangge_app/utils/print_stylesheet.py)."""

import io
import json
import re
from pathlib import Path

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils.pdf import get_pdf
from pypdf import PdfReader

from wangge_app.test_utils import make_community_tree, make_household, pdf_text
from wangge_app.utils import print_stylesheet

SHARED_SHEET = '{% include "wangge_app/templates/print/cjk_font.html" %}'
STYLESHEET_LINK = re.compile(r"<link[^>]+stylesheet[^>]*>", re.I)
HIDING_RULE = re.compile(r"@media print\s*\{\s*\.action-banner,\s*\.print-hide\s*\{[^}]*\}\s*\}")


class TestPrintLinks(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		_community, _grid, micro_grid = make_community_tree()
		cls.household = make_household(micro_grid.name)

	def test_every_print_format_has_the_shared_sheet(self):
		formats = sorted(Path(frappe.get_app_path("wangge_app")).glob("*/print_format/*/*.json"))
		self.assertEqual(len(formats), 10)
		for path in formats:
			self.assertIn(SHARED_SHEET, json.loads(path.read_text())["html"], path.name)

	def test_the_links_stay_out_of_a_pdf_rendered_without_the_fetched_sheet(self):
		html = frappe.get_print("Household", self.household.name, "Household Contact Card")
		self.assertIn("Get PDF", html)
		# As the renderer sees the page when the sheet could not be fetched.
		unstyled = STYLESHEET_LINK.sub("", html)
		self.assertIsNone(STYLESHEET_LINK.search(unstyled))
		self.assertRegex(unstyled, HIDING_RULE)
		text = self.pdf_text(unstyled)
		self.assertIn(self.household.name, text)
		self.assertNotIn("GetPDF", text)
		# The test sees the links when nothing hides them.
		self.assertIn("GetPDF", self.pdf_text(HIDING_RULE.sub("", unstyled)))

	def pdf_text(self, html: str) -> str:
		return pdf_text(PdfReader(io.BytesIO(get_pdf(html))))

	def test_an_unreachable_stylesheet_is_logged_once_a_while(self):
		def logged() -> int:
			return frappe.db.count("Error Log", {"method": print_stylesheet.ERROR_TITLE})

		host_name = frappe.local.conf.get("host_name")
		self.addCleanup(frappe.cache.delete_value, print_stylesheet.TRIED_KEY)
		try:
			# Nothing listens on port 9 (discard) here: as a host_name the renderer cannot reach.
			frappe.local.conf.host_name = "http://127.0.0.1:9"
			frappe.cache.delete_value(print_stylesheet.TRIED_KEY)
			before = logged()
			frappe.get_print("Household", self.household.name, "Household Contact Card")
			self.assertEqual(logged(), before + 1)
			error = frappe.get_last_doc("Error Log", {"method": print_stylesheet.ERROR_TITLE})
			self.assertIn("http://127.0.0.1:9/assets/frappe/dist/css/print.bundle", error.error)
			# Not on every print: once in a while.
			frappe.get_print("Household", self.household.name, "Household Contact Card")
			self.assertEqual(logged(), before + 1)
		finally:
			frappe.local.conf.host_name = host_name
		# The test site's own address answers: nothing more is logged.
		frappe.cache.delete_value(print_stylesheet.TRIED_KEY)
		frappe.get_print("Household", self.household.name, "Household Contact Card")
		self.assertTrue(frappe.cache.get_value(print_stylesheet.TRIED_KEY, expires=True))
		self.assertEqual(logged(), before + 1)
