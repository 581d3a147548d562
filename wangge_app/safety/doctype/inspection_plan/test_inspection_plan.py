# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import datetime

import frappe
from frappe.tests.utils import FrappeTestCase

from wangge_app.safety.schedule import create_due_inspections, create_plan_inspections, period_of
from wangge_app.safety.test_utils import FIRE_CHECKLIST, make_plan, make_premises
from wangge_app.test_utils import make_community_tree, make_grid, make_household, make_user

WORKER = "sp-worker@example.com"
MICRO_WORKER = "sp-micro-worker@example.com"


class TestInspectionPlan(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		for user in (WORKER, MICRO_WORKER):
			make_user(user, ["Grid Worker"])
			# Assignments mail their users, and sending mail in a test commits the transaction.
			frappe.db.set_value("Notification Settings", user, "enable_email_notifications", 0)
		cls.community, cls.grid, cls.micro_grid = make_community_tree(workers=[WORKER])
		cls.staffed_micro_grid = make_grid("Micro-grid", cls.grid.name, workers=[MICRO_WORKER])
		cls.household = make_household(cls.micro_grid.name)
		cls.staffed_household = make_household(cls.staffed_micro_grid.name)

	def tearDown(self):
		frappe.set_user("Administrator")

	def inspections(self, plan) -> list:
		return frappe.get_all(
			"Safety Inspection",
			{"plan": plan.name},
			["name", "household", "premises", "period", "due_date", "grid", "docstatus"],
			order_by="period, household, premises",
		)

	def assignees(self, inspection: str) -> set[str]:
		return set(
			frappe.get_all(
				"ToDo",
				{"reference_type": "Safety Inspection", "reference_name": inspection, "status": "Open"},
				pluck="allocated_to",
			)
		)

	def test_daily_job_creates_the_periods_inspections_once_and_assigns_them(self):
		plan = make_plan(self.grid.name, frequency="Monthly", start_date="2026-01-01")

		created = create_due_inspections(now="2026-03-05")
		inspections = self.inspections(plan)
		self.assertLessEqual({row.name for row in inspections}, set(created))
		self.assertEqual(
			{(row.household, row.period, str(row.due_date)) for row in inspections},
			{
				(self.household.name, "2026-03", "2026-03-31"),
				(self.staffed_household.name, "2026-03", "2026-03-31"),
			},
		)
		by_household = {row.household: row for row in inspections}
		# The micro-grid without a worker: its grid's worker; the staffed micro-grid: its own worker.
		self.assertEqual(self.assignees(by_household[self.household.name].name), {WORKER})
		self.assertEqual(self.assignees(by_household[self.staffed_household.name].name), {MICRO_WORKER})
		first = frappe.get_doc("Safety Inspection", by_household[self.household.name].name)
		self.assertEqual(first.grid, self.micro_grid.name)
		self.assertEqual(len(first.items), len(frappe.get_doc("Inspection Template", plan.template).items))
		self.assertTrue(all(not row.result for row in first.items))

		# Later in the same month, and on the same day again: nothing new.
		create_due_inspections(now="2026-03-05")
		create_due_inspections(now="2026-03-28")
		self.assertEqual(len(self.inspections(plan)), 2)

		# The next month has its own inspections.
		create_due_inspections(now=datetime.date(2026, 4, 1))
		self.assertEqual(
			[(row.period, str(row.due_date)) for row in self.inspections(plan)],
			[("2026-03", "2026-03-31")] * 2 + [("2026-04", "2026-04-30")] * 2,
		)

	def test_one_task_per_plan_place_and_period_in_the_database_too(self):
		plan = make_plan(self.grid.name, frequency="Yearly")
		created = create_plan_inspections(plan, datetime.date(2026, 6, 1))
		self.assertEqual(len(created), 2)
		copy = frappe.copy_doc(frappe.get_doc("Safety Inspection", created[0]))
		copy.schedule_key = frappe.db.get_value("Safety Inspection", created[0], "schedule_key")
		with self.assertRaises(frappe.UniqueValidationError):
			copy.insert(ignore_permissions=True)

	def test_premises_plan_covers_premises_in_operation_of_its_type(self):
		restaurant = make_premises(self.micro_grid.name, premises_type="Restaurant")
		make_premises(self.micro_grid.name, premises_type="Restaurant", in_operation=0)
		make_premises(self.micro_grid.name, premises_type="Warehouse")
		plan = make_plan(
			self.grid.name,
			template=FIRE_CHECKLIST,
			target_kind="Premises",
			premises_type="Restaurant",
			frequency="Quarterly",
		)
		create_due_inspections(now="2026-05-10")
		inspections = self.inspections(plan)
		self.assertEqual(
			[(row.premises, row.period, str(row.due_date)) for row in inspections],
			[(restaurant.name, "2026-Q2", "2026-06-30")],
		)
		self.assertEqual(self.assignees(inspections[0].name), {WORKER})

	def test_plan_not_started_or_inactive_creates_nothing(self):
		later = make_plan(self.grid.name, frequency="Weekly", start_date="2026-09-01")
		inactive = make_plan(self.grid.name, frequency="Weekly", is_active=0)
		create_due_inspections(now="2026-08-20")
		self.assertEqual(self.inspections(later), [])
		self.assertEqual(self.inspections(inactive), [])

	def test_periods(self):
		day = datetime.date(2026, 3, 5)  # a Thursday
		self.assertEqual(
			period_of("Weekly", day), ("2026-W10", datetime.date(2026, 3, 2), datetime.date(2026, 3, 8))
		)
		self.assertEqual(
			period_of("Monthly", day), ("2026-03", datetime.date(2026, 3, 1), datetime.date(2026, 3, 31))
		)
		self.assertEqual(
			period_of("Quarterly", datetime.date(2026, 12, 31)),
			("2026-Q4", datetime.date(2026, 10, 1), datetime.date(2026, 12, 31)),
		)
		self.assertEqual(
			period_of("Yearly", day), ("2026", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
		)

	def test_plan_without_frequency_is_refused_and_nothing_saved(self):
		count = frappe.db.count("Inspection Plan")
		with self.assertRaisesRegex(frappe.ValidationError, "Choose how often the places are inspected"):
			make_plan(self.grid.name, frequency="")
		self.assertEqual(frappe.db.count("Inspection Plan"), count)
