# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import datetime

import frappe
from frappe.tests.utils import FrappeTestCase

from wangge_app.community_life.eligibility import eligible_residents, get_eligible_residents
from wangge_app.community_life.test_utils import make_community_activity, sign_up
from wangge_app.test_utils import make_community_tree, make_household, make_resident, make_user

DAY = datetime.date(2027, 5, 1)
WORKER = "life-eligibility-worker@example.com"
MEDIATOR = "life-eligibility-mediator@example.com"


def born(years: int, days: int = 0) -> datetime.date:
	"""A date of birth making the resident `years` old on DAY (plus `days` more)."""
	return DAY.replace(year=DAY.year - years) - datetime.timedelta(days=days)


class TestEligibility(FrappeTestCase):
	def setUp(self):
		make_user(WORKER, ["Grid Worker"])
		make_user(MEDIATOR, ["Community Mediator"])
		self.community, self.grid, self.micro_grid = make_community_tree(workers=[WORKER])
		self.other_grid = make_community_tree()[1]
		alone = make_household(self.grid.name, elderly_living_alone=1)
		family = make_household(self.grid.name)
		flagged = make_household(self.micro_grid.name, has_children_under_6=1)
		plain = make_household(self.micro_grid.name)
		elsewhere = make_household(self.other_grid.name)

		def resident(household, name, years, days=0):
			return make_resident(household.name, full_name=name, date_of_birth=born(years, days)).name

		self.people = {
			"独居老人": resident(alone, "独居老人", 78),
			"刚满六十": resident(family, "刚满六十", 60),
			"差一天六十": resident(family, "差一天六十", 59, days=364),
			"妈妈": resident(family, "妈妈", 31),
			"五岁孩子": resident(family, "五岁孩子", 5, days=360),
			"六岁孩子": resident(plain, "六岁孩子", 6),
			"登记有幼儿的爸爸": resident(flagged, "登记有幼儿的爸爸", 35),
			"无幼儿的成人": resident(plain, "无幼儿的成人", 40),
			"外网格老人": resident(elsewhere, "外网格老人", 80),
		}
		self.mine = set(self.people) - {"外网格老人"}

	def names(self, target_group, user="Administrator"):
		frappe.set_user(user)
		try:
			rows = eligible_residents(target_group, DAY)
		finally:
			frappe.set_user("Administrator")
		ours = {value: key for key, value in self.people.items()}
		return [ours[row["resident"]] for row in rows if row["resident"] in ours]

	def test_elderly_are_60_or_older_on_the_day_living_alone_first(self):
		self.assertEqual(set(self.names("Elderly")), {"独居老人", "刚满六十", "外网格老人"})
		self.assertEqual(self.names("Elderly")[0], "独居老人")

	def test_children_under_6_by_age_on_the_day(self):
		self.assertEqual(set(self.names("Children under 6")), {"五岁孩子"})

	def test_parents_of_households_with_a_young_child_by_age_or_by_flag(self):
		self.assertEqual(
			set(self.names("Parents with Children")), {"妈妈", "刚满六十", "差一天六十", "登记有幼儿的爸爸"}
		)

	def test_all_residents(self):
		self.assertEqual(set(self.names("All Residents")), set(self.people))

	def test_a_grid_worker_finds_the_residents_of_their_grids_only(self):
		self.assertEqual(set(self.names("All Residents", WORKER)), self.mine)
		self.assertEqual(set(self.names("Elderly", WORKER)), {"独居老人", "刚满六十"})

	def test_who_may_not_read_ages_is_refused(self):
		frappe.set_user(MEDIATOR)
		try:
			with self.assertRaises(frappe.PermissionError):
				eligible_residents("Elderly", DAY)
		finally:
			frappe.set_user("Administrator")

	def test_the_activity_lists_eligible_residents_not_yet_signed_up(self):
		activity = make_community_activity(
			datetime.datetime.combine(DAY, datetime.time(9)),
			target_group="Elderly",
			capacity=10,
			community=self.community.name,
		)
		sign_up(activity.name, self.people["刚满六十"])
		frappe.set_user(WORKER)
		try:
			rows = get_eligible_residents(activity.name)
		finally:
			frappe.set_user("Administrator")
		# (The worker holds the grids of the class's earlier tests too.)
		rows = [row for row in rows if row["resident"] in self.people.values()]
		self.assertEqual([row["resident"] for row in rows], [self.people["独居老人"]])
		self.assertEqual(rows[0]["living_alone"], 1)
