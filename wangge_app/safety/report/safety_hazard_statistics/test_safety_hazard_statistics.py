# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate

from wangge_app import workflows as wf
from wangge_app.overdue import mark_missed_due_times_of
from wangge_app.safety.report.safety_hazard_statistics.safety_hazard_statistics import execute
from wangge_app.safety.test_utils import FIVE_IMPLEMENTATIONS, add_check, make_hazard, make_photo
from wangge_app.test_utils import (
	apply_workflow_as,
	make_community_tree,
	make_grid,
	make_household,
	make_partner_department,
	make_user,
)

WORKER = "shs-worker@example.com"
OTHER_WORKER = "shs-other-worker@example.com"


class TestSafetyHazardStatistics(FrappeTestCase):
	"""A known set of hazards in two grids: the report's figures follow from it."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		for user in (WORKER, OTHER_WORKER):
			make_user(user, ["Grid Worker"])
			frappe.db.set_value("Notification Settings", user, "enable_email_notifications", 0)
		cls.community, cls.grid_1, cls.micro_1 = make_community_tree(workers=[WORKER])
		cls.grid_2 = make_grid("Grid", cls.community.name, workers=[OTHER_WORKER])
		household_1 = make_household(cls.micro_1.name).name
		household_2 = make_household(cls.grid_2.name).name
		photo = make_photo()
		today = getdate()
		cls.today = today
		department = make_partner_department("拉萨市燃气公司", "Utility Company")

		def walk(hazard, user, steps):
			"""Take the hazard through (day, action, changes) steps, on those days."""
			for day, action, changes in steps:
				frappe.flags.current_date = day
				if action == "check":
					add_check(hazard, changes["result"], photo, user, check_date=day)
				else:
					apply_workflow_as(user, hazard, action, **changes)
			frappe.flags.current_date = None

		def rectified(found, closed_on):
			return [
				(found, wf.ISSUE_NOTICE, FIVE_IMPLEMENTATIONS),
				(found, wf.START_RECTIFICATION, {}),
				(closed_on, "check", {"result": "Passed"}),
				(closed_on, wf.RECORD_REINSPECTION, {}),
				(closed_on, wf.CLOSE_HAZARD, {}),
			]

		# Grid 1: a gas hazard rectified within its 7 days; a fire hazard past its deadline; a gas hazard
		# of the micro-grid referred to the gas company.
		found = add_days(today, -40)
		frappe.set_user(WORKER)
		cls.on_time = make_hazard(household_1, category="Gas", risk_level="General", found_on=found)
		walk(cls.on_time, WORKER, rectified(found, add_days(found, 5)))
		cls.overdue = make_hazard(
			household_1, category="Fire", risk_level="General", found_on=add_days(today, -10)
		)
		referred_found = add_days(today, -3)
		cls.referred = make_hazard(household_1, category="Gas", risk_level="Major", found_on=referred_found)
		walk(
			cls.referred,
			WORKER,
			[
				(referred_found, wf.ISSUE_NOTICE, FIVE_IMPLEMENTATIONS),
				(referred_found, wf.ISSUE_SECOND_NOTICE, {}),
				(referred_found, wf.REFER_TO_DEPARTMENT, {"referred_to": department.name}),
			],
		)
		# Grid 2: a significant fire hazard closed after its 15 days; a general gas hazard still in time.
		frappe.set_user(OTHER_WORKER)
		late_found = add_days(today, -40)
		cls.late = make_hazard(household_2, category="Fire", risk_level="Significant", found_on=late_found)
		walk(cls.late, OTHER_WORKER, rectified(late_found, add_days(late_found, 20)))
		cls.in_time = make_hazard(household_2, category="Gas", risk_level="General")
		frappe.set_user("Administrator")
		mark_missed_due_times_of("Safety Hazard")

	def tearDown(self):
		frappe.set_user("Administrator")

	def rows(self, group_by, user="Administrator") -> dict:
		frappe.set_user(user)
		columns, data, _message, _chart, summary = execute(
			{"group_by": group_by, "grid": self.community.name}
		)
		frappe.set_user("Administrator")
		self.assertEqual(columns[0]["fieldname"], "group")
		return {row["group"]: row for row in data}, summary

	def figures(self, row) -> tuple:
		keys = ("hazards", "open", "overdue", "closed", "closed_on_time", "on_time_rate", "referred")
		return tuple(row[key] for key in keys)

	def test_by_grid_micro_grids_count_for_their_grid(self):
		rows, summary = self.rows("Grid")
		self.assertEqual(
			{group: self.figures(row) for group, row in rows.items()},
			{self.grid_1.name: (3, 1, 1, 1, 1, 100.0, 1), self.grid_2.name: (2, 1, 0, 1, 0, 0.0, 0)},
		)
		self.assertEqual(
			[(item["label"], item["value"]) for item in summary],
			[("Hazards", 5), ("Open", 2), ("Overdue", 1), ("On-time Rate (%)", 50.0)],
		)

	def test_by_category_risk_level_and_month(self):
		rows, _summary = self.rows("Hazard Category")
		self.assertEqual(
			{group: self.figures(row) for group, row in rows.items()},
			{"Fire": (2, 1, 1, 1, 0, 0.0, 0), "Gas": (3, 1, 0, 1, 1, 100.0, 1)},
		)
		rows, _summary = self.rows("Risk Level")
		# In the order of the risk levels.
		self.assertEqual(
			[(group, row["hazards"], row["open"]) for group, row in rows.items()],
			[("General", 3, 2), ("Significant", 1, 0), ("Major", 1, 0)],
		)
		rows, _summary = self.rows("Month")
		expected = {}
		for hazard in (self.on_time, self.overdue, self.referred, self.late, self.in_time):
			month = getdate(hazard.found_on).strftime("%Y-%m")
			expected[month] = expected.get(month, 0) + 1
		self.assertEqual({group: row["hazards"] for group, row in rows.items()}, expected)

	def test_a_grid_worker_sees_the_figures_of_their_grids(self):
		rows, summary = self.rows("Grid", user=OTHER_WORKER)
		self.assertEqual(list(rows), [self.grid_2.name])
		self.assertEqual(summary[0]["value"], 2)

	def test_bad_grouping_is_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "counts by grid"):
			execute({"group_by": "owner"})
