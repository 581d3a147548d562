# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import datetime
import json

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_years, getdate, today

from wangge_app.test_utils import (
	make_community_tree,
	make_grid,
	make_household,
	make_id_number,
	make_resident,
	make_user,
)
from wangge_app.utils.identity import id_check_character


class TestResident(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		_, cls.grid, _ = make_community_tree()
		cls.household = make_household(cls.grid.name)

	def tearDown(self):
		frappe.local.lang = "en"

	def test_gender_and_birth_date_come_from_the_id_number(self):
		resident = make_resident(self.household.name, id_number="11010519491231002x", full_name=" 达瓦 ")
		self.assertEqual(resident.id_number, "11010519491231002X")
		self.assertEqual(resident.gender, "Female")
		self.assertEqual(str(resident.date_of_birth), "1949-12-31")
		self.assertEqual(resident.full_name, "达瓦")
		self.assertEqual(resident.grid, self.grid.name)

		male = make_resident(self.household.name, date_of_birth=datetime.date(1990, 2, 28), gender="Male")
		self.assertEqual((male.gender, str(male.date_of_birth)), ("Male", "1990-02-28"))

	def test_elderly_and_child_tags_follow_age(self):
		sixty_today = add_years(getdate(today()), -60)
		elderly = make_resident(self.household.name, date_of_birth=sixty_today)
		self.assertEqual((elderly.is_elderly, elderly.is_child), (1, 0))
		almost_sixty = make_resident(
			self.household.name, date_of_birth=sixty_today + datetime.timedelta(days=1)
		)
		self.assertEqual(almost_sixty.is_elderly, 0)
		child = make_resident(self.household.name, date_of_birth=add_years(getdate(today()), -5))
		self.assertEqual((child.is_elderly, child.is_child), (0, 1))

	def test_invalid_id_numbers_are_refused_with_their_reason(self):
		valid = make_id_number(datetime.date(1985, 6, 1))
		wrong_check = valid[:-1] + ("0" if valid[-1] != "0" else "1")
		bad_date = "540102" + "19990230" + "123"
		cases = {
			valid[:-1]: "exactly 18 characters",
			"54010219850601A23X": "17 digits",
			"990102198506011234": "region code",
			bad_date + id_check_character(bad_date): "date of birth",
			wrong_check: "check digit",
		}
		count = frappe.db.count("Resident")
		for id_number, reason in cases.items():
			with self.subTest(id_number=id_number):
				with self.assertRaisesRegex(frappe.ValidationError, reason):
					make_resident(self.household.name, id_number=id_number)
		self.assertEqual(frappe.db.count("Resident"), count)

	def test_id_number_is_unique(self):
		resident = make_resident(self.household.name)
		with self.assertRaisesRegex(frappe.DuplicateEntryError, "already registered"):
			make_resident(self.household.name, id_number=resident.id_number)

	def test_mobile_numbers(self):
		resident = make_resident(self.household.name, mobile="0086 139 0891 0000")
		self.assertEqual(resident.mobile, "13908910000")
		for mobile in ("12908910000", "1390891000", "139089100001", "0891-6321234", "1390891000a"):
			with self.subTest(mobile=mobile):
				with self.assertRaisesRegex(frappe.ValidationError, "Invalid mobile number"):
					make_resident(self.household.name, mobile=mobile)

	def test_errors_are_in_chinese_for_chinese_users(self):
		frappe.local.lang = "zh"
		with self.assertRaisesRegex(frappe.ValidationError, "身份证号.*校验码"):
			valid = make_id_number(datetime.date(1975, 3, 3))
			make_resident(self.household.name, id_number=valid[:-1] + ("0" if valid[-1] != "0" else "1"))
		with self.assertRaisesRegex(frappe.ValidationError, "手机号"):
			make_resident(self.household.name, mobile="12345")


class TestResidentErrorMessages(FrappeTestCase):
	"""Issue 10, finding 12: errors must not tell a grid worker about residents of other grids."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.worker = make_user("res-err-worker@example.com", ["Grid Worker"]).name
		community, cls.grid, _micro = make_community_tree(workers=[cls.worker])
		cls.other_grid = make_grid("Grid", community.name, grid_name="幸福社区第九网格")
		cls.household = make_household(cls.grid.name)
		cls.other_household = make_household(cls.other_grid.name, building="9", room="909")
		cls.elsewhere = make_resident(cls.other_household.name, full_name="格桑曲珍")
		cls.here = make_resident(cls.household.name, full_name="尼玛次仁")

	def tearDown(self):
		frappe.set_user("Administrator")

	def test_finding_12_error_messages_leak(self):
		count = frappe.db.count("Resident")
		frappe.set_user(self.worker)
		self.assertFalse(frappe.has_permission("Resident", "read", doc=self.elsewhere.name))
		frappe.clear_messages()
		with self.assertRaises(frappe.DuplicateEntryError) as raised:
			make_resident(self.household.name, full_name="新居民", id_number=self.elsewhere.id_number)
		message = str(raised.exception) + json.dumps(frappe.message_log, default=str)
		self.assertIn("cannot be registered here", message)
		self.assertIn("community office", message)
		for secret in (
			"格桑曲珍",
			self.elsewhere.name,
			self.other_grid.name,
			"第九网格",
			self.other_household.address,
			self.other_household.name,
		):
			self.assertNotIn(secret, message)

		# A duplicate the worker may read is named as before.
		with self.assertRaisesRegex(frappe.DuplicateEntryError, "already registered"):
			make_resident(self.household.name, id_number=self.here.id_number)
		self.assertEqual(frappe.db.count("Resident"), count)
