# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt


import frappe
from frappe.tests.utils import FrappeTestCase

from wangge_app.grid.doctype.grid.grid import get_children
from wangge_app.test_utils import (
	make_community_tree,
	make_grid,
	make_household,
	make_resident,
	make_user,
	pdf_text,
	render_pdf,
)

WORKER = "hh-worker@example.com"
OTHER_WORKER = "hh-other-worker@example.com"


class TestHousehold(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(WORKER, ["Grid Worker"], mobile_no="13908901234", first_name="卓玛")
		make_user(OTHER_WORKER, ["Grid Worker"])
		cls.community, cls.grid, cls.micro_grid = make_community_tree(workers=[WORKER])
		cls.other_grid = make_grid("Grid", cls.community.name, workers=[OTHER_WORKER])

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_address_is_composed_from_its_parts(self):
		household = make_household(self.grid.name, building="3", unit="2", room="501")
		self.assertEqual(household.address, "3栋2单元501室")
		household = make_household(self.grid.name, building="幸福苑A座", unit="", room="1102")
		self.assertEqual(household.address, "幸福苑A座1102室")

	def test_household_on_a_community_node_is_refused(self):
		count = frappe.db.count("Household")
		with self.assertRaisesRegex(frappe.ValidationError, "not to the community"):
			make_household(self.community.name)
		self.assertEqual(frappe.db.count("Household"), count)

	def test_head_of_household_lives_in_the_household(self):
		household = make_household(self.grid.name)
		neighbour = make_household(self.grid.name)
		head = make_resident(household.name)
		stranger = make_resident(neighbour.name, full_name="扎西")

		household.head_of_household = stranger.name
		with self.assertRaisesRegex(frappe.ValidationError, "head of household"):
			household.save()
		household.reload()
		household.head_of_household = head.name
		household.save()
		self.assertEqual(household.head_of_household_name, "次仁白玛")

	def test_phone_accepts_mobile_and_landline_only(self):
		household = make_household(self.grid.name, phone="+86 139-0891-2345")
		self.assertEqual(household.phone, "13908912345")
		household.phone = "0891-6321234"
		household.save()
		household.reload()
		household.phone = "12345"
		with self.assertRaisesRegex(frappe.ValidationError, "Invalid mobile number"):
			household.save()

	def test_moving_a_household_moves_its_residents(self):
		household = make_household(self.micro_grid.name)
		resident = make_resident(household.name)
		household.grid = self.other_grid.name
		household.save()
		self.assertEqual(frappe.db.get_value("Resident", resident.name, "grid"), self.other_grid.name)

	def test_grid_worker_sees_only_own_grids(self):
		own = make_household(self.grid.name)
		own_micro = make_household(self.micro_grid.name)
		foreign = make_household(self.other_grid.name)
		own_resident = make_resident(own_micro.name)
		foreign_resident = make_resident(foreign.name, full_name="边巴")
		in_own_grids = frappe.db.count("Household", {"grid": ("in", [self.grid.name, self.micro_grid.name])})

		frappe.set_user(WORKER)
		visible = set(frappe.get_list("Household", pluck="name", limit_page_length=0))
		self.assertIn(own.name, visible)
		self.assertIn(own_micro.name, visible)
		self.assertNotIn(foreign.name, visible)
		self.assertTrue(frappe.has_permission("Household", "write", doc=own.name))
		self.assertFalse(frappe.has_permission("Household", "read", doc=foreign.name))

		residents = set(frappe.get_list("Resident", pluck="name", limit_page_length=0))
		self.assertIn(own_resident.name, residents)
		self.assertNotIn(foreign_resident.name, residents)
		self.assertFalse(frappe.has_permission("Resident", "read", doc=foreign_resident.name))

		# Their own grid and micro-grid, not the neighbouring grid.
		grids = set(frappe.get_list("Grid", pluck="name", limit_page_length=0))
		self.assertEqual(grids, {self.grid.name, self.micro_grid.name})
		self.assertEqual(frappe.get_doc("Grid", self.grid.name).household_count, in_own_grids)

		# The tree view starts at their grid, since the community above it is hidden from them.
		roots = get_children("Grid", "")
		self.assertEqual([node.value for node in roots], [self.grid.name])
		self.assertEqual(
			[node.value for node in get_children("Grid", self.grid.name)], [self.micro_grid.name]
		)

		with self.assertRaises(frappe.PermissionError):
			make_household(self.other_grid.name)
		with self.assertRaises(frappe.PermissionError):
			make_resident(foreign.name)
		# A grid worker can register in their own grids.
		self.assertEqual(make_resident(own.name, full_name="平措").grid, self.grid.name)

	def test_connections_list_the_households_visits_and_cases(self):
		from wangge_app.engine_guards import get_open_count
		from wangge_app.resident_services.test_utils import make_request
		from wangge_app.safety.test_utils import make_hazard

		household = make_household(self.grid.name)
		linked = {
			item
			for group in frappe.get_meta("Household").get_dashboard_data().transactions
			for item in group["items"]
		}
		for doctype in (
			"Resident",
			"Household Visit",
			"Resident Request",
			"Assisted Service Request",
			"Safety Hazard",
			"Safety Inspection",
		):
			self.assertIn(doctype, linked)
		visit = frappe.get_doc(
			{
				"doctype": "Household Visit",
				"household": household.name,
				"purpose": frappe.get_meta("Household Visit").get_field("purpose").options.split("\n")[-1],
				"visit_date": frappe.utils.today(),
				"findings": "家中一切正常。",
			}
		).insert()
		make_request(self.grid.name, household=household.name)
		make_hazard(household.name)
		frappe.set_user(WORKER)
		counts = {
			found["doctype"]: found["count"]
			for found in get_open_count("Household", household.name)["count"]["external_links_found"]
		}
		self.assertEqual(counts["Household Visit"], 1, counts)
		self.assertEqual(counts["Resident Request"], 1, counts)
		self.assertEqual(counts["Safety Hazard"], 1, counts)
		self.assertTrue(visit.name)

	def test_unassigning_a_worker_revokes_access(self):
		grid = frappe.get_doc("Grid", self.other_grid.name)
		household = make_household(grid.name)
		permission = {"user": OTHER_WORKER, "allow": "Grid", "for_value": grid.name}
		self.assertTrue(frappe.db.exists("User Permission", permission))

		grid.grid_workers = []
		grid.save()
		self.assertFalse(frappe.db.exists("User Permission", permission))

		frappe.set_user(OTHER_WORKER)
		self.assertFalse(frappe.has_permission("Household", "read", doc=household.name))
		self.assertEqual(frappe.get_list("Household", pluck="name", limit_page_length=0), [])

		frappe.set_user("Administrator")
		grid.append("grid_workers", {"user": OTHER_WORKER})
		grid.save()
		frappe.set_user(OTHER_WORKER)
		self.assertTrue(frappe.has_permission("Household", "read", doc=household.name))


class TestHouseholdContactCard(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(WORKER, ["Grid Worker"], mobile_no="13908901234", first_name="卓玛")
		cls.community, cls.grid, cls.micro_grid = make_community_tree(workers=[WORKER])
		frappe.db.set_value("Grid", cls.grid.name, "grid_name", "幸福社区第一网格")
		frappe.db.set_value("Grid", cls.micro_grid.name, "grid_name", "1号微网格")
		cls.household = make_household(
			cls.micro_grid.name, building="5", unit="1", room="302", contact_card_no="XF-T-0001"
		)

	def test_card_names_the_full_time_worker_above_a_part_time_one(self):
		make_user("hh-part-time@example.com", ["Grid Worker"], mobile_no="13908905678", first_name="普布")
		micro_grid = frappe.get_doc("Grid", self.micro_grid.name)
		micro_grid.append("grid_workers", {"user": "hh-part-time@example.com", "full_time": 0})
		micro_grid.save()
		html = frappe.get_print("Household", self.household.name, "Household Contact Card")
		self.assertIn("13908901234", html)
		self.assertNotIn("13908905678", html)

	def test_card_html_names_grid_worker_and_hotline(self):
		html = frappe.get_print("Household", self.household.name, "Household Contact Card")
		for text in (
			"网格便民服务联络卡",
			"幸福社区第一网格 / 1号微网格",
			"卓玛",
			"13908901234",
			"0891-6888888",
			"5栋1单元302室",
			"XF-T-0001",
		):
			self.assertIn(text, html)

	def test_card_pdf_has_chinese_text(self):
		reader = render_pdf("Household", self.household.name, "Household Contact Card")
		text = pdf_text(reader)
		for expected in (
			"网格便民服务联络卡",
			"幸福社区第一网格/1号微网格",
			"卓玛",
			"13908901234",
			"0891-6888888",
			"住户地址",
			"服务就在家门口",
		):
			self.assertIn(expected, text)
		# Its Tibetan is in the text layer once each, right: no second, garbled copy of a stacked letter.
		tibetan = [
			frappe._(source, lang="bo")
			for source in (
				"Grid Convenience Service Contact Card",
				"Community",
				"Grid",
				"Grid Worker",
				"Community Service Hotline",
				"Household Address",
				"Contact Card No.",
				"Scan to send a request",
				"Need help? Call your grid worker: service at your door.",
			)
		]
		title = "".join(tibetan[0].split())
		self.assertEqual(text.count(title), 1, text)
		rest = text
		for words in sorted(tibetan, key=len, reverse=True):
			rest = rest.replace("".join(words.split()), "")
		self.assertEqual(
			[c for c in rest if "\u0f00" <= c <= "\u0fff" or "\ue000" <= c <= "\uf8ff" or c == "\ufffd"], []
		)
		# The card is card-sized, 100 mm by 70 mm in points, and fits on one card.
		self.assertEqual(len(reader.pages), 1)
		box = reader.pages[0].mediabox
		self.assertAlmostEqual(float(box.width), 100 / 25.4 * 72, delta=3)
		self.assertAlmostEqual(float(box.height), 70 / 25.4 * 72, delta=3)
