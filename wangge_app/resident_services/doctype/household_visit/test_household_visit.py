# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate

from wangge_app.resident_services.doctype.household_visit.household_visit import start_from_visit
from wangge_app.resident_services.report.households_not_visited.households_not_visited import execute
from wangge_app.resident_services.test_utils import make_request, random_id_number
from wangge_app.test_utils import make_community_tree, make_grid, make_household, make_resident, make_user

WORKER = "hv-worker@example.com"
OTHER_WORKER = "hv-other-worker@example.com"


def make_visit(household: str, **fields):
	return frappe.get_doc(
		{
			"doctype": "Household Visit",
			"household": household,
			"purpose": fields.pop("purpose", "Routine Visit"),
			"visit_date": fields.pop("visit_date", None) or getdate(),
			"findings": fields.pop("findings", "老人身体尚好，反映楼下路灯不亮。"),
			**fields,
		}
	).insert()


class TestHouseholdVisit(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(WORKER, ["Grid Worker"], first_name="卓玛")
		make_user(OTHER_WORKER, ["Grid Worker"])
		for user in (WORKER, OTHER_WORKER):
			frappe.db.set_value("Notification Settings", user, "enable_email_notifications", 0)
		cls.community, cls.grid, cls.micro_grid = make_community_tree(workers=[WORKER])
		cls.other_grid = make_grid("Grid", cls.community.name, workers=[OTHER_WORKER])
		cls.household = make_household(cls.micro_grid.name, building="8", room="301")
		cls.head = make_resident(cls.household.name, full_name="次仁央宗", id_number=random_id_number())
		frappe.db.set_value("Household", cls.household.name, "head_of_household", cls.head.name)

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_a_visit_takes_the_households_grid_and_the_worker(self):
		frappe.set_user(WORKER)
		visit = make_visit(self.household.name)
		self.assertEqual((visit.grid, visit.visited_by), (self.micro_grid.name, WORKER))
		# The list and the form name the worker, not only their login.
		self.assertEqual(visit.visiting_worker_name, frappe.db.get_value("User", WORKER, "full_name"))
		self.assertIn("卓玛", visit.visiting_worker_name)
		# Another grid's worker can neither see nor record visits of this household.
		frappe.set_user(OTHER_WORKER)
		self.assertFalse(frappe.has_permission("Household Visit", "read", doc=visit.name))
		self.assertRaises(frappe.PermissionError, make_visit, self.household.name)

	def test_bad_visits_are_refused(self):
		count = frappe.db.count("Household Visit")
		other = make_household(self.grid.name)
		request = make_request(household=other.name)
		for fields in (
			{"findings": " "},
			{"findings": "<script>alert(1)</script>"},
			{"visit_date": add_days(getdate(), 1)},
			{"purpose": "For a Request"},
			{"purpose": "For a Request", "resident_request": request.name},
		):
			with self.subTest(fields=fields), self.assertRaises(frappe.ValidationError):
				make_visit(self.household.name, **fields)
		self.assertEqual(frappe.db.count("Household Visit"), count)

	def test_a_request_started_from_a_visit(self):
		frappe.set_user(WORKER)
		visit = make_visit(self.household.name, findings="楼下路灯不亮，老人晚上不敢出门。")
		started = start_from_visit(visit.name, "Resident Request", "Public Facilities")
		request = frappe.get_doc("Resident Request", started["name"])
		self.assertEqual(
			(request.channel, request.household, request.grid, request.requester, request.description),
			("Home Visit", self.household.name, self.micro_grid.name, self.head.name, visit.findings),
		)
		visit.reload()
		self.assertEqual((visit.started_doctype, visit.started_record), ("Resident Request", request.name))
		# Starting again gives the same request.
		self.assertEqual(start_from_visit(visit.name, "Resident Request"), started)
		self.assertEqual(frappe.db.count("Resident Request", {"household": self.household.name}), 1)

	def test_a_dispute_case_started_from_a_visit(self):
		frappe.set_user(WORKER)
		visit = make_visit(self.household.name, findings="与邻居因漏水争吵。")
		started = start_from_visit(visit.name, "Dispute Case")
		case = frappe.get_doc("Dispute Case", started["name"])
		self.assertEqual((case.grid, case.parties[0].resident), (self.micro_grid.name, self.head.name))
		self.assertEqual([row.household for row in case.households], [self.household.name])
		self.assertRaises(frappe.ValidationError, start_from_visit, visit.name, "Household")
		frappe.set_user(OTHER_WORKER)
		self.assertRaises(frappe.PermissionError, start_from_visit, visit.name, "Resident Request")

	def test_households_not_visited_for_n_days(self):
		grid = make_grid("Grid", self.community.name, workers=[WORKER])
		today = getdate()
		recent, old, never = (make_household(grid.name) for _ in range(3))
		make_visit(recent.name, visit_date=add_days(today, -5))
		make_visit(old.name, visit_date=add_days(today, -40))
		make_visit(old.name, visit_date=add_days(today, -45))
		_columns, rows = execute({"days": 30, "grid": grid.name, "today": today})
		self.assertEqual(
			[(row["household"], row["days_since"]) for row in rows], [(never.name, None), (old.name, 40)]
		)
		_columns, rows = execute({"days": 3, "grid": grid.name, "today": today})
		self.assertEqual({row["household"] for row in rows}, {never.name, old.name, recent.name})
		# A grid worker sees only their own grids' households.
		frappe.set_user(OTHER_WORKER)
		_columns, rows = execute({"days": 0})
		self.assertFalse({row["household"] for row in rows} & {recent.name, old.name, never.name})
