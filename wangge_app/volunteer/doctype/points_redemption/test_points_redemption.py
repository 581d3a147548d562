# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import datetime

import frappe
from frappe.model.workflow import WorkflowPermissionError, WorkflowTransitionError, apply_workflow
from frappe.tests.utils import FrappeTestCase

from wangge_app import workflows as wf
from wangge_app.test_utils import make_community_tree, make_user, pdf_text, render_pdf
from wangge_app.volunteer import points, redemption
from wangge_app.volunteer.merchant_portal import VoucherError, lookup_voucher, redeem_voucher
from wangge_app.volunteer.test_utils import (
	make_adjustment,
	make_merchant,
	make_offer,
	make_party_member,
	make_redemption,
	make_work_unit,
)

MERCHANT_USER = "redemption-merchant@example.com"
OTHER_MERCHANT_USER = "redemption-other-merchant@example.com"
WORKER = "redemption-worker@example.com"


class RedemptionTestCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(MERCHANT_USER, ["Partner Merchant"], user_type="Website User")
		make_user(OTHER_MERCHANT_USER, ["Partner Merchant"], user_type="Website User")
		make_user(WORKER, ["Grid Worker"])
		cls.merchant = make_merchant("仁济口腔诊所", users=[MERCHANT_USER], address="北京中路12号")
		cls.other_merchant = make_merchant(users=[OTHER_MERCHANT_USER], category="Dining")
		cls.offer = make_offer(cls.merchant.name, 5, item_name="专业洗牙", market_value=300)
		cls.work_unit = make_work_unit().name
		# The members live in the worker's grid: a grid worker sees the vouchers of their grids' members.
		cls.grid = make_community_tree(workers=[WORKER])[1].name

	def tearDown(self):
		frappe.set_user("Administrator")

	def member_with(self, balance: int, full_name: str = "次仁白玛") -> str:
		member = make_party_member(self.work_unit, full_name=full_name, grid=self.grid).name
		if balance:
			make_adjustment(member, balance)
		return member

	def assert_ledger_agrees(self, member: str, balance: int):
		self.assertEqual(points.get_kept_balance(member), balance)
		self.assertEqual(points.sum_ledger_balance(member), balance)


class TestPointsRedemptionWorkflow(RedemptionTestCase):
	def test_issue_deducts_through_the_ledger_and_cancel_refunds_once(self):
		member = self.member_with(12)
		voucher = make_redemption(member, self.offer.name, issue=False)
		self.assertEqual(
			(voucher.status, voucher.points, voucher.merchant), ("Requested", 5, self.merchant.name)
		)
		self.assert_ledger_agrees(member, 12)

		voucher = apply_workflow(voucher, wf.ISSUE_VOUCHER)
		self.assertEqual(voucher.status, "Issued")
		self.assertEqual(voucher.valid_until, datetime.date(2035, 12, 31))
		entry = frappe.get_doc(
			points.ENTRY, {"voucher_type": "Points Redemption", "voucher_no": voucher.name}
		)
		self.assertEqual((entry.points, entry.entry_type), (-5, "Redeemed"))
		self.assert_ledger_agrees(member, 7)

		voucher = apply_workflow(voucher, wf.CANCEL_VOUCHER)
		self.assertEqual(voucher.status, "Cancelled")
		self.assert_ledger_agrees(member, 12)
		reversal = frappe.get_all(
			points.ENTRY, {"voucher_no": voucher.name, "entry_type": "Reversal"}, ["points", "reversal_of"]
		)
		self.assertEqual([(row.points, row.reversal_of) for row in reversal], [(5, entry.name)])
		# Nothing left to cancel: a second cancel is not a transition, and the refund stays single.
		with self.assertRaises(WorkflowTransitionError):
			apply_workflow(voucher, wf.CANCEL_VOUCHER)
		self.assertEqual(points.reverse_voucher_entries("Points Redemption", voucher.name), [])
		self.assert_ledger_agrees(member, 12)

	def test_cancelling_a_requested_voucher_touches_no_points(self):
		member = self.member_with(6)
		voucher = apply_workflow(make_redemption(member, self.offer.name, issue=False), wf.CANCEL_VOUCHER)
		self.assertEqual(voucher.status, "Cancelled")
		self.assertFalse(frappe.db.exists(points.ENTRY, {"voucher_no": voucher.name}))
		self.assert_ledger_agrees(member, 6)

	def test_merchant_redeems_own_voucher_and_a_redeemed_voucher_cannot_be_cancelled(self):
		member = self.member_with(5)
		voucher = make_redemption(member, self.offer.name)
		frappe.set_user(MERCHANT_USER)
		# Not by the workflow action: a merchant may not save vouchers, only redeem a presented code.
		with self.assertRaises(frappe.PermissionError):
			apply_workflow(frappe.get_doc("Points Redemption", voucher.name), wf.REDEEM_VOUCHER)
		redeem_voucher(voucher.voucher_code)
		voucher.reload()
		self.assertEqual((voucher.status, voucher.redeemed_by), ("Used", MERCHANT_USER))
		self.assertTrue(voucher.redeemed_on)
		frappe.set_user("Administrator")
		with self.assertRaises(WorkflowTransitionError):
			apply_workflow(voucher, wf.CANCEL_VOUCHER)
		self.assertEqual(frappe.db.get_value("Points Redemption", voucher.name, "status"), "Used")
		self.assert_ledger_agrees(member, 0)

	def test_roles(self):
		member = self.member_with(10)
		frappe.set_user(WORKER)
		voucher = make_redemption(member, self.offer.name, issue=False)  # a grid worker may request
		with self.assertRaises(WorkflowTransitionError):
			apply_workflow(voucher, wf.ISSUE_VOUCHER)  # but only the community manager issues
		frappe.set_user("Administrator")
		voucher = apply_workflow(voucher, wf.ISSUE_VOUCHER)
		for user in (WORKER, OTHER_MERCHANT_USER):
			frappe.set_user(user)
			with self.assertRaises((WorkflowTransitionError, frappe.PermissionError)):
				apply_workflow(frappe.get_doc("Points Redemption", voucher.name), wf.REDEEM_VOUCHER)
		frappe.set_user("Administrator")
		# Setting the state directly is held to the same transitions.
		voucher.reload()
		voucher.status = "Used"
		frappe.set_user(WORKER)
		with self.assertRaises((WorkflowPermissionError, frappe.PermissionError)):
			voucher.save()
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.get_value("Points Redemption", voucher.name, "status"), "Issued")

	def test_issued_voucher_keeps_member_offer_and_code(self):
		voucher = make_redemption(self.member_with(5), self.offer.name)
		other_offer = make_offer(self.merchant.name, 1, item_name="口腔检查")
		voucher.offer = other_offer.name
		with self.assertRaisesRegex(frappe.ValidationError, "cannot be changed"):
			voucher.save()
		for fieldname, value in (
			("voucher_code", "2222-2222-2222"),
			("valid_until", "2040-01-01"),
			("redeemed_by", "Administrator"),
		):
			voucher.reload()
			voucher.set(fieldname, value)
			with self.assertRaisesRegex(frappe.ValidationError, "cannot be changed"):
				voucher.save()
		voucher.reload()
		voucher.save()  # an unchanged save passes


class TestIssuingRefusals(RedemptionTestCase):
	def assert_issue_refused(self, member, offer, message):
		voucher = make_redemption(member, offer, issue=False)
		entries = frappe.db.count(points.ENTRY)
		balance = points.get_kept_balance(member)
		with self.assertRaisesRegex(frappe.ValidationError, message):
			apply_workflow(voucher, wf.ISSUE_VOUCHER)
		self.assertEqual(frappe.db.get_value("Points Redemption", voucher.name, "status"), "Requested")
		self.assertEqual(frappe.db.count(points.ENTRY), entries)
		self.assert_ledger_agrees(member, balance)

	def test_balance_short(self):
		member = self.member_with(4)
		self.assert_issue_refused(member, self.offer.name, "negative balance")

	def test_inactive_offer(self):
		offer = make_offer(self.merchant.name, 1, is_active=0)
		self.assert_issue_refused(self.member_with(5), offer.name, "not active")

	def test_out_of_stock(self):
		offer = make_offer(self.merchant.name, 1, total_quantity=2)
		for _i in range(2):
			make_redemption(self.member_with(1), offer.name)
		cancelled = make_redemption(self.member_with(1), offer.name, issue=False)
		apply_workflow(cancelled, wf.CANCEL_VOUCHER)  # a cancelled voucher holds no stock
		self.assert_issue_refused(self.member_with(5), offer.name, "out of stock")

	def test_past_or_future_dates(self):
		past = make_offer(self.merchant.name, 1, valid_from="2024-01-01", valid_to="2024-12-31")
		self.assert_issue_refused(self.member_with(5), past.name, "is valid from")
		future = make_offer(self.merchant.name, 1, valid_from="2034-01-01", valid_to="2034-12-31")
		self.assert_issue_refused(self.member_with(5), future.name, "is valid from")

	def test_agreement_ended_or_merchant_inactive(self):
		ended = make_merchant(agreement_start="2020-01-01", agreement_end="2024-12-31")
		offer = make_offer(ended.name, 1)
		self.assert_issue_refused(self.member_with(5), offer.name, "agreement .* is not in force")
		inactive = make_merchant(is_active=0)
		self.assert_issue_refused(self.member_with(5), make_offer(inactive.name, 1).name, "not in force")

	def test_per_member_limit(self):
		offer = make_offer(self.merchant.name, 1, per_member_limit=1)
		member = self.member_with(5)
		make_redemption(member, offer.name)
		self.assert_issue_refused(member, offer.name, "already holds 1 vouchers")
		make_redemption(self.member_with(1), offer.name)  # the limit is per member

	def test_member_not_in_service(self):
		member = self.member_with(5)
		frappe.db.set_value(points.MEMBER, member, "status", "Suspended")
		self.assert_issue_refused(member, self.offer.name, "not in service")

	def test_offer_with_zero_or_negative_points_is_refused(self):
		offers = frappe.db.count("Redemption Offer")
		for points_required in (0, -5):
			with self.assertRaisesRegex(frappe.ValidationError, "greater than zero"):
				make_offer(self.merchant.name, points_required)
		with self.assertRaisesRegex(frappe.ValidationError, "cannot end before it starts"):
			make_offer(self.merchant.name, 1, valid_from="2026-01-02", valid_to="2026-01-01")
		self.assertEqual(frappe.db.count("Redemption Offer"), offers)

	def test_merchant_users_act_for_one_merchant_with_the_role(self):
		with self.assertRaisesRegex(frappe.ValidationError, "already acts for"):
			make_merchant(users=[MERCHANT_USER])
		with self.assertRaisesRegex(frappe.ValidationError, "does not have the role"):
			make_merchant(users=[WORKER])
		with self.assertRaisesRegex(frappe.ValidationError, "cannot end before it starts"):
			make_merchant(agreement_start="2026-01-02", agreement_end="2026-01-01")


class TestVoucherExpiry(RedemptionTestCase):
	def test_expiry_job_refunds_exactly_once(self):
		offer = make_offer(self.merchant.name, 3, valid_to=frappe.utils.add_days(frappe.utils.nowdate(), 10))
		member = self.member_with(10)
		unused = make_redemption(member, offer.name)
		used = make_redemption(member, offer.name)
		frappe.set_user(MERCHANT_USER)
		redeem_voucher(used.voucher_code)
		frappe.set_user("Administrator")
		self.assert_ledger_agrees(member, 4)

		# On the last day of validity nothing expires; the day after, the unused voucher does.
		self.assertEqual(redemption.expire_vouchers(today=unused.valid_until), [])
		with self.assertRaisesRegex(frappe.ValidationError, "cannot expire before"):
			apply_workflow(unused, wf.EXPIRE_VOUCHER)
		day_after = frappe.utils.add_days(unused.valid_until, 1)
		self.assertIn(unused.name, redemption.expire_vouchers(today=day_after))
		self.assertEqual(frappe.db.get_value("Points Redemption", unused.name, "status"), "Expired")
		self.assertEqual(frappe.db.get_value("Points Redemption", used.name, "status"), "Used")
		self.assert_ledger_agrees(member, 7)
		# The timeline records the job's transition as it records one made with the workflow.
		self.assertTrue(
			frappe.db.exists(
				"Comment",
				{
					"reference_name": unused.name,
					"comment_type": "Workflow",
					"content": ("in", ("Expired", "已过期")),
				},
			)
		)

		# A second run (or a retried job) finds nothing to expire and refunds nothing again.
		self.assertNotIn(unused.name, redemption.expire_vouchers(today=day_after))
		self.assert_ledger_agrees(member, 7)
		self.assertEqual(
			frappe.db.count(points.ENTRY, {"voucher_no": unused.name, "entry_type": "Reversal"}), 1
		)

	def test_expiry_job_is_scheduled_daily(self):
		self.assertIn(
			"wangge_app.volunteer.redemption.expire_vouchers", frappe.get_hooks("scheduler_events")["daily"]
		)


class TestMerchantScope(RedemptionTestCase):
	"""In-process checks of the portal's endpoints and the permission hooks (HTTP: tests/http)."""

	def test_merchant_sees_only_own_merchant(self):
		own = make_redemption(self.member_with(5), self.offer.name)
		foreign_offer = make_offer(self.other_merchant.name, 1, item_name="酥油茶套餐")
		foreign = make_redemption(self.member_with(1), foreign_offer.name)
		frappe.set_user(MERCHANT_USER)
		names = set(frappe.get_list("Points Redemption", pluck="name"))
		self.assertIn(own.name, names)
		self.assertNotIn(foreign.name, names)
		self.assertEqual(frappe.get_list("Partner Merchant", pluck="name"), [self.merchant.name])
		self.assertNotIn(foreign_offer.name, frappe.get_list("Redemption Offer", pluck="name"))
		self.assertFalse(frappe.has_permission("Points Redemption", "read", doc=foreign.name))
		self.assertTrue(frappe.has_permission("Points Redemption", "read", doc=own.name))
		# The website (print) shows the code: only vouchers redeemed at the counter open there.
		self.assertFalse(frappe.has_website_permission(frappe.get_doc("Points Redemption", own.name)))
		redeem_voucher(own.voucher_code)
		self.assertTrue(frappe.has_website_permission(frappe.get_doc("Points Redemption", own.name)))
		self.assertFalse(frappe.has_website_permission(frappe.get_doc("Points Redemption", foreign.name)))
		frappe.set_user(WORKER)  # desk users keep their usual view
		self.assertTrue(frappe.has_permission("Points Redemption", "read", doc=foreign.name))

	def test_portal_endpoints_refuse_bad_codes_and_other_merchants(self):
		voucher = make_redemption(self.member_with(5, full_name="次仁白玛"), self.offer.name)
		frappe.set_user(MERCHANT_USER)
		found = lookup_voucher(voucher.voucher_code.lower().replace("-", " "))
		self.assertEqual(
			(found["member"], found["item_name"], found["can_redeem"]), ("次*白玛", "专业洗牙", True)
		)
		with self.assertRaisesRegex(VoucherError, "is not a voucher code"):
			lookup_voucher("12345")
		with self.assertRaisesRegex(VoucherError, "No voucher has the code"):
			lookup_voucher("2222-3333-4444")
		self.assertEqual(redeem_voucher(voucher.voucher_code)["voucher"]["status"], "Used")
		with self.assertRaisesRegex(VoucherError, "already redeemed"):
			redeem_voucher(voucher.voucher_code)
		frappe.set_user(OTHER_MERCHANT_USER)
		with self.assertRaisesRegex(VoucherError, "another merchant"):
			lookup_voucher(voucher.voucher_code)
		frappe.set_user(WORKER)
		with self.assertRaises(frappe.PermissionError):
			lookup_voucher(voucher.voucher_code)

	def test_codes_and_masked_names(self):
		code = redemption.new_voucher_code()
		self.assertRegex(code, r"^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}$")
		self.assertEqual(redemption.normalize_voucher_code(code.lower().replace("-", "")), code)
		self.assertIsNone(redemption.normalize_voucher_code("0000-1111-IIII"))
		self.assertEqual(
			[redemption.mask_name(n) for n in ("次仁白玛", "罗布", "扎西顿", "")],
			["次*白玛", "罗*", "扎*顿", ""],
		)


class TestRedemptionVoucherPrint(RedemptionTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		member = make_party_member(cls.work_unit, full_name="德吉卓玛").name
		make_adjustment(member, 20)
		check = make_offer(
			cls.merchant.name,
			20,
			item_name="免费健康体检套餐",
			market_value=1200,
			description="含血常规、心电图",
		)
		cls.voucher = make_redemption(member, check.name)

	def test_voucher_html(self):
		html = frappe.get_print("Points Redemption", self.voucher.name, "Redemption Voucher")
		for text in ("积分兑换券", "免费健康体检套餐", "含血常规、心电图", "仁济口腔诊所", "德吉卓玛", "20 积分",
			"1,200 元", "2035-12-31", self.voucher.voucher_code, "已出券", "data:image/svg+xml;base64,"):  # fmt: skip
			self.assertIn(text, html)

	def test_voucher_pdf_has_chinese_text_and_the_qr_code(self):
		reader = render_pdf("Points Redemption", self.voucher.name, "Redemption Voucher")
		text = pdf_text(reader)
		for expected in ("积分兑换券", "免费健康体检套餐", "仁济口腔诊所", "德吉卓玛", "20积分", "1,200元",
			"2035-12-31", self.voucher.voucher_code, "扫码核销"):  # fmt: skip
			self.assertIn(expected, text)
		# The QR code's SVG is drawn into the PDF as vector paths: hundreds of line segments, where the
		# voucher without it has a handful (its dashed border).
		self.assertGreater(reader.pages[0].get_contents().get_data().count(b" l\n"), 300)
