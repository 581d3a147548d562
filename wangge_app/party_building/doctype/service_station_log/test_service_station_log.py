# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, today

from wangge_app.test_utils import make_service_station, make_station_log


class TestServiceStationLog(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.station = make_service_station(["Drinking Water", "Policy Consultation"]).name

	def test_negative_number_of_people_is_refused(self):
		count = frappe.db.count("Service Station Log")
		for people in (-3, 0):
			with self.assertRaisesRegex(frappe.ValidationError, "must be at least 1"):
				make_station_log(self.station, "Drinking Water", people)
		self.assertEqual(frappe.db.count("Service Station Log"), count)
		self.assertEqual(make_station_log(self.station, "Drinking Water", 6).people_count, 6)

	def test_service_must_be_offered_by_the_station(self):
		with self.assertRaisesRegex(frappe.ValidationError, "does not offer"):
			make_station_log(self.station, "Phone Charging", 2)

	def test_future_date_is_refused(self):
		with self.assertRaisesRegex(frappe.ValidationError, "future"):
			make_station_log(self.station, "Drinking Water", 2, log_date=add_days(today(), 1))

	def test_station_lists_a_service_once(self):
		with self.assertRaisesRegex(frappe.ValidationError, "listed once"):
			make_service_station(["Reading", "Reading"])
