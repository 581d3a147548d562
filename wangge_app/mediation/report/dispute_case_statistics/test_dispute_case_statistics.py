# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import datetime

import frappe
from frappe.utils import add_days, add_to_date, getdate

from wangge_app.mediation.doctype.dispute_case.test_dispute_case import (
	WORKER,
	DisputeCaseTestCase,
	add_follow_up_visit,
	make_dispute_case,
)
from wangge_app.mediation.report.dispute_case_statistics.dispute_case_statistics import execute
from wangge_app.test_utils import apply_workflow_as, make_partner_department

DISCOVERED = datetime.datetime.combine(add_days(getdate(), -30), datetime.time(8, 0))


class TestDisputeCaseStatistics(DisputeCaseTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		# A known set: (grid, path to follow, hours to arrival, hours to closure or None).
		known = (
			(cls.micro_grid, "agreement", 1, 10),
			(cls.grid, "escalated agreement", 3, 30),
			(cls.grid, "reported", None, None),
			(cls.other_grid, "referral", 2, 50),
			(cls.other_grid, "withdrawn", 4, None),
		)
		for grid, path, arrival, closure in known:
			cls.make_case(grid.name, path, arrival, closure)

	@classmethod
	def make_case(cls, grid: str, path: str, arrival: int | None, closure: int | None):
		case = make_dispute_case(grid, discovered_at=DISCOVERED)
		if path != "reported":
			apply_workflow_as("Administrator", case, "Arrive On Site")
			apply_workflow_as("Administrator", case, "Start Joint Handling")
		if path == "agreement":
			apply_workflow_as("Administrator", case, "Reach Agreement", agreement_terms="双方和解。")
		elif path == "escalated agreement":
			apply_workflow_as("Administrator", case, "Escalate to Community")
			apply_workflow_as("Administrator", case, "Reach Agreement", agreement_terms="社区调解后和解。")
		elif path == "referral":
			apply_workflow_as(
				"Administrator",
				case,
				"Refer to Authorities",
				referred_to=make_partner_department("城关区人民法院", "Court or Arbitration").name,
			)
		elif path == "withdrawn":
			apply_workflow_as("Administrator", case, "End Without Agreement", outcome="Withdrawn by Parties")
		if closure:
			if path != "withdrawn":
				apply_workflow_as("Administrator", case, "Start Follow-up")
			add_follow_up_visit(case, "Administrator")
			apply_workflow_as("Administrator", case, "Close Case")
		# The workflow stamps the real time; the known set needs known durations.
		frappe.db.set_value(
			"Dispute Case",
			case.name,
			{
				"arrived_at": arrival and add_to_date(DISCOVERED, hours=arrival),
				"closed_at": closure and add_to_date(DISCOVERED, hours=closure),
			},
		)

	def rows(self, group_by: str, **filters) -> dict:
		columns, data, *_, summary = execute({"grid": self.community.name, "group_by": group_by, **filters})
		return {row["group"]: row for row in data}, summary

	def test_counts_by_grid(self):
		rows, summary = self.rows("Grid")
		# The micro-grid's case counts for its grid.
		self.assertEqual(set(rows), {self.grid.name, self.other_grid.name})
		grid, other = rows[self.grid.name], rows[self.other_grid.name]
		self.assertEqual(grid["group_label"], self.grid.grid_name)
		self.assertEqual(
			(grid["cases"], grid["settled"], grid["resolved_in_grid"], grid["share_in_grid"]), (3, 2, 1, 50.0)
		)
		self.assertEqual((grid["median_hours_to_arrival"], grid["median_hours_to_closure"]), (2.0, 20.0))
		self.assertEqual(
			(other["cases"], other["settled"], other["resolved_in_grid"], other["share_in_grid"]),
			(2, 2, 0, 0.0),
		)
		self.assertEqual((other["median_hours_to_arrival"], other["median_hours_to_closure"]), (3.0, 50.0))
		self.assertEqual([item["value"] for item in summary], [5, 25.0, "2.5", "30.0"])

	def test_counts_by_tier_category_and_status(self):
		rows, _ = self.rows("Tier")
		self.assertEqual(
			{tier: row["cases"] for tier, row in rows.items()}, {"Ordinary": 3, "Complex": 1, "Major": 1}
		)
		self.assertEqual(rows["Ordinary"]["share_in_grid"], 50.0)
		rows, _ = self.rows("Category")
		self.assertEqual(
			{category: row["cases"] for category, row in rows.items()},
			{"Tenancy and Property Management": 5},
		)
		rows, _ = self.rows("Status")
		self.assertEqual(
			{state: row["cases"] for state, row in rows.items()},
			{"Case Closed": 3, "Reported": 1, "Follow-up": 1},
		)

	def test_date_filter_and_grid_scoping(self):
		day = DISCOVERED.date()
		rows, summary = self.rows("Grid", from_date=add_days(day, 1), to_date=add_days(day, 30))
		self.assertEqual((rows, summary), ({}, []))
		frappe.set_user(WORKER)
		rows, summary = self.rows("Grid", from_date=day, to_date=day)
		self.assertEqual(set(rows), {self.grid.name})
		self.assertEqual(summary[0]["value"], 3)
