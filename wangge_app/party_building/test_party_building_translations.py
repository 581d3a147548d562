# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

DOCTYPES = (
	"Central Household",
	"Served Household",
	"Central Household Contact",
	"Party Building Settings",
	"Party Mass Service Station",
	"Station Service",
	"Station Service Offered",
	"Service Station Log",
)


class TestPartyBuildingTranslations(FrappeTestCase):
	def test_every_name_label_option_and_description_reads_in_chinese(self):
		texts = {"Party Building", "Grid Party Branch Secretary", "Community Party Committee"}
		for doctype in DOCTYPES:
			texts.add(doctype)
			for field in frappe.get_meta(doctype).fields:
				texts.update(filter(None, (field.label, field.description)))
				if field.fieldtype == "Select":
					texts.update(filter(None, field.options.split("\n")))
		workflow = frappe.get_doc("Workflow", "Central Household Approval")
		texts.update(row.action for row in workflow.transitions)
		texts.update(row.state for row in workflow.states)
		texts.update(frappe.get_all("Station Service", pluck="name"))
		for doctype in ("Report", "Print Format", "Number Card", "Workspace"):
			texts.update(frappe.get_all(doctype, {"module": "Party Building"}, pluck="name"))

		untranslated = sorted(text for text in texts if frappe._(text, lang="zh") == text)
		self.assertEqual(untranslated, [])
