# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Sample dispute cases of 幸福社区: a few dozen cases across tiers and workflow states.

The first case is the one the four-step method is told with: a tenant in long conflict with
the property management company, ending in a quarrel with a security guard, mediated on site
by the grid worker together with the grid police officer. The other cases are drawn at random
from the residents of each micro-grid and walked through the workflow as the grid worker or
the community mediator would, with the times they would have happened at.
"""

import datetime

import frappe
from frappe.utils import add_to_date, get_datetime, getdate, now_datetime

from wangge_app.demo import demo_email, make_user
from wangge_app.demo.synthetic import PersonFactory
from wangge_app.mediation.doctype.dispute_case.dispute_case import (
	AGREEMENT_REACHED,
	CLOSED,
	DUE_TARGETS,
	ESCALATED,
	FOLLOW_UP,
	JOINT_HANDLING,
	ON_SITE,
	REFERRED,
)
from wangge_app.overdue import mark_missed_due_times_of
from wangge_app.roles import GRID_WORKER, MEDIATOR

CASE_COUNT = 36
POLICE_STATION = "城关区公安分局幸福路派出所"
PROPERTY_COMPANY = "拉萨安居物业服务有限公司"

# Final states with their weights, and the way there.
PATHS = {
	"reported": ((), 3),
	"on site": ((ON_SITE,), 2),
	"joint handling": ((ON_SITE, JOINT_HANDLING), 4),
	"escalated": ((ON_SITE, JOINT_HANDLING, ESCALATED), 3),
	"agreement": ((ON_SITE, JOINT_HANDLING, AGREEMENT_REACHED), 4),
	"follow-up": ((ON_SITE, JOINT_HANDLING, AGREEMENT_REACHED, FOLLOW_UP), 4),
	"closed": ((ON_SITE, JOINT_HANDLING, AGREEMENT_REACHED, FOLLOW_UP, CLOSED), 9),
	"closed in the community": (
		(ON_SITE, JOINT_HANDLING, ESCALATED, AGREEMENT_REACHED, FOLLOW_UP, CLOSED),
		3,
	),
	"referred": ((ON_SITE, JOINT_HANDLING, ESCALATED, REFERRED), 2),
	"withdrawn": ((ON_SITE, JOINT_HANDLING, FOLLOW_UP, CLOSED), 2),
}

# Per category: (weight, subjects, facts, agreed terms, body a referral goes to).
CATEGORIES = {
	"Neighbours": (
		9,
		("楼上漏水纠纷", "楼道堆放杂物纠纷", "装修噪音纠纷", "停车位占用纠纷"),
		"{a}反映{b}家{issue}，多次沟通未果，双方发生争执。",
		"{b}于三日内处理完毕，双方互相谅解，今后遇事协商解决。",
		"城关区人民法院",
	),
	"Tenancy and Property Management": (
		7,
		("房屋租赁押金纠纷", "物业费缴纳纠纷", "电梯维修费用纠纷"),
		"{a}与{b}因{issue}产生分歧，情绪激动。",
		"{b}按约定退还或减免相关费用；{a}按期缴纳费用，双方不再追究。",
		"城关区住房和城乡建设局",
	),
	"Family": (
		6,
		("赡养老人纠纷", "夫妻家庭矛盾", "遗产分配纠纷"),
		"{a}与{b}因{issue}长期不和，邻居反映家中时有争吵。",
		"双方约定轮流照顾、按月分担费用，互相尊重，不再争吵。",
		"城关区人民法院",
	),
	"Labour": (
		4,
		("拖欠工资纠纷", "工伤赔偿纠纷"),
		"{a}反映{b}拖欠其{issue}，多次讨要未果。",
		"{b}于十日内一次性支付所欠款项。",
		"城关区劳动人事争议仲裁委员会",
	),
	"Consumer": (
		3,
		("预付卡退费纠纷", "家电维修纠纷"),
		"{a}与商户{b}因{issue}发生争执。",
		"{b}退还剩余款项，{a}撤回投诉。",
		"城关区市场监督管理局",
	),
	"Other": (
		2,
		("宠物伤人纠纷", "广场舞场地纠纷"),
		"{a}与{b}因{issue}发生口角。",
		"双方协商后达成谅解，{b}承担相应费用。",
		"城关区人民法院",
	),
}
ISSUES = {
	"楼上漏水纠纷": "卫生间漏水",
	"楼道堆放杂物纠纷": "在楼道堆放杂物",
	"装修噪音纠纷": "夜间装修噪音",
	"停车位占用纠纷": "长期占用车位",
	"房屋租赁押金纠纷": "退还租房押金",
	"物业费缴纳纠纷": "物业费标准",
	"电梯维修费用纠纷": "电梯维修费用分摊",
	"赡养老人纠纷": "老人赡养问题",
	"夫妻家庭矛盾": "家庭琐事",
	"遗产分配纠纷": "房产分配",
	"拖欠工资纠纷": "三个月工资",
	"工伤赔偿纠纷": "工伤医疗费",
	"预付卡退费纠纷": "预付卡退费",
	"家电维修纠纷": "维修质量",
	"宠物伤人纠纷": "宠物狗咬伤",
	"广场舞场地纠纷": "场地使用和音响音量",
}
COMPANIES = {
	"Tenancy and Property Management": PROPERTY_COMPANY,
	"Labour": "拉萨雪域建筑劳务有限公司",
	"Consumer": "幸福路美发店",
}
SATISFACTION = ("Very Satisfied", "Satisfied", "Satisfied", "Neutral")


def make_sample_disputes(factory: PersonFactory) -> dict:
	rng = factory.rng
	mediator_person = factory.person(min_age=35, max_age=55)
	mediator = make_user(
		demo_email("mediator"), mediator_person.full_name, [MEDIATOR], mediator_person.mobile
	).name
	police = {
		grid: factory.person(min_age=28, max_age=45)
		for grid in frappe.get_all("Grid", {"grid_level": "Grid"}, pluck="name")
	}
	micro_grids = frappe.get_all(
		"Grid", {"grid_level": "Micro-grid"}, ["name", "parent_grid"], order_by="name"
	)
	now = now_datetime()

	cases = [make_tenant_case(rng, micro_grids, police, mediator, now)]
	paths = rng.choices(list(PATHS), weights=[weight for _, weight in PATHS.values()], k=CASE_COUNT - 1)
	for path in paths:
		micro_grid = rng.choice(micro_grids)
		category = rng.choices(list(CATEGORIES), weights=[spec[0] for spec in CATEGORIES.values()])[0]
		cases.append(make_random_case(rng, micro_grid, category, path, police, mediator, now))

	frappe.set_user("Administrator")
	overdue = mark_missed_due_times_of("Dispute Case", now)
	return {"cases": len(cases), "mediator": mediator, "overdue": len(overdue)}


def make_tenant_case(rng, micro_grids, police, mediator, now) -> str:
	"""The tenant, the property company and the security guard (issue example)."""
	renter = frappe.get_all(
		"Household",
		{"renter": 1, "grid": ("like", "XF-02-%")},
		["name", "grid", "head_of_household"],
		limit=1,
	)[0]
	micro_grid = next(grid for grid in micro_grids if grid.name == renter.grid)
	discovered_at = at_hour(now.date() - datetime.timedelta(days=40), 19, 20)
	times = [
		add_to_date(discovered_at, minutes=25),
		add_to_date(discovered_at, minutes=50),
		add_to_date(discovered_at, hours=3),
		add_to_date(discovered_at, days=5),
		add_to_date(discovered_at, days=6),
	]
	case = new_case(
		micro_grid,
		subject="租户与物业公司纠纷（与保安发生口角）",
		category="Tenancy and Property Management",
		case_source="Resident Report",
		discovered_at=discovered_at,
		parties=[
			{"party_role": "Applicant", "resident": renter.head_of_household},
			{"party_role": "Respondent", "party_name": PROPERTY_COMPANY, "phone": "0891-6335188"},
			{"party_role": "Other", "party_name": "物业保安 王建军"},
		],
		description=(
			"租户因房屋漏水维修和物业费问题与物业公司长期存在矛盾，当晚在小区门口与值班保安发生口角，"
			"围观群众拨打社区电话反映。"
		),
		police=police[micro_grid.parent_grid],
	)
	agreed = (
		"一、物业公司于三日内派人维修漏水管道，维修费用由物业公司承担；\n"
		"二、租户于本月底前补缴所欠物业费；\n"
		"三、双方就当晚口角互相致歉，今后遇事通过网格员协商解决。"
	)
	walk(
		case,
		(ON_SITE, JOINT_HANDLING, AGREEMENT_REACHED, FOLLOW_UP, CLOSED),
		times,
		mediator,
		agreement_terms=agreed,
		visit={"result": "漏水已修复，物业费已补缴，双方关系缓和。", "satisfaction": "Very Satisfied"},
	)
	return case.name


def make_random_case(rng, micro_grid, category, path, police, mediator, now) -> str:
	_, subjects, facts, terms, referral_body = CATEGORIES[category]
	subject = rng.choice(subjects)
	residents = frappe.get_all("Resident", {"grid": micro_grid.name}, ["name", "full_name", "household"])
	applicant = rng.choice(residents)
	if category in COMPANIES:
		respondent = {"party_role": "Respondent", "party_name": COMPANIES[category]}
		respondent_name = COMPANIES[category]
	else:
		neighbour = rng.choice(
			[resident for resident in residents if resident.household != applicant.household]
		)
		respondent = {"party_role": "Respondent", "resident": neighbour.name}
		respondent_name = neighbour.full_name

	states = PATHS[path][0]
	# Closed cases lie further back, so that every step happened before today; cases still
	# in hand are recent, as most cases are handled in time.
	if states and states[-1] == CLOSED:
		days_back = rng.randint(12, 150)
	else:
		days_back = rng.randint(0, 2) if len(states) < 2 else rng.randint(3, 9)
	discovered_at = at_hour(
		now.date() - datetime.timedelta(days=days_back), rng.randint(8, 20), rng.choice((0, 15, 30, 45))
	)
	if discovered_at > now:
		discovered_at = add_to_date(now, hours=-rng.randint(1, 6))
	times = step_times(rng, discovered_at, states, now)
	case = new_case(
		micro_grid,
		subject=subject,
		category=category,
		case_source=rng.choice(("Grid Patrol", "Grid Patrol", "Resident Report", "Referral")),
		discovered_at=discovered_at,
		parties=[{"party_role": "Applicant", "resident": applicant.name}, respondent],
		description=facts.format(a=applicant.full_name, b=respondent_name, issue=ISSUES[subject]),
		police=police[micro_grid.parent_grid] if rng.random() < 0.5 else None,
	)
	walk(
		case,
		states,
		times,
		mediator,
		agreement_terms=terms.format(a=applicant.full_name, b=respondent_name),
		referred_to=referral_body,
		outcome_without_agreement="Withdrawn by Parties" if path == "withdrawn" else None,
		visit={"result": "双方已按约定履行，未再发生矛盾。", "satisfaction": rng.choice(SATISFACTION)},
	)
	return case.name


def step_times(rng, discovered_at, states, now) -> list[datetime.datetime]:
	"""A plausible time for each state change: arrival within hours, settlement within days."""
	gaps = {
		ON_SITE: lambda: {"minutes": rng.randint(15, 150)},
		JOINT_HANDLING: lambda: {"minutes": rng.randint(20, 240)},
		ESCALATED: lambda: {"days": rng.randint(1, 3)},
		AGREEMENT_REACHED: lambda: {"hours": rng.randint(2, 96)},
		REFERRED: lambda: {"days": rng.randint(2, 10)},
		FOLLOW_UP: lambda: {"days": rng.randint(1, 6)},
		CLOSED: lambda: {"days": rng.randint(0, 3), "hours": 2},
	}
	times, current = [], discovered_at
	for state in states:
		current = min(
			add_to_date(current, **gaps[state]()), add_to_date(now, minutes=-len(states) + len(times))
		)
		times.append(current)
	return times


def new_case(micro_grid, police=None, **fields):
	worker = frappe.get_cached_doc("Grid", micro_grid.name).grid_workers[0].user
	handlers = [{"handler_role": GRID_WORKER, "user": worker}]
	if police:
		handlers.append(
			{
				"handler_role": "Grid Police Officer",
				"handler_name": police.full_name,
				"organisation": POLICE_STATION,
				"phone": police.mobile,
			}
		)
	frappe.set_user(worker)
	return frappe.get_doc(
		{"doctype": "Dispute Case", "grid": micro_grid.name, "handlers": handlers, **fields}
	).insert()


# The stamps a transition or a follow-up visit sets to the time it is saved.
STAMPS = ("arrived_at", "escalated_at", "settled_at", "closed_at", "followed_up_at")
DUE_FIELDS = ("next_due_by", *(f for t in DUE_TARGETS for f in (t.due_field, t.alerted_field)))


def walk(
	case, states, times, mediator, agreement_terms, visit, referred_to=None, outcome_without_agreement=None
):
	"""Move the case through `states` as the user who owns each step, then date each step at the
	given time: the controller stamps the time a step is saved, as for any user, and the sample
	history rewrites those stamps after the fact."""
	worker = case.handlers[0].user
	community = False
	for state, time in zip(states, times, strict=True):
		community = community or state in (ESCALATED, REFERRED)
		frappe.set_user(mediator if community and state != ESCALATED else worker)
		case = frappe.get_doc("Dispute Case", case.name)
		# What the step needs is saved first; the transition itself carries no other edits.
		edited = True
		if state == AGREEMENT_REACHED:
			case.agreement_terms = agreement_terms
		elif state == REFERRED:
			case.referred_to = referred_to
		elif state == FOLLOW_UP and outcome_without_agreement:
			case.outcome = outcome_without_agreement
		elif state == CLOSED:
			case.append("follow_up_visits", {"visit_date": getdate(time), **visit})
		else:
			edited = False
		if edited:
			save_dated(case, time)
			case = frappe.get_doc("Dispute Case", case.name)
		case.workflow_state = state
		save_dated(case, time)
	frappe.set_user("Administrator")
	# The due times follow from the rewritten stamps, as the patch that stored them computed them.
	case = frappe.get_doc("Dispute Case", case.name)
	case.set_due_times(force=True, met_too=True)
	case.db_set({field: case.get(field) for field in DUE_FIELDS}, update_modified=False)


def save_dated(case, time) -> None:
	"""Save the case, then date what this save stamped (its stamps, its new steps, the version of
	the change, the case's modified time) at `time`."""
	time = get_datetime(time)
	stamped = {field: case.get(field) for field in STAMPS}
	steps = {row.name for row in case.step_log}
	case.save()
	changed = {field: time for field in STAMPS if case.get(field) and case.get(field) != stamped[field]}
	case.db_set({**changed, "modified": time}, update_modified=False)
	for row in case.step_log:
		if row.name not in steps:
			frappe.db.set_value("Dispute Case Step", row.name, "step_time", time, update_modified=False)
	version = frappe.get_all(
		"Version",
		{"ref_doctype": case.doctype, "docname": case.name},
		pluck="name",
		order_by="creation desc",
		limit=1,
	)
	if version:
		frappe.db.set_value(
			"Version", version[0], {"creation": time, "modified": time}, update_modified=False
		)


def at_hour(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
	return datetime.datetime.combine(day, datetime.time(hour, minute))
