# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import datetime

import frappe
from frappe.tests.utils import FrappeTestCase

from wangge_app.test_utils import pdf_text, render_pdf
from wangge_app.volunteer.test_utils import make_activity, make_adjustment, make_party_member, make_work_unit

PRINT_FORMAT = "Points Statement"


class TestInServicePartyMember(FrappeTestCase):
	def test_mobile_is_validated_and_unique(self):
		work_unit = make_work_unit().name
		member = make_party_member(work_unit, mobile="+86 139-0891-7788")
		self.assertEqual(member.mobile, "13908917788")
		with self.assertRaises(frappe.DuplicateEntryError):
			make_party_member(work_unit, full_name="重复登记", mobile="13908917788")
		with self.assertRaisesRegex(frappe.ValidationError, "Invalid mobile number"):
			make_party_member(work_unit, mobile="12345")


class TestPointsStatement(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		work_unit = make_work_unit("城关区人民政府办公室")
		cls.member = make_party_member(work_unit.name, full_name="德吉卓玛")
		others = [make_party_member(work_unit.name, full_name="罗布").name]
		make_activity(
			[cls.member.name, *others],
			points=3,
			title="政策宣讲进小区",
			service_type="政策宣传",
			start_time=datetime.datetime(2025, 3, 5, 9),
		)
		cancelled = make_activity(
			[cls.member.name], points=2, title="植树护绿", start_time=datetime.datetime(2025, 4, 2, 9)
		)
		cancelled.cancel()
		make_adjustment(cls.member.name, -1, posting_date=datetime.date(2025, 5, 1), reason="积分过期清理")
		cls.statement = frappe.get_doc("In-service Party Member", cls.member.name).get_points_statement()

	def test_statement_has_running_balance_and_totals(self):
		statement = self.statement
		# The reversal of the cancelled activity is dated on the day it was cancelled: today.
		self.assertEqual([entry.points for entry in statement["entries"]], [3, 2, -1, -2])
		self.assertEqual([entry.balance for entry in statement["entries"]], [3, 5, 4, 2])
		self.assertEqual(
			(statement["points_in"], statement["points_out"], statement["closing_balance"]), (5, 3, 2)
		)
		self.assertEqual(
			statement["closing_balance"],
			frappe.db.get_value("In-service Party Member", self.member.name, "points_balance"),
		)
		later = frappe.get_doc("In-service Party Member", self.member.name).get_points_statement(
			from_date="2025-04-03"
		)
		self.assertEqual(later["opening_balance"], 5)
		self.assertEqual([entry.balance for entry in later["entries"]], [4, 2])

	def test_statement_html(self):
		html = frappe.get_print("In-service Party Member", self.member.name, PRINT_FORMAT)
		for text in (
			"积分账单",
			"德吉卓玛",
			"城关区人民政府办公室",
			"政策宣讲进小区",
			"服务积分",
			"冲销",
			"积分调整",
			"积分过期清理",
			"+3",
			"-2",
			"获得积分 5",
			"扣减积分 3",
			"当前余额 2",
		):
			self.assertIn(text, html)
		self.assertNotIn("罗布", html)

	def test_statement_pdf_has_chinese_text(self):
		reader = render_pdf("In-service Party Member", self.member.name, PRINT_FORMAT)
		text = pdf_text(reader)
		for expected in (
			"积分账单",
			"德吉卓玛",
			"城关区人民政府办公室",
			"政策宣讲进小区",
			"植树护绿",
			"获得积分5",
			"扣减积分3",
			"当前余额2",
		):
			self.assertIn(expected, text)
		self.assertNotIn("GetPDF", text)
