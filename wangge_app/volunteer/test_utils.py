# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Builders for the Volunteer module's test data (also for modules building on the points ledger)."""

import datetime

import frappe

from wangge_app import workflows as wf
from wangge_app.test_utils import unique_code


def unique_mobile() -> str:
	"""A valid mainland mobile number no other member in the test run has."""
	return "139" + str(int(frappe.generate_hash(length=12), 16))[-8:]


def make_work_unit(unit_name: str | None = None, **fields):
	return frappe.get_doc(
		{
			"doctype": "Work Unit",
			"unit_name": unit_name or unique_code("单位"),
			"unit_type": fields.pop("unit_type", "Government Office"),
			"unit_level": fields.pop("unit_level", "District Level"),
			**fields,
		}
	).insert()


VOLUNTEER_TEST_GRID = "T-VOLUNTEER"


def volunteer_test_grid() -> str:
	"""The community that members registered without a grid of their own belong to."""
	if not frappe.db.exists("Grid", VOLUNTEER_TEST_GRID):
		frappe.get_doc(
			{
				"doctype": "Grid",
				"grid_name": "志愿服务测试社区",
				"grid_code": VOLUNTEER_TEST_GRID,
				"grid_level": "Community",
			}
		).insert(ignore_permissions=True)
	return VOLUNTEER_TEST_GRID


def make_party_member(work_unit: str, full_name: str = "扎西顿珠", **fields):
	return frappe.get_doc(
		{
			"doctype": "In-service Party Member",
			"full_name": full_name,
			"mobile": fields.pop("mobile", None) or unique_mobile(),
			"work_unit": work_unit,
			"registration_date": fields.pop("registration_date", datetime.date(2024, 3, 1)),
			"grid": fields.pop("grid", None) or volunteer_test_grid(),
			**fields,
		}
	).insert()


def common_grid(members: list[str]) -> str:
	"""The smallest grid whose subtree holds every member's grid: where their activity belongs."""
	grids = set(frappe.get_all("In-service Party Member", {"name": ("in", members)}, pluck="grid"))
	if not grids:
		return volunteer_test_grid()
	bounds = frappe.get_all("Grid", {"name": ("in", list(grids))}, ["lft", "rgt"])
	lft, rgt = min(row.lft for row in bounds), max(row.rgt for row in bounds)
	return frappe.get_all(
		"Grid", {"lft": ("<=", lft), "rgt": (">=", rgt)}, pluck="name", order_by="lft desc", limit=1
	)[0]


def make_activity(members: list[str], points: int | None = None, submit: bool = True, **fields):
	"""A Volunteer Activity of a standard service type with every member attending, in the
	smallest grid that holds them all unless `grid` is given."""
	start = fields.pop("start_time", datetime.datetime(2025, 6, 1, 9, 0))
	activity = frappe.get_doc(
		{
			"doctype": "Volunteer Activity",
			"title": fields.pop("title", "社区环境整治"),
			"service_type": fields.pop("service_type", "环境绿化"),
			"grid": fields.pop("grid", None) or common_grid(members),
			"start_time": start,
			"end_time": fields.pop("end_time", start + datetime.timedelta(hours=3)),
			"points_per_participant": points,
			"participants": [{"member": member, "attended": 1, "hours": 3} for member in members],
			**fields,
		}
	).insert()
	if submit:
		activity.submit()
	return activity


def make_adjustment(member: str, points: int, submit: bool = True, **fields):
	adjustment = frappe.get_doc(
		{
			"doctype": "Points Adjustment",
			"member": member,
			"points": points,
			"adjustment_type": fields.pop("adjustment_type", "Adjustment"),
			"posting_date": fields.pop("posting_date", datetime.date(2025, 7, 1)),
			"reason": fields.pop("reason", "补录积分"),
			**fields,
		}
	).insert()
	if submit:
		adjustment.submit()
	return adjustment


def make_merchant(merchant_name: str | None = None, users: list[str] = (), **fields):
	"""A Partner Merchant with an agreement in force (2025 to 2035) and the given website users."""
	return frappe.get_doc(
		{
			"doctype": "Partner Merchant",
			"merchant_name": merchant_name or unique_code("商家"),
			"category": fields.pop("category", "Medical"),
			"agreement_start": fields.pop("agreement_start", datetime.date(2025, 1, 1)),
			"agreement_end": fields.pop("agreement_end", datetime.date(2035, 12, 31)),
			"users": [{"user": user} for user in users],
			**fields,
		}
	).insert()


def make_offer(merchant: str, points_required: int = 5, **fields):
	return frappe.get_doc(
		{
			"doctype": "Redemption Offer",
			"merchant": merchant,
			"item_name": fields.pop("item_name", "专业洗牙"),
			"points_required": points_required,
			"market_value": fields.pop("market_value", 300),
			"valid_from": fields.pop("valid_from", datetime.date(2025, 1, 1)),
			"valid_to": fields.pop("valid_to", datetime.date(2035, 12, 31)),
			**fields,
		}
	).insert()


def make_redemption(member: str, offer: str, issue: bool = True):
	"""A Points Redemption, requested and (by default) issued through its workflow."""
	from frappe.model.workflow import apply_workflow

	voucher = frappe.get_doc({"doctype": "Points Redemption", "member": member, "offer": offer}).insert()
	if issue:
		voucher = apply_workflow(voucher, wf.ISSUE_VOUCHER)
	return voucher
