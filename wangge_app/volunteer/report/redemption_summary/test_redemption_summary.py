# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe.tests.utils import FrappeTestCase

from wangge_app.test_utils import make_user
from wangge_app.volunteer.merchant_portal import redeem_voucher
from wangge_app.volunteer.report.redemption_summary.redemption_summary import execute
from wangge_app.volunteer.test_utils import (
	make_adjustment,
	make_merchant,
	make_offer,
	make_party_member,
	make_redemption,
	make_work_unit,
)

COUNTER = "summary-counter@example.com"


class TestRedemptionSummary(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(COUNTER, ["Partner Merchant"], user_type="Website User")
		cls.merchant = make_merchant(users=[COUNTER])
		cls.check = make_offer(cls.merchant.name, 20, item_name="免费健康体检套餐", market_value=1200)
		cls.cleaning = make_offer(cls.merchant.name, 5, item_name="专业洗牙", market_value=300)
		member = make_party_member(make_work_unit().name).name
		make_adjustment(member, 60)
		redeemed = [
			make_redemption(member, offer)
			for offer in (cls.check.name, cls.cleaning.name, cls.cleaning.name, cls.cleaning.name)
		]
		frappe.set_user(COUNTER)
		for voucher in redeemed[:3]:
			redeem_voucher(voucher.voucher_code)
		frappe.set_user("Administrator")
		# Dates moved into past months, as the history would have them.
		frappe.db.set_value("Points Redemption", redeemed[0].name, "redeemed_on", "2026-03-10 10:00:00")
		frappe.db.set_value("Points Redemption", redeemed[1].name, "redeemed_on", "2026-03-31 18:00:00")
		frappe.db.set_value("Points Redemption", redeemed[2].name, "redeemed_on", "2026-04-01 09:00:00")

	def test_redeemed_vouchers_per_month_merchant_and_offer(self):
		_columns, rows = execute({"merchant": self.merchant.name})
		summary = [(row.month, row.item_name, row.vouchers, row.points, row.value) for row in rows]
		# The issued but unused voucher is not counted.
		self.assertEqual(
			summary,
			[
				("2026-03", "免费健康体检套餐", 1, 20, 1200),
				("2026-03", "专业洗牙", 1, 5, 300),
				("2026-04", "专业洗牙", 1, 5, 300),
			],
		)
		_columns, march = execute(
			{"merchant": self.merchant.name, "from_date": "2026-03-01", "to_date": "2026-03-31"}
		)
		self.assertEqual(sum(row.points for row in march), 25)
