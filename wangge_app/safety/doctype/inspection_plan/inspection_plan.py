# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from wangge_app.safety.places import HOUSEHOLD, PREMISES

FREQUENCIES = ("Weekly", "Monthly", "Quarterly", "Yearly")
HOUSEHOLDS = "Households"


class InspectionPlan(Document):
	def validate(self):
		if self.frequency not in FREQUENCIES:
			frappe.throw(
				_("Choose how often the places are inspected: {0}.").format(
					", ".join(_(frequency) for frequency in FREQUENCIES)
				),
				title=_("Frequency Missing"),
			)
		if self.target_kind == HOUSEHOLDS:
			self.premises_type = None
		if not frappe.db.get_value("Inspection Template", self.template, "is_active"):
			frappe.throw(
				_("The checklist {0} is not active.").format(frappe.bold(self.template)),
				title=_("Inactive Checklist"),
			)

	def targets(self) -> list[tuple[str, str, str]]:
		"""The places the plan inspects, as (place type, name, grid): the households, or the premises in
		operation (of the chosen type), of the plan's grid and its micro-grids."""
		in_subtree = {"grid": ["descendants of (inclusive)", self.grid]}
		if self.target_kind == HOUSEHOLDS:
			rows = frappe.get_all(HOUSEHOLD, in_subtree, ["name", "grid"], order_by="name")
			return [(HOUSEHOLD, row.name, row.grid) for row in rows]
		filters = {**in_subtree, "in_operation": 1}
		if self.premises_type:
			filters["premises_type"] = self.premises_type
		rows = frappe.get_all(PREMISES, filters, ["name", "grid"], order_by="name")
		return [(PREMISES, row.name, row.grid) for row in rows]
