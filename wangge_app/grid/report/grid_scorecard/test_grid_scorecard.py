# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_to_date, now_datetime

from wangge_app.grid.doctype.grid.test_district import make_district
from wangge_app.grid.report.grid_scorecard import grid_scorecard
from wangge_app.mediation.doctype.dispute_case.test_dispute_case import make_dispute_case
from wangge_app.resident_services.doctype.household_visit.test_household_visit import make_visit
from wangge_app.resident_services.test_utils import make_request
from wangge_app.test_utils import make_household, make_user, scope_user_to_grid
from wangge_app.volunteer.test_utils import make_activity, make_party_member, make_work_unit
from wangge_app.workflows import CASE_CLOSED

MANAGER_A = "scorecard-manager-a@example.com"
DISTRICT_MANAGER = "scorecard-district@example.com"


class TestGridScorecard(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.tree = tree = make_district()
		make_user(MANAGER_A, ["Community Manager"])
		frappe.db.delete("User Permission", {"user": MANAGER_A})
		scope_user_to_grid(MANAGER_A, tree.community_a)
		make_user(DISTRICT_MANAGER, ["District Manager"])
		# Grid A: two households (one in the grid, one in its micro-grid from make_district), three
		# cases: one settled in the grid, one overdue, one due within the next hours.
		visited = make_household(tree.grid_a)
		# One of the two visited this quarter (and once more, which counts once), one request due soon.
		make_visit(visited.name)
		make_visit(visited.name)
		request = make_request(tree.grid_a)
		frappe.db.set_value(
			"Resident Request",
			request.name,
			{"is_overdue": 0, "next_due_by": add_to_date(now_datetime(), hours=2)},
		)
		frappe.db.set_value(
			"Dispute Case",
			tree.case_a,
			{"workflow_state": CASE_CLOSED, "outcome": "Agreement Reached", "tier": "Ordinary"},
		)
		overdue = make_dispute_case(tree.grid_a)
		frappe.db.set_value("Dispute Case", overdue.name, "is_overdue", 1)
		soon = make_dispute_case(tree.grid_a)
		frappe.db.set_value(
			"Dispute Case", soon.name, {"is_overdue": 0, "next_due_by": add_to_date(now_datetime(), hours=3)}
		)
		# Two members of grid A, one attending two activities, the other one.
		work_unit = make_work_unit()
		members = [make_party_member(work_unit.name, grid=tree.grid_a).name for _ in range(2)]
		make_activity(members, points=2, grid=tree.grid_a)
		make_activity(members[:1], points=1, grid=tree.grid_a)

	def tearDown(self):
		frappe.set_user("Administrator")

	def run_as(self, user, **filters):
		frappe.set_user(user)
		columns, data = grid_scorecard.execute(filters)
		self.assertTrue(columns)
		return {row["place"]: row for row in data}

	def test_a_community_manager_sees_a_row_per_grid_of_the_community(self):
		rows = self.run_as(MANAGER_A)
		self.assertEqual(list(rows), [self.tree.grid_a])
		row = rows[self.tree.grid_a]
		self.assertEqual(row["households"], 2)
		self.assertEqual((row["cases"], row["cases_in_hand"], row["overdue"], row["at_risk"]), (3, 2, 1, 1))
		self.assertEqual((row["settled"], row["share_in_grid"]), (1, 100.0))
		self.assertEqual((row["members"], row["points_balance"], row["activities_per_member"]), (2, 5, 1.5))
		self.assertEqual((row["visited_households"], row["visit_coverage"]), (1, 50.0))
		self.assertEqual(row["requests_at_risk"], 1)

	def test_district_staff_see_a_row_per_community(self):
		rows = self.run_as(DISTRICT_MANAGER)
		tree = self.tree
		self.assertLessEqual({tree.community_a, tree.community_b}, set(rows))
		self.assertEqual(rows[tree.community_a]["cases"], 3)
		self.assertEqual(rows[tree.community_b]["cases"], 1)
		self.assertEqual(rows[tree.community_a]["households"], 2)
		# The same figures by grid.
		by_grid = self.run_as(DISTRICT_MANAGER, rows=grid_scorecard.BY_GRID)
		self.assertEqual(by_grid[tree.grid_b]["cases"], 1)
		self.assertEqual(by_grid[tree.grid_a]["community_name"], rows[tree.community_a]["place_name"])

	def test_a_community_manager_by_community_sees_only_theirs(self):
		rows = self.run_as(MANAGER_A, rows=grid_scorecard.BY_COMMUNITY)
		self.assertEqual(list(rows), [self.tree.community_a])
