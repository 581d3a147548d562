"""A member issuing several vouchers at once with points for only some of them: each issue runs in its
own thread on its own database connection, as concurrent requests would. The balance never goes
below zero and the kept balance equals the ledger."""

import os
import threading

import frappe
import pytest

from wangge_app.volunteer import points

VOUCHERS = 6
POINTS_EACH = 5
BALANCE = 17  # enough for three of the six


@pytest.fixture(
	params=[
		{"balance": BALANCE},
		{"balance": 100, "total_quantity": 2},
		{"balance": 100, "per_member_limit": 4},
	]
)
def requested_vouchers(request):
	from wangge_app.volunteer.test_utils import (
		make_adjustment,
		make_merchant,
		make_offer,
		make_party_member,
		make_redemption,
		make_work_unit,
	)

	frappe.set_user("Administrator")
	work_unit = make_work_unit()
	member = make_party_member(work_unit.name, full_name="格桑卓嘎").name
	limits = dict(request.param)
	make_adjustment(member, limits.pop("balance"))
	merchant = make_merchant()
	offer = make_offer(merchant.name, POINTS_EACH, item_name="体检套餐", **limits)
	vouchers = [make_redemption(member, offer.name, issue=False).name for _i in range(VOUCHERS)]
	frappe.db.commit()
	yield member, vouchers, request.param

	frappe.db.rollback()
	frappe.db.delete("Points Redemption", {"merchant": merchant.name})
	frappe.db.delete("Redemption Offer", {"name": offer.name})
	frappe.db.delete("Partner Merchant", {"name": merchant.name})
	frappe.db.delete("Volunteer Points Entry", {"member": member})
	frappe.db.delete("Points Adjustment", {"member": member})
	frappe.db.delete("In-service Party Member", {"name": member})
	frappe.db.delete("Work Unit", {"name": work_unit.name})
	frappe.db.commit()


def issue_on_own_connection(site: str, voucher: str, start: threading.Barrier, outcomes: dict):
	from frappe.model.workflow import apply_workflow

	frappe.init(site=site, sites_path=os.environ["WANGGE_SITES_PATH"])
	frappe.connect()
	try:
		frappe.set_user("Administrator")
		doc = frappe.get_doc("Points Redemption", voucher)
		start.wait()
		apply_workflow(doc, "Issue Voucher")
		frappe.db.commit()
		outcomes[voucher] = "issued"
	except frappe.ValidationError as error:
		frappe.db.rollback()
		outcomes[voucher] = "refused"
		outcomes.setdefault("refusals", set()).add(type(error).__name__)
	except Exception as error:  # reported by the test, not swallowed
		frappe.db.rollback()
		outcomes[voucher] = repr(error)
	finally:
		frappe.destroy()


def test_concurrent_issues_never_overdraw(requested_vouchers):
	member, vouchers, limits = requested_vouchers
	balance = limits["balance"]
	site = frappe.local.site
	start = threading.Barrier(len(vouchers))
	outcomes = {}
	threads = [
		threading.Thread(target=issue_on_own_connection, args=(site, voucher, start, outcomes))
		for voucher in vouchers
	]
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join()

	refusals = outcomes.pop("refusals", set())
	issued = min(
		balance // POINTS_EACH,
		limits.get("total_quantity") or VOUCHERS,
		limits.get("per_member_limit") or VOUCHERS,
	)
	# Short of points: NegativeBalanceError; out of stock or over the limit: ValidationError.
	assert refusals == {"NegativeBalanceError" if issued == balance // POINTS_EACH else "ValidationError"}
	assert sorted(outcomes.values()) == ["issued"] * issued + ["refused"] * (VOUCHERS - issued), outcomes
	frappe.db.rollback()  # a fresh snapshot, to see the threads' commits
	statuses = frappe.get_all("Points Redemption", {"name": ("in", vouchers)}, pluck="status")
	assert sorted(statuses) == ["Issued"] * issued + ["Requested"] * (VOUCHERS - issued)
	assert points.get_kept_balance(member) == balance - issued * POINTS_EACH
	assert points.sum_ledger_balance(member) == points.get_kept_balance(member)
	assert points.check_kept_balances([member]) == []
	assert frappe.db.count(points.ENTRY, {"member": member, "voucher_type": "Points Redemption"}) == issued
