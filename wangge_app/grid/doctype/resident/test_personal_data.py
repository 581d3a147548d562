# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Issue 10, finding 10: personal data at permission level 1.

ID number, date of birth, mobile, ethnicity and party membership of a resident, and a household's
phone and sensitive situation flags, are read by Community Managers, System Managers and Grid
Workers only. Community mediators read residents and households community-wide: they see the
masked copies instead, on every read path (form, REST, lists, report view, export, print).
"""

import datetime
import json

import frappe
from frappe.tests.utils import FrappeTestCase

from wangge_app.test_utils import (
	make_community_tree,
	make_household,
	make_id_number,
	make_resident,
	make_user,
)
from wangge_app.utils.masking import mask_id_number, mask_phone
from wangge_app.volunteer.test_utils import make_party_member, make_work_unit

RESIDENT_PROTECTED = (
	"id_number",
	"date_of_birth",
	"mobile",
	"ethnicity",
	"is_party_member",
	"is_elderly",
	"is_child",
	"has_disability",
)
HOUSEHOLD_PROTECTED = (
	"phone",
	"elderly_living_alone",
	"has_children_under_6",
	"low_income",
	"has_party_member",
)
MOBILE = "13912345678"


class TestPersonalData(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.mediator = make_user("pd-mediator@example.com", ["Community Mediator"]).name
		cls.worker = make_user("pd-worker@example.com", ["Grid Worker"]).name
		cls.manager = make_user("pd-manager@example.com", ["Community Manager"]).name
		_community, cls.grid, _micro = make_community_tree(workers=[cls.worker])
		cls.household = make_household(
			cls.grid.name,
			phone="0891-6234567",
			low_income=1,
			elderly_living_alone=1,
			has_children_under_6=1,
			has_party_member=1,
		)
		cls.id_number = make_id_number(datetime.date(1990, 1, 1))
		cls.resident = make_resident(
			cls.household.name,
			full_name="拉巴次仁",
			id_number=cls.id_number,
			mobile=MOBILE,
			ethnicity="藏族",
			is_party_member=1,
		)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.local.response = frappe._dict(docs=[])

	def assert_resident_hidden(self, values: dict):
		for fieldname in RESIDENT_PROTECTED:
			self.assertIn(values.get(fieldname), (None, 0, ""), fieldname)
		self.assertNotIn(self.id_number, json.dumps(values, default=str))
		self.assertNotIn(MOBILE, json.dumps(values, default=str))

	def assert_household_hidden(self, values: dict):
		for fieldname in HOUSEHOLD_PROTECTED:
			self.assertIn(values.get(fieldname), (None, 0, ""), fieldname)
		self.assertNotIn("6234567", json.dumps(values, default=str))

	def test_finding_10_personal_data_permlevel(self):
		from frappe.client import get, get_value
		from frappe.desk.form.load import getdoc

		frappe.set_user(self.mediator)
		self.assertTrue(frappe.has_permission("Resident", "read", doc=self.resident.name))
		frappe.local.response = frappe._dict(docs=[])

		# The form (getdoc) and the REST / client reads of one record.
		getdoc("Resident", self.resident.name)
		form = frappe.response.docs[0].as_dict()
		self.assert_resident_hidden(form)
		self.assertEqual(form["full_name"], "拉巴次仁")
		self.assertEqual(form["id_number_masked"], self.id_number[:6] + "********" + self.id_number[-4:])
		self.assertEqual(form["mobile_masked"], "139****5678")
		self.assert_resident_hidden(get("Resident", self.resident.name))
		self.assert_resident_hidden(
			get_value("Resident", ["id_number", "mobile", "full_name"], self.resident.name)
		)

		frappe.local.response = frappe._dict(docs=[])
		getdoc("Household", self.household.name)
		self.assert_household_hidden(frappe.response.docs[0].as_dict())
		self.assertEqual(frappe.response.docs[0].phone_masked, "089*-***4567")
		self.assert_household_hidden(get("Household", self.household.name))

		# Lists and the report view, with the fields asked for by name and with *.
		# (Naming protected fields in a request is refused outright: tests/http/test_scope_findings.py.)
		for fields in (["*"],):
			rows = frappe.get_list("Resident", filters={"name": self.resident.name}, fields=fields)
			self.assertEqual(len(rows), 1)
			self.assert_resident_hidden(rows[0])
		rows = frappe.get_list("Household", filters={"name": self.household.name}, fields=["*"])
		self.assert_household_hidden(rows[0])
		# The readers with access see everything.
		for user in (self.worker, self.manager):
			frappe.set_user(user)
			values = get("Resident", self.resident.name)
			self.assertEqual(
				(values["id_number"], values["mobile"], values["is_party_member"]),
				(self.id_number, MOBILE, 1),
			)
			values = frappe.get_list(
				"Household", filters={"name": self.household.name}, fields=["phone", "low_income"]
			)[0]
			self.assertEqual((values.phone, values.low_income), ("0891-6234567", 1))

	def test_report_view_and_export(self):
		from frappe.desk.reportview import export_query, get

		fields = ["name", "id_number", "mobile", "id_number_masked"]

		def ask(**params):
			frappe.local.form_dict = frappe._dict(
				doctype="Resident",
				fields=json.dumps([f"`tabResident`.`{field}`" for field in fields]),
				filters=json.dumps([["Resident", "name", "=", self.resident.name]]),
				**params,
			)

		frappe.set_user(self.mediator)
		ask()
		result = get()
		self.assertNotIn("id_number", result["keys"])
		self.assertNotIn("mobile", result["keys"])
		self.assertIn("id_number_masked", result["keys"])
		self.assertNotIn(self.id_number, json.dumps(result["values"]))

		# Mediators may not export at all; a grid worker's export holds the data of their grid.
		ask(file_format_type="CSV", title="Resident")
		self.assertRaises(frappe.PermissionError, export_query)
		frappe.set_user(self.worker)
		ask(file_format_type="CSV", title="Resident")
		export_query()
		self.assertIn(self.id_number, frappe.response.filecontent.decode())

	def test_standard_print_hides_personal_data(self):
		frappe.set_user(self.mediator)
		html = frappe.get_print("Resident", self.resident.name, "Standard")
		self.assertIn("拉巴次仁", html)
		self.assertNotIn(self.id_number, html)
		self.assertNotIn(MOBILE, html)
		self.assertIn(mask_id_number(self.id_number), html)
		html = frappe.get_print("Household", self.household.name, "Standard")
		self.assertNotIn("6234567", html)
		# The household's own print, the contact card, prints none of it either.
		self.assertNotIn("6234567", frappe.get_print("Household", self.household.name))

		frappe.set_user(self.worker)
		self.assertIn(self.id_number, frappe.get_print("Resident", self.resident.name, "Standard"))

	def test_masks_follow_the_data(self):
		self.assertEqual(mask_id_number("54010219900101390X"), "540102********390X")
		self.assertEqual(mask_phone("13912345678"), "139****5678")
		self.assertEqual(mask_phone("0891-6888888"), "089*-***8888")
		self.assertEqual((mask_id_number(None), mask_phone("")), ("", ""))

		resident = make_resident(self.household.name, mobile=MOBILE)
		resident.mobile = "13800001111"
		resident.save()
		self.assertEqual(resident.mobile_masked, "138****1111")
		resident.mobile = ""
		resident.save()
		self.assertEqual(resident.mobile_masked, "")

		member = make_party_member(make_work_unit().name, mobile="13512345678")
		self.assertEqual(member.mobile_masked, "135****5678")
		self.assertEqual(frappe.get_meta("In-service Party Member").get_field("mobile").permlevel, 1)

	def test_patch_fills_the_masks_of_existing_records(self):
		from wangge_app.patches.v1 import fill_masked_personal_data

		frappe.db.set_value("Resident", self.resident.name, {"id_number_masked": None, "mobile_masked": None})
		frappe.db.set_value("Household", self.household.name, "phone_masked", None)
		fill_masked_personal_data.execute()
		self.assertEqual(
			frappe.db.get_value("Resident", self.resident.name, ["id_number_masked", "mobile_masked"]),
			(mask_id_number(self.id_number), "139****5678"),
		)
		self.assertEqual(
			frappe.db.get_value("Household", self.household.name, "phone_masked"), "089*-***4567"
		)

	def test_version_history_sent_with_the_form_hides_personal_data(self):
		# The desk loads a form through frappe.desk.form.load.getdoc, which the app overrides.
		getdoc = frappe.get_attr(
			frappe.get_hooks("override_whitelisted_methods")["frappe.desk.form.load.getdoc"][-1]
		)

		resident = make_resident(self.household.name, mobile=MOBILE)
		frappe.set_user(self.manager)
		resident = frappe.get_doc("Resident", resident.name)
		resident.mobile = "13700002222"
		resident.has_disability = 1
		resident.save(ignore_version=False)  # tests skip versions unless asked
		household = make_household(self.grid.name, phone=MOBILE, low_income=1)
		household = frappe.get_doc("Household", household.name)
		household.low_income = 0
		household.renter = 1
		household.save(ignore_version=False)

		def versions_seen_by(user, doctype, name):
			frappe.set_user(user)
			frappe.local.response = frappe._dict(docs=[])
			getdoc(doctype, name)
			return json.loads(json.dumps(frappe.response.docinfo.versions, default=str))

		# The mediator sees that the fields changed, not their values.
		changes = [
			change
			for version in versions_seen_by(self.mediator, "Resident", resident.name)
			for change in json.loads(version["data"]).get("changed", [])
		]
		self.assertIn(["mobile", "***", "***"], changes)
		self.assertIn(["has_disability", "***", "***"], changes)
		self.assertNotIn("13700002222", json.dumps(changes))
		self.assertNotIn(MOBILE, json.dumps(changes))
		changes = [
			change
			for version in versions_seen_by(self.mediator, "Household", household.name)
			for change in json.loads(version["data"]).get("changed", [])
		]
		self.assertIn(["low_income", "***", "***"], changes)
		self.assertIn(["renter", 0, 1], changes)
		# The manager keeps the whole history.
		self.assertIn("13700002222", json.dumps(versions_seen_by(self.manager, "Resident", resident.name)))
