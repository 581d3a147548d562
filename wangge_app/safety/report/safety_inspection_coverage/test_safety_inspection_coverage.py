# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import datetime

import frappe
from frappe.tests.utils import FrappeTestCase

from wangge_app.safety.report.safety_inspection_coverage.safety_inspection_coverage import execute
from wangge_app.safety.schedule import create_plan_inspections
from wangge_app.safety.test_utils import make_plan, record_results
from wangge_app.test_utils import make_community_tree, make_household, make_user

WORKER = "sic-worker@example.com"


class TestSafetyInspectionCoverage(FrappeTestCase):
	def test_places_inspected_of_places_due_per_grid_and_cycle(self):
		make_user(WORKER, ["Grid Worker"])
		frappe.db.set_value("Notification Settings", WORKER, "enable_email_notifications", 0)
		community, grid, micro_grid = make_community_tree(workers=[WORKER])
		for _ in range(4):
			make_household(micro_grid.name)
		plan = make_plan(grid.name, frequency="Monthly")
		march = create_plan_inspections(plan, datetime.date(2026, 3, 2))
		april = create_plan_inspections(plan, datetime.date(2026, 4, 2))
		# March: all four inspected, one with a failed item; April: one of four.
		for index, name in enumerate(march):
			failed = {1: "软管老化"} if index == 0 else None
			record_results(
				frappe.get_doc("Safety Inspection", name), failed=failed, inspection_date="2026-03-20"
			)
		record_results(frappe.get_doc("Safety Inspection", april[0]), inspection_date="2026-04-10")

		frappe.set_user(WORKER)
		_columns, data, _message, _chart, summary = execute({"grid": community.name})
		frappe.set_user("Administrator")
		self.assertEqual(
			[
				(
					row["grid"],
					row["period"],
					row["due"],
					row["inspected"],
					row["coverage"],
					row["meets_target"],
					row["hazards"],
				)
				for row in data
			],
			[(grid.name, "2026-03", 4, 4, 100.0, 1, 1), (grid.name, "2026-04", 4, 1, 25.0, 0, 0)],
		)
		self.assertEqual([item["value"] for item in summary], [8, 5, 62.5])
