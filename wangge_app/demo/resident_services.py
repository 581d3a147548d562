# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Sample residents' requests, household visits and assisted services of 幸福社区.

A year of requests, about 80% of them resolved in the grid (the community's figure); the request about
the jammed two-way main road with nowhere to park, referred to the traffic police, made one-way, with
paid parking laid out and run by a third-party company, and closed; a request sent through a contact
card's QR code; household visits of the last three months; assisted services for elderly residents.
Draws from its own random stream, so that it changes no other sample data, whatever runs before it.
"""

import datetime
import random

import frappe
from frappe.utils import add_to_date, get_datetime, getdate, now_datetime

from wangge_app import workflows as wf
from wangge_app.demo import DEMO_SEED, demo_email
from wangge_app.demo.synthetic import PersonFactory
from wangge_app.overdue import mark_missed_due_times_of
from wangge_app.resident_services.doctype.contact_card_token.contact_card_token import active_token

REQUEST_COUNT = 150
VISIT_COUNT = 60
TRAFFIC_POLICE = "城关区公安分局交通警察大队"
# category: (weight, (subject, description) …)
CATEGORIES = {
	"Environment and Sanitation": (
		5,
		(
			("垃圾清运不及时", "{building}门口的垃圾桶满了两天没人清运，气味很大。"),
			("楼道堆放杂物", "{building}楼道里堆满了纸箱和旧家具，影响通行，也有消防隐患。"),
		),
	),
	"Public Facilities": (
		5,
		(
			("楼道灯不亮", "{building}的楼道灯坏了一个星期，老人晚上上下楼看不见。"),
			("健身器材损坏", "小区广场的健身器材有一个摇摇晃晃，担心老人孩子受伤。"),
		),
	),
	"Property Management": (
		4,
		(
			("电梯经常故障", "{building}的电梯这个月停了三次，物业维修很慢。"),
			("屋顶漏水", "顶楼屋顶下雨漏水，物业一直没来修。"),
		),
	),
	"Water, Power, Gas and Heating": (
		3,
		(
			("暖气不热", "{building}暖气温度太低，屋里只有十几度。"),
			("停水未通知", "今天突然停水，没有提前通知。"),
		),
	),
	"Neighbours": (3, (("楼上噪音", "楼上邻居晚上十一点以后还在装修，影响休息。"),)),
	"Traffic and Parking": (2, (("小区门口乱停车", "小区门口经常有车乱停，救护车进不来。"),)),
	"Social Security": (2, (("医保报销咨询", "老人想了解门诊慢性病医保报销怎么办理。"),)),
	"Other": (1, (("宠物扰民", "邻居家的狗晚上一直叫。"),)),
}
# Where a closed request was handled: in the grid about 80%, by the community, or with departments.
LEVELS = (("In the Grid", 80), ("By the Community", 15), ("whistle", 5))
SATISFACTION = (("Satisfied", 75), ("Basically Satisfied", 20), ("Not Satisfied", 5))
ELDERLY_SERVICES = (
	"Pension Eligibility Certification",
	"Medical Insurance Payment",
	"Old-age Allowance Application",
	"Disability Card Review",
)


def make_sample_resident_services(factory: PersonFactory) -> dict:
	rng = random.Random(DEMO_SEED + 12)
	now = now_datetime()
	manager = demo_email("manager")
	households = frappe.get_all(
		"Household", fields=["name", "grid", "building", "head_of_household"], order_by="name"
	)
	requests = [make_road_and_parking_request(manager, now)]
	for _ in range(REQUEST_COUNT):
		requests.append(make_random_request(rng, rng.choice(households), manager, now))
	requests.append(make_qr_card_request(households[0]))
	visits = [make_visit(rng, rng.choice(households), now) for _ in range(VISIT_COUNT)]
	services = make_assisted_services(rng, now)
	frappe.set_user("Administrator")
	overdue = mark_missed_due_times_of("Resident Request", now)
	return {
		"requests": len(requests),
		"visits": len(visits),
		"assisted_services": services,
		"overdue": len(overdue),
	}


def weighted(rng, choices):
	return rng.choices([value for value, _ in choices], weights=[weight for _, weight in choices])[0]


def new_request(user: str, **fields):
	frappe.set_user(user)
	return frappe.get_doc({"doctype": "Resident Request", **fields}).insert()


def move(request, state: str, user: str, at, **changes):
	"""Save what the step needs, then make the transition, as `user`, at `at`."""
	frappe.set_user(user)
	doc = frappe.get_doc("Resident Request", request.name)
	if changes:
		for key, value in changes.items():
			if key in ("referrals", "follow_ups"):
				for row in value:
					doc.append(key, row)
			else:
				doc.set(key, value)
		doc.flags.action_time = get_datetime(at)
		doc.save()
		doc = frappe.get_doc("Resident Request", request.name)
	doc.workflow_state = state
	doc.flags.action_time = get_datetime(at)
	doc.save()
	return doc


def make_road_and_parking_request(manager: str, now) -> str:
	"""The main road: two-way, jammed at rush hour, nowhere to park; the community blew the whistle, the
	traffic police made it one-way, a third-party company lays out and runs paid parking."""
	household = frappe.get_all("Household", {"grid": ("like", "XF-01-%")}, ["name", "grid"], limit=1)[0]
	received = datetime.datetime.combine(getdate(now) - datetime.timedelta(days=120), datetime.time(9, 30))
	worker = first_worker(household.grid)
	request = new_request(
		worker,
		subject="主干道早晚高峰拥堵、无处停车",
		channel="Contact Card Call",
		household=household.name,
		category="Traffic and Parking",
		grade="Complex",
		received_at=received,
		description="小区门前主干道是双向通行，早晚高峰堵得水泄不通，两边也没有停车的地方，车辆乱停更加拥堵。",
	)
	at = lambda **delta: add_to_date(received, **delta)  # noqa: E731
	request = move(request, wf.ACKNOWLEDGED, worker, at(hours=2))
	request = move(request, wf.VISITED, worker, at(days=1))
	request = move(request, wf.COORDINATING, worker, at(days=2), handling_level="By the Community")
	request = move(
		request,
		wf.WHISTLE_BLOWN,
		manager,
		at(days=3),
		referrals=[
			{
				"department": TRAFFIC_POLICE,
				"referred_on": getdate(at(days=3)),
				"asked": "请研究将小区门前主干道改为单向通行，并规划停车位。",
				"answer": "经现场勘查，主干道改为由东向西单向通行，道路南侧施划收费停车位。",
				"answered_on": getdate(at(days=10)),
			}
		],
	)
	request = move(
		request,
		wf.RESOLVED,
		worker,
		at(days=12),
		resolution="交警大队将主干道改为单行道；社区引入第三方公司施划并管理收费停车位，高峰拥堵明显缓解。",
	)
	request = move(
		request,
		wf.FOLLOWED_UP,
		worker,
		at(days=15),
		follow_ups=[
			{
				"follow_up_date": getdate(at(days=15)),
				"reached": 1,
				"contacted": 1,
				"resolved": 1,
				"satisfaction": "Satisfied",
				"remarks": "居民表示出行顺畅多了，停车也有了地方。",
			}
		],
	)
	return move(request, wf.REQUEST_CLOSED, manager, at(days=16)).name


def first_worker(grid: str) -> str:
	from wangge_app.utils.assignment import nearest_grid_workers

	return nearest_grid_workers(grid)[0]


def make_random_request(rng, household, manager: str, now) -> str:
	category = weighted(rng, [(name, spec[0]) for name, spec in CATEGORIES.items()])
	subject, description = rng.choice(CATEGORIES[category][1])
	days_back = rng.randint(0, 365)
	received = datetime.datetime.combine(
		getdate(now) - datetime.timedelta(days=days_back),
		datetime.time(rng.randint(8, 20), rng.choice((0, 20, 40))),
	)
	if received > now:
		received = add_to_date(now, hours=-1)
	worker = first_worker(household.grid)
	request = new_request(
		worker,
		subject=subject,
		channel=rng.choice(("Contact Card Call", "Contact Card Call", "Home Visit", "Walk-in", "Hotline")),
		household=household.name,
		requester=household.head_of_household,
		category=category,
		received_at=received,
		description=description.format(building=f"{household.building}栋"),
	)
	# Old requests are closed; the last weeks' are at every stage.
	steps = 7 if days_back > 21 else rng.randint(0, 7)
	level = weighted(rng, LEVELS)
	clock = received

	def later(**delta):
		nonlocal clock
		clock = min(add_to_date(clock, **delta), now)
		return clock

	if steps >= 1:
		request = move(request, wf.ACKNOWLEDGED, worker, later(hours=rng.randint(1, 12)))
	if steps >= 2:
		request = move(request, wf.VISITED, worker, later(hours=rng.randint(2, 30)))
	if steps >= 3:
		request = move(
			request,
			wf.COORDINATING,
			worker,
			later(hours=rng.randint(1, 12)),
			handling_level="By the Community"
			if level == "By the Community" or level == "whistle"
			else "In the Grid",
		)
	if steps >= 4 and level == "whistle":
		department = rng.choice(("城关区城市管理和综合执法局", "幸福小区物业服务中心", "国网拉萨供电公司"))
		request = move(
			request,
			wf.WHISTLE_BLOWN,
			manager,
			later(days=1),
			referrals=[
				{"department": department, "referred_on": getdate(clock), "asked": f"请协助处理：{subject}"}
			],
		)
	if steps >= 5:
		# Most requests are resolved within their time limit; utilities within hours.
		hours = rng.randint(2, 20) if category == "Water, Power, Gas and Heating" else rng.randint(6, 130)
		request = move(
			request, wf.RESOLVED, worker, later(hours=hours), resolution=f"已协调解决：{subject}。"
		)
	if steps >= 6:
		satisfaction = weighted(rng, SATISFACTION)
		request = move(
			request,
			wf.FOLLOWED_UP,
			worker,
			later(days=rng.randint(1, 3)),
			follow_ups=[
				{
					"follow_up_date": getdate(clock),
					"reached": 1,
					"contacted": int(rng.random() < 0.95),
					"resolved": int(satisfaction != "Not Satisfied"),
					"satisfaction": satisfaction,
				}
			],
		)
		if steps >= 7 and satisfaction != "Not Satisfied":
			request = move(request, wf.REQUEST_CLOSED, worker, later(hours=rng.randint(1, 24)))
	frappe.set_user("Administrator")
	return request.name


def make_qr_card_request(household) -> str:
	"""A request a resident sent from the contact card's QR code (as the /request page makes it)."""
	frappe.set_user("Administrator")
	active_token(household.name)
	request = frappe.get_doc(
		{
			"doctype": "Resident Request",
			"channel": "Contact Card QR Code",
			"household": household.name,
			"category": "Public Facilities",
			"subject": "单元门门禁坏了",
			"description": "单元门门禁坏了，门一直关不上，晚上不安全。",
			"best_time_to_call": "Evening",
		}
	)
	request.flags.ignore_permissions = True
	return request.insert().name


def make_visit(rng, household, now) -> str:
	frappe.set_user(first_worker(household.grid))
	visit = frappe.get_doc(
		{
			"doctype": "Household Visit",
			"household": household.name,
			"purpose": rng.choice(
				("Routine Visit", "Routine Visit", "Paired Household", "Elderly Living Alone")
			),
			"visit_date": getdate(now) - datetime.timedelta(days=rng.randint(0, 90)),
			"findings": rng.choice(
				("家中一切正常。", "老人身体尚好，叮嘱注意防寒。", "反映楼道灯不亮，已记录。")
			),
		}
	).insert()
	frappe.set_user("Administrator")
	return visit.name


def make_assisted_services(rng, now) -> int:
	"""Services for elderly residents: authorised, with their documents taken and returned, most completed."""
	elders = frappe.get_all(
		"Resident", {"is_elderly": 1}, ["name", "full_name", "grid"], order_by="name", limit=12
	)
	for index, elder in enumerate(elders):
		worker = first_worker(elder.grid)
		frappe.set_user(worker)
		service = frappe.get_doc(
			{
				"doctype": "Assisted Service Request",
				"resident": elder.name,
				"service_type": ELDERLY_SERVICES[index % len(ELDERLY_SERVICES)],
				"mode": "At Home" if index % 3 else "Errand",
				"requested_on": getdate(now) - datetime.timedelta(days=rng.randint(5, 60)),
			}
		).insert()
		if index % 4 == 3:
			continue  # still waiting for the written authorisation
		service.update(
			{
				"authoriser_name": elder.full_name,
				"authoriser_id_number": frappe.db.get_value("Resident", elder.name, "id_number"),
				"authorisation_scope": f"代为办理{frappe._(service.service_type, lang='zh')}",
				"authorised_on": service.requested_on,
			}
		)
		service.save()
		service.workflow_state = wf.AUTHORISED
		service.save()
		service.workflow_state = wf.IN_PROGRESS
		service.save()
		service.append("custody_log", {"document": "身份证", "action": "Taken"})
		service.save()
		if index % 4 == 2:
			continue  # in progress, the ID card still with the grid worker
		service.append("custody_log", {"document": "身份证", "action": "Returned"})
		service.result = "已办结"
		service.save()
		service.workflow_state = wf.SERVICE_COMPLETED
		service.save()
	frappe.set_user("Administrator")
	return len(elders)
