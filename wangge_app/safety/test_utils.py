# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Builders for the Safety module's test data."""

import base64

import frappe

from wangge_app.test_utils import unique_code

GAS_CHECKLIST = "燃气安全检查表"
FIRE_CHECKLIST = "消防安全检查表"
# The five implementations (五落实) a rectification notice needs.
FIVE_IMPLEMENTATIONS = {
	"responsible_party": "住户 次仁多吉",
	"measures": "将老化橡胶软管更换为金属波纹管，加装燃气自闭阀。",
	"funds": "约200元，住户自筹",
	"contingency_plan": "整改前停用燃气灶，关闭总阀；发现泄漏立即开窗通风并拨打燃气公司抢修电话。",
}
# A 1×1 pixel PNG.
PIXEL = base64.b64decode(
	"iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)


def make_photo(name: str = "photo.png") -> str:
	"""A public image file's URL, for photo fields."""
	return (
		frappe.get_doc(
			{"doctype": "File", "file_name": f"{unique_code('P')}-{name}", "content": PIXEL, "is_private": 0}
		)
		.insert(ignore_permissions=True)
		.file_url
	)


def make_premises(grid: str, **fields):
	return frappe.get_doc(
		{
			"doctype": "Premises",
			"premises_name": fields.pop("premises_name", None) or unique_code("商店"),
			"premises_type": fields.pop("premises_type", "Shop"),
			"grid": grid,
			"operator_name": fields.pop("operator_name", "扎西"),
			**fields,
		}
	).insert()


def make_plan(grid: str, **fields):
	return frappe.get_doc(
		{
			"doctype": "Inspection Plan",
			"grid": grid,
			"template": fields.pop("template", GAS_CHECKLIST),
			"target_kind": fields.pop("target_kind", "Households"),
			"frequency": fields.pop("frequency", "Monthly"),
			"start_date": fields.pop("start_date", "2026-01-01"),
			**fields,
		}
	).insert()


def make_inspection(household: str | None = None, premises: str | None = None, **fields):
	return frappe.get_doc(
		{
			"doctype": "Safety Inspection",
			"place_kind": "Premises" if premises else "Household",
			"household": household,
			"premises": premises,
			"template": fields.pop("template", GAS_CHECKLIST),
			**fields,
		}
	).insert()


def record_results(inspection, failed: dict[int, str] | None = None, photo: str | None = None, **fields):
	"""Answer every item (pass, or fail with the finding given by row number), date and submit."""
	failed = failed or {}
	doc = frappe.get_doc("Safety Inspection", inspection.name)
	for row in doc.items:
		row.result = "Fail" if row.idx in failed else "Pass"
		row.note = failed.get(row.idx)
		row.photo = photo if row.idx in failed else None
	doc.inspection_date = fields.pop("inspection_date", frappe.utils.today())
	doc.person_met = fields.pop("person_met", "次仁多吉")
	doc.update(fields)
	doc.submit()
	return doc


def make_hazard(household: str, **fields):
	return frappe.get_doc(
		{
			"doctype": "Safety Hazard",
			"hazard_title": fields.pop("hazard_title", "燃气软管老化"),
			"category": fields.pop("category", "Gas"),
			"risk_level": fields.pop("risk_level", "Significant"),
			"place_kind": "Household",
			"household": household,
			"description": fields.pop("description", "燃气灶使用橡胶软管，已老化龟裂。"),
			**fields,
		}
	).insert()


def add_check(hazard, result: str, photo: str | None, user: str | None = None, **fields):
	"""Record an acceptance check on the hazard, as `user`."""
	caller = frappe.session.user
	frappe.set_user(user or "Administrator")
	try:
		doc = frappe.get_doc("Safety Hazard", hazard.name)
		doc.append(
			"acceptance_checks",
			{"check_date": frappe.utils.today(), "result": result, "result_photo": photo, **fields},
		)
		doc.save()
		return doc
	finally:
		frappe.set_user(caller)


def new_hazard_form(temporary_name: str, household: str, photo_url: str) -> dict:
	"""A hazard as the desk's form sends it on its first save: its temporary name, and a photo taken
	(and uploaded) while it was filled in."""
	return {
		"doctype": "Safety Hazard",
		"name": temporary_name,
		"__islocal": 1,
		"hazard_title": "楼道堆放杂物",
		"category": "Fire",
		"risk_level": "General",
		"place_kind": "Household",
		"household": household,
		"description": "楼道堆放纸箱，堵塞通道。",
		"photos": [{"doctype": "Safety Photo", "photo": photo_url, "caption": "楼道", "__islocal": 1}],
	}
