# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

# The four time limits of a grade: (limit field, unit field).
STAGES = {
	"acknowledge": ("acknowledge_within", "acknowledge_unit"),
	"visit": ("visit_within", "visit_unit"),
	"resolve": ("resolve_within", "resolve_unit"),
	"follow_up": ("follow_up_within", "follow_up_unit"),
}


class RequestGrade(Document):
	def validate(self):
		self.grade_name = (self.grade_name or "").strip()
		for limit_field, unit_field in STAGES.values():
			if (self.get(limit_field) or 0) <= 0:
				frappe.throw(
					_("{0}: give a time limit greater than zero.").format(_(self.meta.get_label(limit_field)))
				)
			if self.get(unit_field) not in ("Hours", "Days"):
				frappe.throw(_("{0}: the unit is hours or days.").format(_(self.meta.get_label(limit_field))))

	def time_limit(self, stage: str) -> dict:
		"""The limit of a stage as arguments of `set_due_time`: {"hours": 2} or {"days": 7}."""
		limit_field, unit_field = STAGES[stage]
		return {"hours" if self.get(unit_field) == "Hours" else "days": self.get(limit_field)}
