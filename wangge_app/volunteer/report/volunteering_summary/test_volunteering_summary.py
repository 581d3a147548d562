# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import datetime

import frappe
from frappe.desk.doctype.number_card.number_card import get_result
from frappe.tests.utils import FrappeTestCase

from wangge_app.test_utils import make_community_tree, make_grid
from wangge_app.volunteer.dashboard import get_average_activities_per_member, get_total_points_earned
from wangge_app.volunteer.report.volunteering_summary.volunteering_summary import execute
from wangge_app.volunteer.test_utils import make_activity, make_adjustment, make_party_member, make_work_unit


def day(month: int, date: int) -> datetime.datetime:
	return datetime.datetime(2025, month, date, 9, 0)


class TestVolunteeringSummary(FrappeTestCase):
	"""A known data set: two work units, two grids, five members, four activities (one cancelled)."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.community, cls.grid, cls.micro_grid = make_community_tree()
		cls.other_grid = make_grid("Grid", cls.community.name)
		cls.office = make_work_unit().name
		cls.hospital = make_work_unit(unit_type="Institution").name
		member = make_party_member
		cls.a = member(cls.office, full_name="甲", grid=cls.micro_grid.name).name
		cls.b = member(cls.office, full_name="乙", grid=cls.grid.name).name
		cls.c = member(cls.office, full_name="丙", grid=cls.other_grid.name).name  # never attends
		cls.d = member(cls.hospital, full_name="丁", grid=cls.other_grid.name).name
		cls.e = member(cls.hospital, full_name="戊", grid=cls.grid.name).name
		make_activity([cls.a, cls.b, cls.d], points=2, start_time=day(1, 10))
		make_activity([cls.a, cls.d, cls.e], points=3, start_time=day(2, 10))
		make_activity([cls.a], points=5, start_time=day(3, 10))
		make_activity([cls.b, cls.e], points=4, start_time=day(3, 20)).cancel()
		# Points spent at a merchant (the redemption issue writes these through the same ledger).
		from wangge_app.volunteer import points

		points.make_points_entry(
			cls.a, -4, points.REDEEMED, "Work Unit", cls.office, posting_date="2025-04-01"
		)
		make_adjustment(cls.d, 1, posting_date=datetime.date(2025, 4, 2))
		frappe.db.set_value("In-service Party Member", cls.e, "status", "Suspended")
		cls.filters = {"grid": cls.community.name}

	def run_report(self, **filters):
		columns, rows, _message, _chart, summary = execute({**self.filters, **filters})
		return columns, rows, {item["label"]: item["value"] for item in summary}

	def test_by_work_unit(self):
		_columns, rows, summary = self.run_report(view="By Work Unit")
		by_unit = {row["group"]: row for row in rows}
		office, hospital = by_unit[self.office], by_unit[self.hospital]
		# Office: 甲 2+3+5, 乙 2; 甲 redeemed 4; 5 attendances by 3 members.
		self.assertEqual(
			(
				office["registered"],
				office["active"],
				office["earned"],
				office["redeemed"],
				office["activities"],
			),
			(3, 2, 12, 4, 4),
		)
		self.assertEqual(office["average_activities"], 1.3)
		# Hospital: 丁 2+3, 戊 3 but suspended, so not active; the adjustment is not earned.
		self.assertEqual(
			(hospital["registered"], hospital["active"], hospital["earned"], hospital["redeemed"]),
			(2, 1, 8, 0),
		)
		self.assertEqual(
			summary,
			{
				"Members Registered": 5,
				"Active Members": 3,
				"Points Earned": 20,
				"Points Redeemed": 4,
				"Average Activities per Member": "1.4",  # one decimal, as people read it
			},
		)

	def test_by_grid_counts_micro_grids_under_their_grid(self):
		_columns, rows, _summary = self.run_report(view="By Grid")
		by_grid = {row["group"]: row for row in rows}
		self.assertEqual(set(by_grid), {self.grid.name, self.other_grid.name})
		self.assertEqual((by_grid[self.grid.name]["registered"], by_grid[self.grid.name]["earned"]), (3, 15))
		self.assertEqual(
			(by_grid[self.other_grid.name]["registered"], by_grid[self.other_grid.name]["earned"]), (2, 5)
		)

	def test_period_and_top_volunteers(self):
		_columns, rows, summary = self.run_report(view="Top Volunteers", from_date="2025-02-01", top=2)
		self.assertEqual(
			[(row["rank"], row["member"], row["earned"]) for row in rows], [(1, self.a, 8), (2, self.d, 3)]
		)
		# 甲 3+5, 丁 3, 戊 3; the cancelled activity's points and their reversal (dated today) cancel out.
		self.assertEqual(summary["Points Earned"], 14)
		self.assertEqual(summary["Active Members"], 2)

	def test_number_cards_agree_with_the_report(self):
		_columns, _rows, summary = self.run_report(grid=None)
		self.assertEqual(get_total_points_earned()["value"], summary["Points Earned"])
		self.assertEqual(
			f"{get_average_activities_per_member()['value']:.1f}", summary["Average Activities per Member"]
		)
		card = frappe.get_doc("Number Card", "Party Members in Service")
		in_service = frappe.db.count("In-service Party Member", {"status": "In Service"})
		self.assertEqual(get_result(card.as_dict(), card.filters_json), in_service)
		self.assertTrue(frappe.db.exists("Workspace", "Volunteer Service"))
