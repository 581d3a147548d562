# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from wangge_app.volunteer import points
from wangge_app.volunteer.test_utils import make_adjustment, make_party_member, make_work_unit


class TestPointsAdjustment(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.member = make_party_member(make_work_unit().name).name

	def test_adjustment_writes_one_entry_and_cancel_reverses_it(self):
		before = points.get_kept_balance(self.member)
		adjustment = make_adjustment(self.member, 12, reason="补录2024年活动积分")
		entry = frappe.get_doc("Volunteer Points Entry", {"voucher_no": adjustment.name})
		self.assertEqual(
			(entry.points, entry.entry_type, entry.remarks), (12, "Adjustment", "补录2024年活动积分")
		)
		self.assertEqual(points.get_kept_balance(self.member), before + 12)
		adjustment.cancel()
		self.assertEqual(points.get_kept_balance(self.member), before)
		self.assertEqual(points.sum_ledger_balance(self.member), before)

	def test_deduction_below_zero_is_refused_and_nothing_saved(self):
		make_adjustment(self.member, 3)
		balance = points.get_kept_balance(self.member)
		entries = frappe.db.count("Volunteer Points Entry")
		adjustment = make_adjustment(self.member, -(balance + 1), submit=False)
		with self.assertRaisesRegex(points.NegativeBalanceError, "negative balance"):
			adjustment.submit()
		self.assertEqual(frappe.db.get_value("Points Adjustment", adjustment.name, "docstatus"), 0)
		self.assertEqual(frappe.db.count("Volunteer Points Entry"), entries)
		self.assertEqual(points.get_kept_balance(self.member), balance)

	def test_expiry_deducts_and_zero_is_refused(self):
		make_adjustment(self.member, 4)
		with self.assertRaisesRegex(frappe.ValidationError, "negative number"):
			make_adjustment(self.member, 4, adjustment_type="Expiry")
		with self.assertRaisesRegex(frappe.ValidationError, "add or deduct"):
			make_adjustment(self.member, 0)
		expiry = make_adjustment(self.member, -4, adjustment_type="Expiry", reason="积分到期")
		self.assertEqual(
			frappe.db.get_value("Volunteer Points Entry", {"voucher_no": expiry.name}, "entry_type"), "Expiry"
		)
