# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Install data of residents' requests: the stock grades with their time limits, the stock categories
and the overdue alert. Created only when missing (on install, and by a patch on older sites), so that
a manager's changes and additions stay."""

import frappe

from wangge_app.alerts import make_missed_due_time_notification

# name: (sort order, (contact, visit, resolve, follow up) as (limit, unit)), the community's rules:
# emergencies within 2 hours, water, power, gas and heating within 24 hours, ordinary requests within
# 7 days, complex ones within 15 days.
STANDARD_GRADES = {
	"Emergency": (1, ((0.5, "Hours"), (1, "Hours"), (2, "Hours"), (1, "Days"))),
	"Utilities": (2, ((2, "Hours"), (6, "Hours"), (24, "Hours"), (3, "Days"))),
	"Ordinary": (3, ((24, "Hours"), (2, "Days"), (7, "Days"), (3, "Days"))),
	"Complex": (4, ((24, "Hours"), (3, "Days"), (15, "Days"), (7, "Days"))),
}
# name: default grade
STANDARD_CATEGORIES = {
	"Environment and Sanitation": "Ordinary",
	"Traffic and Parking": "Complex",
	"Property Management": "Ordinary",
	"Neighbours": "Ordinary",
	"Public Facilities": "Ordinary",
	"Water, Power, Gas and Heating": "Utilities",
	"Social Security": "Ordinary",
	"Other": "Ordinary",
}


# name: (time limit in days, documents needed, steps)
STANDARD_ASSISTED_SERVICES = {
	"Pension Eligibility Certification": (
		7,
		"身份证\n社会保障卡",
		"1. 上门核实本人身份并拍照\n2. 通过社保服务平台完成资格认证\n3. 将认证结果告知本人",
	),
	"Medical Insurance Payment": (
		3,
		"身份证\n户口簿",
		"1. 核对缴费档次与金额\n2. 代为缴费并取得缴费凭证\n3. 交回凭证和证件",
	),
	"Old-age Allowance Application": (
		15,
		"身份证\n户口簿\n银行卡",
		"1. 填写高龄津贴申请表\n2. 到街道办提交材料\n3. 跟踪审核结果并告知本人",
	),
	"Residence Permit": (
		15,
		"身份证\n租房合同\n近期照片",
		"1. 准备材料\n2. 到派出所办理\n3. 领取证件交给本人",
	),
	"Disability Card Review": (
		20,
		"残疾人证\n身份证\n近期照片",
		"1. 预约残联审验\n2. 陪同或代为提交材料\n3. 领回审验后的证件",
	),
}


def after_install() -> None:
	make_standard_grades()
	make_standard_categories()
	make_standard_assisted_services()
	make_missed_due_time_notification("Resident Request")


def make_standard_grades() -> None:
	for name, (order, limits) in STANDARD_GRADES.items():
		if frappe.db.exists("Request Grade", name):
			continue
		values = {"doctype": "Request Grade", "grade_name": name, "sort_order": order}
		for stage, (limit, unit) in zip(
			("acknowledge", "visit", "resolve", "follow_up"), limits, strict=True
		):
			values[f"{stage}_within"] = limit
			values[f"{stage}_unit"] = unit
		frappe.get_doc(values).insert(ignore_permissions=True)


def make_standard_categories() -> None:
	for name, grade in STANDARD_CATEGORIES.items():
		if not frappe.db.exists("Request Category", name):
			frappe.get_doc(
				{"doctype": "Request Category", "category_name": name, "default_grade": grade}
			).insert(ignore_permissions=True)


def make_standard_assisted_services() -> None:
	for name, (days, documents, steps) in STANDARD_ASSISTED_SERVICES.items():
		if not frappe.db.exists("Assisted Service Type", name):
			frappe.get_doc(
				{
					"doctype": "Assisted Service Type",
					"service_name": name,
					"time_limit_days": days,
					"documents_needed": documents,
					"steps": steps,
				}
			).insert(ignore_permissions=True)
