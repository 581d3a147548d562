# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate

from wangge_app.roles import PARTNER_MERCHANT as MERCHANT_ROLE


class PartnerMerchant(Document):
	def validate(self):
		self.merchant_name = (self.merchant_name or "").strip()
		if getdate(self.agreement_end) < getdate(self.agreement_start):
			frappe.throw(_("The agreement cannot end before it starts."))
		self.validate_users()

	def validate_users(self):
		"""A merchant user acts for one merchant: the portal shows that merchant's vouchers only."""
		seen = set()
		for row in self.users:
			if row.user in seen:
				frappe.throw(_("Row {0}: {1} is listed twice.").format(row.idx, frappe.bold(row.user)))
			seen.add(row.user)
			if MERCHANT_ROLE not in frappe.get_roles(row.user):
				frappe.throw(
					_("Row {0}: {1} does not have the role Partner Merchant.").format(
						row.idx, frappe.bold(row.user)
					)
				)
			other = frappe.db.get_value(
				"Partner Merchant User",
				{"user": row.user, "parenttype": self.doctype, "parent": ("!=", self.name)},
				"parent",
			)
			if other:
				frappe.throw(
					_("Row {0}: {1} already acts for the merchant {2}.").format(
						row.idx, frappe.bold(row.user), frappe.bold(other)
					)
				)
