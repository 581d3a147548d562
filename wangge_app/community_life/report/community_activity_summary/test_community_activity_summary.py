# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import datetime

import frappe
from frappe.tests.utils import FrappeTestCase

from wangge_app.community_life import sign_ups
from wangge_app.community_life.doctype.community_activity.community_activity import call_off
from wangge_app.community_life.report.community_activity_summary.community_activity_summary import execute
from wangge_app.community_life.test_utils import make_community_activity, sign_up
from wangge_app.test_utils import make_community_tree, make_household, make_resident

YEAR = 2031


def at(month: int, day: int) -> datetime.datetime:
	return datetime.datetime(YEAR, month, day, 9, 30)


class TestCommunityActivitySummary(FrappeTestCase):
	"""A known year: March has two activities for the elderly (one resident attends both) and one for
	young children nobody attended; April one for the elderly without a limit, and one called off."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		grid = make_community_tree()[1]
		household = make_household(grid.name)
		r = {
			key: make_resident(
				household.name, full_name=key, date_of_birth=datetime.date(1950, 3, index)
			).name
			for index, key in enumerate(("r1", "r2", "r3", "r4", "c1"), start=1)
		}
		march_1 = make_community_activity(at(3, 5), capacity=10, target_group="Elderly").name
		march_2 = make_community_activity(at(3, 19), capacity=5, target_group="Elderly").name
		march_children = make_community_activity(at(3, 12), capacity=8, target_group="Children under 6").name
		april = make_community_activity(at(4, 9), capacity=0, target_group="Elderly").name
		called_off = make_community_activity(at(4, 23), capacity=5, target_group="Elderly").name
		last_year = make_community_activity(datetime.datetime(YEAR - 1, 3, 5, 9), capacity=5).name
		for activity, residents, attended in (
			(march_1, ("r1", "r2", "r3"), ("r1", "r2")),
			(march_2, ("r1", "r4"), ("r1",)),
			(march_children, ("c1",), ()),
			(april, ("r2",), ("r2",)),
			(called_off, ("r3",), ("r3",)),
			(last_year, ("r1",), ("r1",)),
		):
			for key in residents:
				sign_up(activity, r[key])
			for key in attended:
				sign_ups.check_in_resident(activity, r[key])
		call_off(called_off)

	def test_rows_by_month_and_target_group(self):
		columns, rows, _message, _chart, summary = execute({"year": YEAR})
		fields = [column["fieldname"] for column in columns]
		self.assertEqual(
			[tuple(row[field] for field in fields) for row in rows],
			[
				(3, "Elderly", 2, 15, 5, 3, 2),
				(3, "Children under 6", 1, 8, 1, 0, 0),
				(4, "Elderly", 1, 0, 1, 1, 1),
			],
		)
		self.assertEqual([item["value"] for item in summary], [4, 4, 2])

	def test_one_target_group(self):
		_columns, rows, _message, _chart, summary = execute(
			{"year": YEAR, "target_group": "Children under 6"}
		)
		self.assertEqual([(row["month"], row["activities"], row["signed_up"]) for row in rows], [(3, 1, 1)])
		self.assertEqual([item["value"] for item in summary], [1, 0, 0])

	def test_an_unknown_target_group_is_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "Unknown target group"):
			execute({"year": YEAR, "target_group": "Teenagers"})
