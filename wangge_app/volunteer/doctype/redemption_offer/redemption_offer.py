# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt, getdate


class RedemptionOffer(Document):
	def validate(self):
		self.item_name = (self.item_name or "").strip()
		self.points_required = cint(self.points_required)
		if self.points_required <= 0:
			frappe.throw(_("Points required must be greater than zero."))
		if flt(self.market_value) < 0:
			frappe.throw(_("The market value cannot be negative."))
		if getdate(self.valid_to) < getdate(self.valid_from):
			frappe.throw(_("The offer cannot end before it starts."))
		for fieldname in ("total_quantity", "per_member_limit"):
			if cint(self.get(fieldname)) < 0:
				frappe.throw(
					_("{0} cannot be negative.").format(_(self.meta.get_label(fieldname))),
				)
