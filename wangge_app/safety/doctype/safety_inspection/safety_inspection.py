# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, today

from wangge_app.safety.places import set_place

RESULTS = ("Pass", "Fail", "Not Applicable")
FAIL = "Fail"


class SafetyInspection(Document):
	# The plan, period, due date and schedule key are the daily job's; the inspector and the count of
	# hazards the submission's: at permission level 2, which every role reads and none writes.

	def validate(self):
		set_place(self)
		self.fill_items_from_template()
		if self.inspection_date and getdate(self.inspection_date) > getdate(today()):
			frappe.throw(_("The inspection date cannot be in the future."))
		self.person_met = (self.person_met or "").strip()

	def fill_items_from_template(self):
		"""A new inspection asks the checklist's items."""
		if self.items:
			return
		template = frappe.get_cached_doc("Inspection Template", self.template)
		for row in template.items:
			self.append("items", {"item": row.item, "risk_level": row.risk_level})

	def before_submit(self):
		if not self.inspection_date:
			frappe.throw(_("Enter the date of the inspection."), title=_("Inspection Date Missing"))
		unanswered = [str(row.idx) for row in self.items if row.result not in RESULTS]
		if unanswered:
			frappe.throw(
				_(
					"Answer every check item (pass, fail or not applicable). Rows without an answer: {0}."
				).format(", ".join(unanswered)),
				title=_("Unanswered Check Items"),
			)
		for row in self.failed_items():
			row.note = (row.note or "").strip()
			if not row.note:
				frappe.throw(
					_("Check items, row {0}: describe what failed ({1}).").format(
						row.idx, frappe.bold(row.item)
					),
					title=_("Finding Missing"),
				)
		self.inspected_by = frappe.session.user

	def failed_items(self):
		return [row for row in self.items if row.result == FAIL]

	def on_submit(self):
		"""Each failed item becomes a safety hazard of the place, registered for rectification."""
		for row in self.failed_items():
			hazard = frappe.get_doc(
				{
					"doctype": "Safety Hazard",
					"hazard_title": row.item,
					"category": self.category,
					"risk_level": row.risk_level or "General",
					"found_on": self.inspection_date,
					"place_kind": self.place_kind,
					"household": self.household,
					"premises": self.premises,
					"inspection": self.name,
					"description": f"{row.item}：{row.note}",
					"photos": [{"photo": row.photo, "caption": row.item}] if row.photo else [],
				}
			)
			hazard.insert()
			row.db_set("hazard", hazard.name, update_modified=False)
		self.db_set("hazard_count", len(self.failed_items()), update_modified=False)

	def on_cancel(self):
		if any(row.hazard for row in self.items):
			frappe.throw(
				_("The inspection found hazards that are being handled; it cannot be cancelled."),
				title=_("Hazards Found"),
			)
