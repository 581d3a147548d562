# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The field app's submission endpoint (wangge_app.field.api.submit) in-process: one key, one record,
replays answered with it; refusals kept against the key; another user's key refused. The races over
HTTP are in tests/http/test_field_app.py."""

import base64
import io
import uuid

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import getdate
from PIL import Image

from wangge_app.field import api
from wangge_app.test_utils import make_community_tree, make_grid, make_household, make_user

WORKER = "field-worker@example.com"
OTHER_WORKER = "field-other-worker@example.com"


def photo_data(colour=(200, 40, 40)) -> str:
	image = Image.new("RGB", (64, 48), colour)
	buffer = io.BytesIO()
	image.save(buffer, format="JPEG")
	return "data:image/jpeg;base64," + base64.b64encode(buffer.getvalue()).decode()


def new_key() -> str:
	return str(uuid.uuid4())


class TestFieldSubmission(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(WORKER, ["Grid Worker"], first_name="旺姆")
		make_user(OTHER_WORKER, ["Grid Worker"])
		for user in (WORKER, OTHER_WORKER):
			frappe.db.set_value("Notification Settings", user, "enable_email_notifications", 0)
		cls.community, cls.grid, cls.micro_grid = make_community_tree(workers=[WORKER])
		cls.other_grid = make_grid("Grid", cls.community.name, workers=[OTHER_WORKER])
		cls.household = make_household(cls.micro_grid.name, building="5", room="202")
		cls.other_household = make_household(cls.other_grid.name, building="6", room="101")

	def tearDown(self):
		frappe.set_user("Administrator")

	def visit_values(self, household=None, **values):
		return {
			"household": household or self.household.name,
			"visit_date": str(getdate()),
			"findings": "老人身体尚好，楼道灯坏了。",
			"latitude": 29.652491,
			"longitude": 91.172112,
			"location_accuracy": 12.5,
			**values,
		}

	def test_one_key_makes_one_visit_with_its_location_and_photos(self):
		frappe.set_user(WORKER)
		key = new_key()
		photos = [photo_data(), photo_data((20, 120, 20))]
		first = api.submit(key, "Household Visit", self.visit_values(), photos)
		self.assertEqual(first["status"], api.RECORDED, first)
		visit = frappe.get_doc("Household Visit", first["name"])
		self.assertEqual(
			(visit.household, visit.grid, visit.visited_by),
			(self.household.name, self.micro_grid.name, WORKER),
		)
		self.assertAlmostEqual(visit.latitude, 29.652491, places=6)
		self.assertAlmostEqual(visit.longitude, 91.172112, places=6)
		self.assertAlmostEqual(visit.location_accuracy, 12.5)
		files = frappe.get_all(
			"File", {"attached_to_doctype": "Household Visit", "attached_to_name": visit.name}, ["is_private"]
		)
		self.assertEqual([file.is_private for file in files], [1, 1])
		# A replay (the queue sent again, a double tap) answers the same record and makes nothing more.
		count = frappe.db.count("Household Visit", {"household": self.household.name})
		again = api.submit(key, "Household Visit", self.visit_values(findings="又发了一次"), photos)
		self.assertEqual(again, first)
		self.assertEqual(frappe.db.count("Household Visit", {"household": self.household.name}), count)
		self.assertEqual(frappe.db.get_value(api.FIELD_SUBMISSION, key, "owner"), WORKER)

	def test_a_request_and_a_hazard_with_photos(self):
		frappe.set_user(WORKER)
		request = api.submit(
			new_key(),
			"Resident Request",
			{
				"household": self.household.name,
				"subject": "楼道灯不亮",
				"category": frappe.get_all("Request Category", pluck="name", limit=1)[0],
				"grade": frappe.get_all("Request Grade", pluck="name", limit=1)[0],
				"description": "三单元楼道灯坏了一周。",
				"latitude": 29.65,
				"longitude": 91.17,
			},
			[photo_data()],
		)
		self.assertEqual(request["status"], api.RECORDED, request)
		doc = frappe.get_doc("Resident Request", request["name"])
		self.assertEqual((doc.grid, doc.channel), (self.micro_grid.name, "Home Visit"))
		self.assertTrue(doc.photo.startswith("/private/files/"))
		self.assertTrue(doc.next_due_by, "the desk's due times apply")
		hazard = api.submit(
			new_key(),
			"Safety Hazard",
			{
				"hazard_title": "燃气软管老化",
				"category": "Gas",
				"found_on": str(getdate()),
				"household": self.household.name,
				"description": "厨房燃气软管开裂。",
			},
			[photo_data(), photo_data((0, 0, 200))],
		)
		self.assertEqual(hazard["status"], api.RECORDED, hazard)
		doc = frappe.get_doc("Safety Hazard", hazard["name"])
		self.assertEqual(doc.grid, self.micro_grid.name)
		self.assertEqual(len(doc.photos), 2)
		self.assertTrue(all(row.photo.startswith("/private/files/") for row in doc.photos))

	def test_another_grids_household_is_refused_and_the_refusal_kept(self):
		frappe.set_user(WORKER)
		key = new_key()
		count = frappe.db.count("Household Visit")
		refused = api.submit(
			key, "Household Visit", self.visit_values(self.other_household.name), [photo_data()]
		)
		self.assertEqual(refused["status"], api.REFUSED, refused)
		# The permission layer's own message, as the desk shows it, without markup.
		self.assertIn("lies outside your grids", refused["message"])
		self.assertIn(self.other_household.name, refused["message"])
		self.assertNotIn("<", refused["message"])
		self.assertIsNone(refused["name"])
		self.assertEqual(frappe.db.count("Household Visit"), count)
		# The replay answers the same refusal, with its text.
		self.assertEqual(api.submit(key, "Household Visit", self.visit_values()), refused)
		stored = frappe.db.get_value(
			api.FIELD_SUBMISSION, key, ["status", "error_message", "grid"], as_dict=True
		)
		self.assertEqual(
			(stored.status, stored.error_message, stored.grid),
			(api.REFUSED, refused["message"], self.other_grid.name),
		)

	def test_a_validation_error_is_kept_against_the_key(self):
		frappe.set_user(WORKER)
		key = new_key()
		refused = api.submit(key, "Household Visit", self.visit_values(findings=""))
		self.assertEqual(refused["status"], api.REFUSED)
		self.assertTrue(refused["message"])

	def test_another_users_key_is_refused(self):
		frappe.set_user(WORKER)
		key = new_key()
		first = api.submit(key, "Household Visit", self.visit_values())
		frappe.set_user(OTHER_WORKER)
		self.assertRaises(frappe.PermissionError, api.submit, key, "Household Visit", self.visit_values())
		frappe.set_user(WORKER)
		self.assertEqual(api.submit(key, "Household Visit", self.visit_values()), first)

	def test_bad_input_is_refused_before_anything_is_kept(self):
		frappe.set_user(WORKER)
		for key, doctype, values, photos in (
			("short", "Household Visit", self.visit_values(), None),
			(new_key(), "Dispute Case", self.visit_values(), None),
			(new_key(), "Household Visit", {**self.visit_values(), "grid": self.other_grid.name}, None),
			(new_key(), "Household Visit", self.visit_values(latitude=123), None),
			(new_key(), "Household Visit", self.visit_values(), ["not an image"]),
			(new_key(), "Household Visit", self.visit_values(), [base64.b64encode(b"GIF89a...").decode()]),
		):
			with self.subTest(key=key, doctype=doctype):
				self.assertRaises(frappe.ValidationError, api.submit, key, doctype, values, photos)
				self.assertFalse(frappe.db.exists(api.FIELD_SUBMISSION, key))

	def test_today_lists_what_is_due_in_the_users_grids(self):
		frappe.set_user(WORKER)
		today = api.today()
		names = [row.name for row in today["households"]]
		self.assertNotIn(self.other_household.name, names)
		self.assertTrue(all(row.name != self.other_household.name for row in api.search_households("6-")))
		found = api.search_households(self.household.address[:6])
		self.assertIn(self.household.name, [row.name for row in found])
		self.assertEqual(today["user"], WORKER)
		self.assertTrue(today["csrf_token"])
