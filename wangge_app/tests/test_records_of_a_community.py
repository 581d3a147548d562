# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Records of a community on a district's site: spaces, bookings, resident groups, activities,
programmes, service stations and their logs belong to a community; its staff and grid workers see
them, another community's staff do not, and the district's staff see all."""

import datetime

import frappe
from frappe.tests.utils import FrappeTestCase

from wangge_app.community_life.test_utils import make_booking, make_community_activity, make_space
from wangge_app.grid.doctype.grid.test_district import make_district
from wangge_app.patches.v1 import set_community_of_community_records
from wangge_app.test_utils import (
	make_service_station,
	make_station_log,
	make_user,
	scope_user_to_grid,
	unique_code,
)
from wangge_app.volunteer.test_utils import make_party_member, make_work_unit

MANAGER_A = "community-records-manager-a@example.com"
WORKER_A = "community-records-worker-a@example.com"
DISTRICT_MANAGER = "community-records-district@example.com"
DAY = datetime.date(2027, 3, 2)


def make_group(community: str | None, residents: list[str] = (), **fields):
	return frappe.get_doc(
		{
			"doctype": "Resident Group",
			"group_name": unique_code("艺术团"),
			"group_type": "Art Troupe",
			"community": community,
			"members": [{"resident": resident} for resident in residents],
			**fields,
		}
	).insert()


class TestRecordsOfACommunity(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.tree = make_district()
		make_user(MANAGER_A, ["Community Manager"])
		make_user(WORKER_A, ["Grid Worker"])
		make_user(DISTRICT_MANAGER, ["District Manager"])
		scope_user_to_grid(MANAGER_A, cls.tree.community_a)
		scope_user_to_grid(WORKER_A, cls.tree.grid_a)
		frappe.clear_cache()
		cls.service = frappe.get_doc(
			{"doctype": "Station Service", "service_name": unique_code("理发")}
		).insert()

	def tearDown(self):
		frappe.set_user("Administrator")

	def records_of(self, key: str) -> dict:
		"""A space, a booking of it, a group with the community's resident, an activity, a programme, a
		station and a log of it, in community `key`."""
		tree = self.tree
		community = tree[f"community_{key}"]
		space = make_space(community=community)
		station = make_service_station([self.service.name], community=community)
		return {
			"Community Space": space.name,
			"Space Booking": make_booking(
				space.name,
				datetime.datetime.combine(DAY, datetime.time(9)),
				datetime.datetime.combine(DAY, datetime.time(10)),
			).name,
			"Resident Group": make_group(community, [tree[f"resident_{key}"]]).name,
			"Community Activity": make_community_activity(community=community).name,
			"Activity Programme": frappe.get_doc(
				{
					"doctype": "Activity Programme",
					"series": unique_code("系列"),
					"year": 2027,
					"community": community,
				}
			)
			.insert()
			.name,
			"Party Mass Service Station": station.name,
			"Service Station Log": make_station_log(station.name, self.service.name, 2).name,
		}

	def test_a_community_sees_its_own_and_nothing_of_another(self):
		own, other = self.records_of("a"), self.records_of("b")
		for user, doctypes_read in (
			(MANAGER_A, own),
			# A grid worker reads the community's spaces, activities and stations, not its groups.
			(WORKER_A, {doctype: name for doctype, name in own.items() if doctype != "Resident Group"}),
		):
			frappe.set_user(user)
			for doctype, name in own.items():
				self.assertFalse(frappe.has_permission(doctype, "read", doc=other[doctype]), (user, doctype))
				if doctype not in doctypes_read:
					self.assertFalse(frappe.has_permission(doctype, "read", doc=name), (user, doctype))
					continue
				self.assertTrue(frappe.has_permission(doctype, "read", doc=name), (user, doctype))
				self.assertEqual(
					frappe.get_list(doctype, {"name": name}, pluck="name"), [name], (user, doctype)
				)
				self.assertFalse(frappe.get_list(doctype, {"name": other[doctype]}), (user, doctype))
		frappe.set_user(MANAGER_A)
		self.assertFalse(
			frappe.get_list(
				"Resident Group Member", {"parent": other["Resident Group"]}, parent_doctype="Resident Group"
			)
		)
		frappe.set_user(DISTRICT_MANAGER)
		for doctype in own:
			names = set(frappe.get_list(doctype, pluck="name", limit_page_length=0))
			self.assertLessEqual({own[doctype], other[doctype]}, names, doctype)

	def test_the_community_comes_from_the_user_the_source_or_the_grid_chosen(self):
		tree = self.tree
		frappe.set_user(MANAGER_A)
		space = frappe.get_doc(
			{"doctype": "Community Space", "space_name": unique_code("活动室"), "space_type": "Room"}
		).insert()
		self.assertEqual(space.community, tree.community_a)
		frappe.set_user("Administrator")
		station = make_service_station([self.service.name], community=tree.community_a)
		frappe.set_user(WORKER_A)
		log = make_station_log(station.name, self.service.name, 3)
		self.assertEqual(log.community, tree.community_a)  # the station's
		frappe.set_user("Administrator")
		group = make_group(tree.micro_b)
		self.assertEqual(group.community, tree.community_b)
		with self.assertRaisesRegex(frappe.ValidationError, "is not a community"):
			make_group(tree.sub_district)
		# Several communities and none chosen: the administrator must choose.
		with self.assertRaises(frappe.MandatoryError):
			make_group(None)

	def test_a_community_manager_keeps_records_in_their_community(self):
		tree = self.tree
		frappe.set_user(MANAGER_A)
		with self.assertRaises(frappe.PermissionError):
			make_space(community=tree.community_b)
		frappe.set_user("Administrator")
		other_space = make_space(community=tree.community_b).name
		frappe.set_user(MANAGER_A)
		with self.assertRaises(frappe.PermissionError):
			make_group(tree.community_a, regular_spaces=[{"space": other_space}])

	def test_two_communities_may_give_a_record_the_same_name(self):
		"""A room, a group, a station and a programme named alike in two communities of the district: the
		second is named with its community; within one community a name is taken once."""
		tree = self.tree
		space_name, group_name, station_name, series = (
			unique_code(word) for word in ("活动室", "艺术团", "党群服务V站", "一老一小")
		)
		programme = {"doctype": "Activity Programme", "series": series, "year": 2027}
		frappe.set_user(MANAGER_A)
		own = {
			"Community Space": make_space(space_name, community=tree.community_a).name,
			"Resident Group": make_group(None, group_name=group_name).name,  # the manager's own community
			"Party Mass Service Station": make_service_station(
				[self.service.name], station_name=station_name, community=tree.community_a
			).name,
			"Activity Programme": frappe.get_doc(programme).insert().name,
		}
		self.assertEqual(list(own.values()), [space_name, group_name, station_name, f"{series}-2027"])
		with self.assertRaises(frappe.DuplicateEntryError):
			make_space(space_name, community=tree.community_a)
		frappe.set_user("Administrator")
		community_b = tree.community_b
		community_name = frappe.db.get_value("Grid", community_b, "grid_name")
		other = {
			"Community Space": make_space(space_name, community=community_b),
			"Resident Group": make_group(community_b, group_name=group_name),
			"Party Mass Service Station": make_service_station(
				[self.service.name], station_name=station_name, community=community_b
			),
			"Activity Programme": frappe.get_doc({**programme, "community": community_b}).insert(),
		}
		for doctype, doc in other.items():
			self.assertEqual(doc.name, f"{own[doctype]}（{community_name}）", doctype)
			self.assertEqual(doc.community, community_b, doctype)
		frappe.set_user(MANAGER_A)
		for doctype, name in own.items():
			self.assertEqual(frappe.get_list(doctype, {"name": ("like", f"{name}%")}, pluck="name"), [name])

	def test_links_stay_inside_the_community_for_every_user(self):
		"""Even an administrator cannot put another community's resident in a group: that community's
		staff would read the name."""
		tree = self.tree
		before = frappe.db.count("Resident Group")
		with self.assertRaisesRegex(frappe.ValidationError, "is not of community"):
			make_group(tree.community_a, [tree.resident_a, tree.resident_b])
		space_b = make_space(community=tree.community_b).name
		with self.assertRaisesRegex(frappe.ValidationError, "is not of community"):
			make_group(tree.community_a, regular_spaces=[{"space": space_b}])
		member_b = make_party_member(make_work_unit(unique_code("单位")).name, grid=tree.grid_b).name
		with self.assertRaisesRegex(frappe.ValidationError, "is not of community"):
			make_community_activity(
				community=tree.community_a,
				points_per_volunteer=1,
				volunteers=[{"member": member_b, "task": "引导"}],
			)
		self.assertEqual(frappe.db.count("Resident Group"), before)

	def test_patch_gives_a_site_of_one_community_its_community(self):
		tree = self.tree
		space = make_space(community=tree.community_a)
		booking = make_booking(
			space.name,
			datetime.datetime.combine(DAY, datetime.time(9)),
			datetime.datetime.combine(DAY, datetime.time(10)),
		)
		for doctype, name in (("Community Space", space.name), ("Space Booking", booking.name)):
			frappe.db.set_value(doctype, name, "community", None, update_modified=False)
		# Several communities: the booking cannot take its space's, which has none yet; nothing is guessed.
		set_community_of_community_records.execute()
		self.assertIsNone(frappe.db.get_value("Space Booking", booking.name, "community"))
		frappe.db.set_value("Community Space", space.name, "community", tree.community_a)
		set_community_of_community_records.execute()
		self.assertEqual(frappe.db.get_value("Space Booking", booking.name, "community"), tree.community_a)
		# One community on the site: every record takes it.
		others = frappe.get_all(
			"Grid", {"grid_level": "Community", "name": ("!=", tree.community_a)}, pluck="name"
		)
		frappe.db.set_value("Grid", {"name": ("in", others)}, "grid_level", "Grid", update_modified=False)
		self.addCleanup(
			frappe.db.set_value,
			"Grid",
			{"name": ("in", others)},
			"grid_level",
			"Community",
			update_modified=False,
		)
		frappe.db.set_value("Community Space", space.name, "community", None, update_modified=False)
		set_community_of_community_records.execute()
		self.assertEqual(frappe.db.get_value("Community Space", space.name, "community"), tree.community_a)
