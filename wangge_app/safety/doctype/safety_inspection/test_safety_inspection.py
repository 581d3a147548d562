# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from wangge_app.safety.test_utils import (
	make_inspection,
	make_photo,
	make_premises,
	record_results,
)
from wangge_app.test_utils import make_community_tree, make_grid, make_household, make_user
from wangge_app.workflows import REGISTERED

WORKER = "si-worker@example.com"
OTHER_WORKER = "si-other-worker@example.com"


class TestSafetyInspection(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		for user in (WORKER, OTHER_WORKER):
			make_user(user, ["Grid Worker"])
			frappe.db.set_value("Notification Settings", user, "enable_email_notifications", 0)
		cls.community, cls.grid, cls.micro_grid = make_community_tree(workers=[WORKER])
		cls.other_grid = make_grid("Grid", cls.community.name, workers=[OTHER_WORKER])
		cls.household = make_household(cls.micro_grid.name, building="3", unit="2", room="401")
		cls.other_household = make_household(cls.other_grid.name)
		cls.shop = make_premises(cls.grid.name, premises_name="幸福便利店", contact_phone="13908901234")

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_failed_items_become_registered_hazards_on_submit(self):
		frappe.set_user(WORKER)
		inspection = make_inspection(self.household.name)
		self.assertEqual((inspection.grid, inspection.category), (self.micro_grid.name, "Gas"))
		self.assertEqual(
			inspection.place_name, frappe.db.get_value("Household", self.household.name, "address")
		)
		photo = make_photo("hose.png")
		done = record_results(
			inspection,
			failed={1: "橡胶软管已使用五年，表面龟裂。", 3: "接口处检漏液起泡。"},
			photo=photo,
			signature="data:image/png;base64,iVBORw0KGgo=",
		)
		self.assertEqual((done.docstatus, done.inspected_by, done.hazard_count), (1, WORKER, 2))

		rows = {row.idx: row for row in frappe.get_doc("Safety Inspection", done.name).items}
		self.assertFalse(rows[2].hazard)
		hazards = [frappe.get_doc("Safety Hazard", rows[idx].hazard) for idx in (1, 3)]
		first, leak = hazards
		self.assertEqual(first.hazard_title, "燃气软管材质与使用年限")
		self.assertIn("橡胶软管已使用五年", first.description)
		self.assertEqual(
			(
				first.workflow_state,
				first.category,
				first.risk_level,
				first.grid,
				first.household,
				first.inspection,
			),
			(REGISTERED, "Gas", "Significant", self.micro_grid.name, self.household.name, done.name),
		)
		self.assertEqual([row.photo for row in first.photos], [photo])
		# The leak test's failure is a major hazard (the checklist says so).
		self.assertEqual(leak.risk_level, "Major")
		todos = frappe.get_all(
			"ToDo", {"reference_type": "Safety Hazard", "reference_name": first.name}, pluck="allocated_to"
		)
		self.assertEqual(todos, [WORKER])

	def test_premises_inspection_takes_the_premises_grid(self):
		inspection = make_inspection(premises=self.shop.name)
		self.assertEqual(
			(inspection.grid, inspection.place_name, inspection.household),
			(self.grid.name, "幸福便利店", None),
		)
		done = record_results(inspection)
		self.assertEqual(done.hazard_count, 0)

	def test_bad_input_is_refused_and_nothing_saved(self):
		inspection = make_inspection(self.household.name)
		doc = frappe.get_doc("Safety Inspection", inspection.name)
		doc.items[0].result = "Pass"
		doc.inspection_date = today()
		with self.assertRaisesRegex(frappe.ValidationError, "Answer every check item"):
			doc.submit()
		self.assertEqual(frappe.db.get_value("Safety Inspection", inspection.name, "docstatus"), 0)

		doc = frappe.get_doc("Safety Inspection", inspection.name)
		for row in doc.items:
			row.result = "Pass"
		doc.items[0].result = "Fail"
		doc.inspection_date = today()
		with self.assertRaisesRegex(frappe.ValidationError, "describe what failed"):
			doc.submit()

		doc = frappe.get_doc("Safety Inspection", inspection.name)
		doc.inspection_date = add_days(today(), 1)
		with self.assertRaisesRegex(frappe.ValidationError, "cannot be in the future"):
			doc.save()

		count = frappe.db.count("Safety Inspection")
		with self.assertRaisesRegex(frappe.ValidationError, "Choose the household"):
			make_inspection(None)
		self.assertEqual(frappe.db.count("Safety Inspection"), count)
		self.assertEqual(frappe.db.count("Safety Hazard", {"inspection": inspection.name}), 0)

	def test_a_place_outside_the_workers_grids_is_refused(self):
		frappe.set_user(WORKER)
		count = frappe.db.count("Safety Inspection")
		with self.assertRaisesRegex(frappe.PermissionError, "outside your grids"):
			make_inspection(self.other_household.name)
		other_shop = None
		frappe.set_user("Administrator")
		other_shop = make_premises(self.other_grid.name)
		frappe.set_user(WORKER)
		with self.assertRaisesRegex(frappe.PermissionError, "outside your grids"):
			make_inspection(premises=other_shop.name)
		with self.assertRaises(frappe.PermissionError):
			make_premises(self.other_grid.name)
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.count("Safety Inspection"), count)
		# And the other grid's worker does not see this grid's inspections.
		mine = make_inspection(self.household.name)
		frappe.set_user(OTHER_WORKER)
		self.assertNotIn(mine.name, frappe.get_list("Safety Inspection", pluck="name"))
		self.assertFalse(frappe.has_permission("Safety Inspection", "read", doc=mine.name))
