# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Sample safety inspections of 幸福社区: premises, inspection plans, a year of inspections and the
hazards they found, walked through the hazard workflow as the grid workers would have.

The plans: every household's gas safety once a year, every premises' fire safety once a quarter,
and the restaurants' food and drug safety every month. The daily job is run on the first of each of
the last twelve months, as it would have run; most tasks of past periods are done by their
assigned worker at a day within the period, a few were missed. One case is told in full: in early
March a grid worker on patrol found a resident's gas hose old and cracked; the community had the
hose replaced with a corrugated metal pipe and a safety valve, checked it and closed the hazard.
Draws on its own random generator, so the other sample data does not change.
"""

import datetime
import random
from contextlib import contextmanager

import frappe
from frappe.utils import add_days, add_months, getdate

from wangge_app import workflows as wf
from wangge_app.overdue import mark_missed_due_times_of
from wangge_app.safety.schedule import create_due_inspections, period_of

SEED = 20260313
GAS, FIRE, FOOD = "燃气安全检查表", "消防安全检查表", "食品药品安全检查表"
GAS_COMPANY = "拉萨市燃气公司"
FIRE_BRIGADE = "城关区消防救援大队"
MARKET_SUPERVISION = "城关区市场监督管理局"
REFERRAL_DEPARTMENT = {"Gas": GAS_COMPANY, "Fire": FIRE_BRIGADE, "Food and Drugs": MARKET_SUPERVISION}

# (name, type, grid number, operator, address)
PREMISES = (
	("幸福便民超市", "Shop", 1, "王建国", "幸福小区1栋底商"),
	("幸福大药房", "Shop", 1, "李秀英", "幸福小区5栋底商"),
	("阳光川菜馆", "Restaurant", 2, "张明", "阳光花园2栋底商"),
	("康居汽车修理铺", "Small Workshop", 2, "马福元", "康居苑3栋旁"),
	("雪域藏餐馆", "Restaurant", 3, "次仁旺堆", "雪域家园1栋底商"),
	("吉祥苑出租屋", "Boarding Room", 3, "达瓦卓玛", "吉祥苑2栋"),
	("团结五金店", "Shop", 4, "赵强", "团结新村3栋底商"),
	("团结裁缝铺", "Small Workshop", 4, "白玛央宗", "团结新村6栋底商"),
	("格桑甜茶馆", "Restaurant", 5, "扎西顿珠", "格桑花园1栋底商"),
	("和美粮油仓库", "Warehouse", 5, "刘志刚", "和美家园4栋地下室"),
)
# A finding for each stock item that fails; other items get a short general one.
FINDINGS = {
	"燃气软管材质与使用年限": "燃气灶连接橡胶软管，已使用多年，表面老化龟裂。",
	"燃气阀门与自闭阀": "灶前阀关闭不严，未安装自闭阀。",
	"燃气泄漏检测": "软管接口处检漏液起泡，有轻微漏气。",
	"燃气报警器": "未安装可燃气体报警器。",
	"灭火器配置": "灭火器压力指针在红区，已过有效期。",
	"疏散通道与安全出口": "后门通道堆放纸箱杂物，安全出口被堵。",
	"电动自行车停放充电": "电动自行车在楼道内停放充电。",
	"电气线路": "私拉电线，插线板串接使用。",
	"证照公示": "食品经营许可证未公示。",
	"从业人员健康证": "一名从业人员健康证过期。",
	"食品储存": "冷藏柜生熟食品混放。",
}
FAIL_SHARE = {"Household": 0.03, "Premises": 0.07}


def make_sample_safety(factory=None) -> dict:
	rng = random.Random(SEED)
	today = getdate()
	grids = frappe.get_all("Grid", {"grid_level": "Grid"}, pluck="name", order_by="name")
	photos = {kind: make_demo_photo(kind) for kind in ("hazard", "result")}

	premises = make_premises(rng, grids)
	first_month = add_months(today.replace(day=1), -11)
	for grid in grids:
		insert_plan(grid, GAS, "Households", "Yearly", today.replace(month=1, day=1))
		insert_plan(grid, FIRE, "Premises", "Quarterly", first_month)
		insert_plan(grid, FOOD, "Premises", "Monthly", first_month, premises_type="Restaurant")

	for month in range(12):
		create_due_inspections(now=add_months(first_month, month))
	done = complete_inspections(rng, today, photos)
	gas_case = make_gas_pipe_case(today, photos)
	walk_hazards(rng, today, photos)

	frappe.set_user("Administrator")
	overdue = mark_missed_due_times_of("Safety Hazard")
	return {
		"premises": len(premises),
		"inspections": frappe.db.count("Safety Inspection"),
		"inspections_done": done,
		"hazards": frappe.db.count("Safety Hazard"),
		"gas_pipe_case": gas_case,
		"overdue": len(overdue),
	}


@contextmanager
def on_day(day: datetime.date):
	"""Frappe's own date override (`frappe.flags.current_date`, which `frappe.utils.now` follows): the
	sample history's steps are saved, and stamped, on the day they happened."""
	frappe.flags.current_date = day
	try:
		yield
	finally:
		frappe.flags.current_date = None


def make_demo_photo(kind: str) -> str:
	"""A small public image standing in for the photos taken on site."""
	from wangge_app.safety.test_utils import PIXEL

	return (
		frappe.get_doc(
			{"doctype": "File", "file_name": f"safety-{kind}.png", "content": PIXEL, "is_private": 0}
		)
		.insert(ignore_permissions=True)
		.file_url
	)


def make_premises(rng, grids) -> list[str]:
	names = []
	for name, premises_type, grid_no, operator, address in PREMISES:
		micro_grids = frappe.get_all(
			"Grid", {"parent_grid": grids[grid_no - 1]}, pluck="name", order_by="name"
		)
		mobile = f"139089{rng.randrange(10**5):05d}"
		names.append(
			frappe.get_doc(
				{
					"doctype": "Premises",
					"premises_name": name,
					"premises_type": premises_type,
					"grid": rng.choice(micro_grids),
					"operator_name": operator,
					"contact_phone": mobile,
					"address": address,
				}
			)
			.insert()
			.name
		)
	return names


def insert_plan(grid, template, target_kind, frequency, start_date, **fields):
	return frappe.get_doc(
		{
			"doctype": "Inspection Plan",
			"grid": grid,
			"template": template,
			"target_kind": target_kind,
			"frequency": frequency,
			"start_date": start_date,
			**fields,
		}
	).insert()


def complete_inspections(rng, today, photos) -> int:
	"""Most tasks are done by their worker within their period; some of the current periods are
	still open and a few past ones were missed."""
	done = 0
	inspections = frappe.get_all(
		"Safety Inspection",
		{"docstatus": 0, "plan": ("is", "set")},
		["name", "period", "due_date", "place_kind"],
		order_by="due_date, name",
	)
	frequency_of = {
		name: frequency
		for name, frequency in frappe.get_all("Inspection Plan", fields=["name", "frequency"], as_list=True)
	}
	for row in inspections:
		doc = frappe.get_doc("Safety Inspection", row.name)
		_key, start, end = period_of(frequency_of[doc.plan], getdate(row.due_date))
		current = end >= today
		if rng.random() > (0.7 if current else 0.96):
			continue
		last_day = min(end, add_days(today, -1))
		if last_day < start:
			continue
		day = add_days(start, rng.randrange((last_day - start).days + 1))
		record_inspection(rng, doc, day, photos)
		done += 1
	return done


def worker_of(doctype: str, name: str) -> str:
	todo = frappe.get_all(
		"ToDo", {"reference_type": doctype, "reference_name": name}, pluck="allocated_to", limit=1
	)
	return todo[0] if todo else "Administrator"


def record_inspection(rng, doc, day, photos, failed: dict | None = None, person_met: str | None = None):
	frappe.set_user(worker_of(doc.doctype, doc.name))
	share = FAIL_SHARE[doc.place_kind]
	for item in doc.items:
		fails = item.idx in failed if failed is not None else rng.random() < share
		item.result = "Fail" if fails else rng.choice(("Pass",) * 9 + ("Not Applicable",))
		if fails:
			item.note = (failed or {}).get(item.idx) or FINDINGS.get(item.item) or f"{item.item}不符合要求。"
			item.photo = photos["hazard"]
	doc.inspection_date = day
	doc.person_met = person_met or (
		frappe.db.get_value("Household", doc.household, "head_of_household_name")
		if doc.household
		else frappe.db.get_value("Premises", doc.premises, "operator_name")
	)
	with on_day(day):
		doc.submit()
	frappe.set_user("Administrator")
	return doc


def make_gas_pipe_case(today, photos) -> str:
	"""Early March: a resident's gas hose found old and cracked on patrol, replaced with a corrugated
	metal pipe and a safety valve, checked and closed."""
	year = today.year if today >= datetime.date(today.year, 3, 10) else today.year - 1
	found = datetime.date(year, 3, 3)
	grid = frappe.get_all("Grid", {"grid_level": "Grid"}, pluck="name", order_by="name")[0]
	household = frappe.get_all(
		"Household",
		{"grid": ["descendants of (inclusive)", grid]},
		["name", "head_of_household_name"],
		order_by="name",
		limit=1,
	)[0]
	inspection = frappe.get_doc(
		{
			"doctype": "Safety Inspection",
			"place_kind": "Household",
			"household": household.name,
			"template": GAS,
		}
	)
	inspection.insert()
	worker = frappe.get_all("Grid Worker Assignment", {"parent": grid}, pluck="user", limit=1)[0]
	frappe.set_user(worker)
	inspection = frappe.get_doc("Safety Inspection", inspection.name)
	for item in inspection.items:
		item.result = "Pass"
	inspection.items[0].result = "Fail"
	inspection.items[0].note = "燃气灶使用橡胶软管连接，已用五年以上，表面老化龟裂，存在漏气风险。"
	inspection.items[0].photo = photos["hazard"]
	inspection.inspection_date = found
	inspection.person_met = household.head_of_household_name
	with on_day(found):
		inspection.submit()
	hazard = inspection.items[0].hazard
	responsible = household.head_of_household_name or "住户"
	steps = [
		(
			found,
			None,
			{
				"responsible_party": f"住户 {responsible}",
				"measures": "将老化的橡胶软管更换为金属波纹管，在灶前加装燃气自闭阀（安全阀），更换后做检漏测试。",
				"funds": "社区协调拉萨市燃气公司上门更换，材料费约180元由住户承担",
				"rectification_deadline": datetime.date(year, 3, 10),
				"contingency_plan": "整改前关闭燃气总阀、停用燃气灶；闻到燃气味立即开窗通风，不开关电器，拨打燃气公司抢修电话。",
			},
		),
		(found, wf.NOTICE_ISSUED, None),
		(datetime.date(year, 3, 4), wf.RECTIFYING, None),
		(
			datetime.date(year, 3, 6),
			None,
			{
				"acceptance_checks": [
					{
						"check_date": datetime.date(year, 3, 6),
						"result": "Passed",
						"result_photo": photos["result"],
					}
				]
			},
		),
		(datetime.date(year, 3, 6), wf.REINSPECTED, None),
		(datetime.date(year, 3, 6), wf.HAZARD_CLOSED, None),
	]
	walk(hazard, worker, steps)
	return hazard


def walk(hazard: str, user: str, steps) -> None:
	"""Save each step's changes, or move to its state, as `user` at that day's working hours."""
	frappe.set_user(user)
	for day, state, changes in steps:
		doc = frappe.get_doc("Safety Hazard", hazard)
		if changes:
			for fieldname, value in changes.items():
				if fieldname == "acceptance_checks":
					for row in value:
						doc.append("acceptance_checks", row)
				else:
					doc.set(fieldname, value)
		else:
			doc.workflow_state = state
		with on_day(day):
			doc.save()
	frappe.set_user("Administrator")


def walk_hazards(rng, today, photos) -> None:
	"""The hazards the year's inspections found, taken as far as their age allows: older ones mostly
	closed, a few referred to the department in charge after a second notice, recent ones in hand."""
	hazards = frappe.get_all(
		"Safety Hazard",
		{"workflow_state": wf.REGISTERED},
		["name", "found_on", "category", "rectification_deadline", "place_kind", "household", "premises"],
		order_by="found_on, name",
	)
	for hazard in hazards:
		found = getdate(hazard.found_on)
		age = (today - found).days
		deadline = getdate(hazard.rectification_deadline)
		worker = worker_of("Safety Hazard", hazard.name)
		party = (
			frappe.db.get_value("Premises", hazard.premises, "operator_name")
			if hazard.premises
			else frappe.db.get_value("Household", hazard.household, "head_of_household_name")
		) or "住户"
		five = {
			"responsible_party": party,
			"measures": "按检查意见限期整改，整改完成后报网格员复查。",
			"funds": "责任方自筹",
			"contingency_plan": "整改期间落实临时防范措施，发现险情立即报告网格员并拨打119。",
		}
		if age < 2:
			continue
		steps = [(found, None, five), (found, wf.NOTICE_ISSUED, None)]
		fate = rng.random()
		if age < 5 or (deadline >= today and fate < 0.5):
			walk(hazard.name, worker, steps)
			continue
		department = REFERRAL_DEPARTMENT.get(hazard.category)
		if fate < 0.05 and department and add_days(found, 3) < today:
			second = add_days(found, 2)
			steps += [
				(second, wf.SECOND_NOTICE_ISSUED, None),
				(second, None, {"referred_to": department}),
				(add_days(second, 1), wf.REFERRED_TO_DEPARTMENT, None),
			]
			walk(hazard.name, worker, steps)
			continue
		if fate < 0.15 and deadline < today:
			# Still in hand after the deadline: the job will flag it overdue.
			walk(hazard.name, worker, [*steps, (add_days(found, 1), wf.RECTIFYING, None)])
			continue
		checked = min(add_days(found, rng.randrange(2, 12)), add_days(today, -1))
		steps += [
			(add_days(found, 1), wf.RECTIFYING, None),
			(
				checked,
				None,
				{
					"acceptance_checks": [
						{"check_date": checked, "result": "Passed", "result_photo": photos["result"]}
					]
				},
			),
			(checked, wf.REINSPECTED, None),
			(checked, wf.HAZARD_CLOSED, None),
		]
		walk(hazard.name, worker, steps)
