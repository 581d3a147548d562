# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

DOCTYPES = ("Partner Merchant", "Partner Merchant User", "Redemption Offer", "Points Redemption")


class TestRedemptionTranslations(FrappeTestCase):
	def test_every_name_label_option_state_and_message_reads_in_chinese(self):
		texts = {"Redemption Voucher", "Redemption Summary", "Merchant Portal"}
		for doctype in DOCTYPES:
			texts.add(doctype)
			for field in frappe.get_meta(doctype).fields:
				texts.update(filter(None, (field.label, field.description)))
				if field.fieldtype == "Select":
					texts.update(filter(None, field.options.split("\n")))
		workflow = frappe.get_doc("Workflow", "Points Redemption")
		texts.update(row.action for row in workflow.transitions)
		texts.update(row.state for row in workflow.states)
		from wangge_app.volunteer.report.redemption_summary.redemption_summary import get_columns

		texts.update(column["label"] for column in get_columns())
		untranslated = sorted(text for text in texts if frappe._(text, lang="zh") == text)
		self.assertEqual(untranslated, [])
		self.assertEqual(frappe._("Used", lang="zh"), "已核销")
		self.assertEqual(
			frappe._("Redeemed", lang="zh"), "积分兑换"
		)  # the ledger's entry type keeps its name
