# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe.desk.query_report import run
from frappe.tests.utils import FrappeTestCase

from wangge_app.party_building.coverage import get_coverage_card
from wangge_app.test_utils import (
	activate_party_member_household,
	apply_workflow_as,
	make_grid,
	make_household,
	make_party_member_household,
	make_resident,
	make_user,
	scope_user_to_grid,
)

SECRETARY = "coverage-secretary@example.com"
COMMITTEE = "coverage-committee@example.com"


class TestPartyMemberHouseholdCoverage(FrappeTestCase):
	"""A known community: grid A (with a micro-grid) 14 households, grid B 12, grid C none."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(SECRETARY, ["Grid Party Branch Secretary"])
		make_user(COMMITTEE, ["Community Party Committee"])
		cls.community = make_grid("Community")
		cls.grid_a = make_grid("Grid", cls.community.name, grid_name="A网格")
		cls.micro_a = make_grid("Micro-grid", cls.grid_a.name)
		cls.grid_b = make_grid("Grid", cls.community.name, grid_name="B网格")
		cls.grid_c = make_grid("Grid", cls.community.name, grid_name="C网格")
		scope_user_to_grid(SECRETARY, cls.community.name)

		# Grid A: an active central household in the micro-grid serving 10 of its 12 neighbours,
		# and an application (not yet active) serving the other two.
		a_neighbours = [
			make_household(cls.grid_a.name if i % 2 else cls.micro_a.name).name for i in range(12)
		]
		active_a = make_party_member_household(cls.party_member(cls.micro_a.name), a_neighbours[:10])
		activate_party_member_household(active_a, SECRETARY, COMMITTEE)
		make_party_member_household(cls.party_member(cls.grid_a.name), a_neighbours[10:])

		# Grid B: a withdrawn central household and the active one that took over its 10 households.
		b_neighbours = [make_household(cls.grid_b.name).name for _ in range(10)]
		withdrawn = make_party_member_household(cls.party_member(cls.grid_b.name), b_neighbours)
		activate_party_member_household(withdrawn, SECRETARY, COMMITTEE)
		apply_workflow_as(COMMITTEE, withdrawn, "Withdraw")
		active_b = make_party_member_household(cls.party_member(cls.grid_b.name), b_neighbours)
		activate_party_member_household(active_b, SECRETARY, COMMITTEE)

	@staticmethod
	def party_member(grid: str) -> str:
		return make_resident(make_household(grid).name, is_party_member=1).name

	def test_coverage_per_grid_and_total(self):
		columns, rows = run_report({"community": self.community.name})
		self.assertEqual(
			[column["fieldname"] for column in columns],
			["grid", "grid_name", "households", "served_households", "coverage", "party_member_households"],
		)
		numbers = [
			(
				row["grid_name"],
				row["households"],
				row["served_households"],
				row["coverage"],
				row["party_member_households"],
			)
			for row in rows
		]
		self.assertEqual(
			numbers,
			[
				("A网格", 14, 10, 71.4, 1),
				("B网格", 12, 10, 83.3, 1),
				("C网格", 0, 0, 0, 0),
				("All Grids", 26, 20, 76.9, 2),
			],
		)

	def test_committee_runs_the_report_and_the_number_card_shows_the_total(self):
		frappe.set_user(COMMITTEE)
		try:
			result = run("Party Member Household Coverage", filters={})
			card = get_coverage_card()
		finally:
			frappe.set_user("Administrator")
		total = result["result"][-1]
		self.assertEqual(total["grid_name"], "All Grids")
		self.assertEqual(card, {"value": total["coverage"], "fieldtype": "Percent"})
		# The whole site holds at least this community's households.
		self.assertGreaterEqual(total["households"], 26)
		self.assertGreaterEqual(total["served_households"], 20)


def run_report(filters: dict):
	from wangge_app.party_building.report.party_member_household_coverage.party_member_household_coverage import (
		execute,
	)

	return execute(filters)
