# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

# Per tier: arrive on site within hours, settle within days, first follow-up visit within days.
DEFAULT_TIME_TARGETS = {
	"Ordinary": {"arrival_hours": 2, "settlement_days": 7, "follow_up_days": 7},
	"Complex": {"arrival_hours": 24, "settlement_days": 15, "follow_up_days": 7},
	"Major": {"arrival_hours": 2, "settlement_days": 30, "follow_up_days": 15},
}


class MediationSettings(Document):
	def onload(self):
		# A site that never saved the settings shows the targets that apply anyway.
		if not self.time_targets:
			self.add_missing_tiers()

	def validate(self):
		seen = set()
		for row in self.time_targets:
			if row.tier in seen:
				frappe.throw(
					_("Time targets, row {0}: the tier {1} is listed twice.").format(row.idx, _(row.tier))
				)
			seen.add(row.tier)
		self.add_missing_tiers()

	def add_missing_tiers(self):
		listed = {row.tier for row in self.time_targets}
		for tier, targets in DEFAULT_TIME_TARGETS.items():
			if tier not in listed:
				self.append("time_targets", {"tier": tier, **targets})


def get_time_targets() -> dict[str, frappe._dict]:
	"""The time targets of each tier; the defaults for a tier the settings do not list."""
	targets = {tier: frappe._dict(values) for tier, values in DEFAULT_TIME_TARGETS.items()}
	for row in frappe.get_all(
		"Mediation Time Target",
		{"parent": "Mediation Settings", "parenttype": "Mediation Settings"},
		["tier", "arrival_hours", "settlement_days", "follow_up_days"],
	):
		targets[row.tier] = row
	return targets
