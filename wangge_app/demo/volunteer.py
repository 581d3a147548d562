# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Volunteer service of 幸福社区: the in-service party members registered since 2018 (双报到), their
work units, eight years of volunteer activities and the points they earned (双积分).

The figures match the community's: over 1,000 registered members, about 34,000 points earned,
about 17 activities per member. Members go through their DocType; the years of history — about
650 activities with 18,000 attendances — are bulk-inserted as submitted activities with their
ledger entries, and the kept balances are then set from that ledger in one statement and checked
against it (`check_kept_balances`). A few current documents (adjustments, draft activities) go
through the documents and the one ledger writer, as they would on a live site.
"""

import datetime

import frappe
from frappe.utils import add_days, getdate

from wangge_app.demo.grid import COMMUNITY_CODE
from wangge_app.demo.synthetic import PersonFactory
from wangge_app.volunteer import points
from wangge_app.volunteer.doctype.in_service_party_member.in_service_party_member import ACTIVE
from wangge_app.volunteer.install import make_standard_service_types

MEMBER_COUNT = 1068
TARGET_POINTS = 34_000
FIRST_YEAR = 2018
HISTORY_START = datetime.date(2019, 1, 1)
ORGANISER = "幸福社区党委"

# (name, type, level)
WORK_UNITS = (
	("城关区人民政府办公室", "Government Office", "District Level"),
	("城关区发展和改革委员会", "Government Office", "District Level"),
	("城关区教育局", "Government Office", "District Level"),
	("城关区民政局", "Government Office", "District Level"),
	("城关区卫生健康委员会", "Government Office", "District Level"),
	("城关区市场监督管理局", "Government Office", "District Level"),
	("城关区住房和城乡建设局", "Government Office", "District Level"),
	("城关区人力资源和社会保障局", "Government Office", "District Level"),
	("城关区司法局", "Government Office", "District Level"),
	("城关区财政局", "Government Office", "District Level"),
	("拉萨市公安局城关分局", "Government Office", "City Level"),
	("拉萨市城市管理和综合执法局", "Government Office", "City Level"),
	("拉萨市生态环境局", "Government Office", "City Level"),
	("拉萨市交通运输局", "Government Office", "City Level"),
	("拉萨市税务局", "Government Office", "City Level"),
	("西藏自治区人民政府办公厅", "Government Office", "Autonomous Region Level"),
	("西藏自治区统计局", "Government Office", "Autonomous Region Level"),
	("西藏自治区人民医院", "Institution", "Autonomous Region Level"),
	("拉萨市人民医院", "Institution", "City Level"),
	("城关区疾病预防控制中心", "Institution", "District Level"),
	("拉萨中学", "Institution", "City Level"),
	("拉萨市第一中学", "Institution", "City Level"),
	("城关区实验小学", "Institution", "District Level"),
	("西藏大学", "Institution", "Autonomous Region Level"),
	("拉萨市图书馆", "Institution", "City Level"),
	("八廓街道社区卫生服务中心", "Institution", "Sub-district Level"),
	("国网拉萨供电公司", "Enterprise", "City Level"),
	("中国移动西藏公司拉萨分公司", "Enterprise", "City Level"),
	("中国银行西藏自治区分行", "Enterprise", "Autonomous Region Level"),
	("中国邮政拉萨市分公司", "Enterprise", "City Level"),
	("拉萨市自来水有限公司", "Enterprise", "City Level"),
	("西藏天路股份有限公司", "Enterprise", "Autonomous Region Level"),
	("拉萨城投集团", "Enterprise", "City Level"),
	("西藏高争建材股份有限公司", "Enterprise", "Autonomous Region Level"),
)
# Larger offices send more members.
UNIT_WEIGHTS = [3 if level in ("District", "City Level") else 2 for _name, _type, level in WORK_UNITS]

# Community-added kinds of service (the "N" of "8+N").
CUSTOM_SERVICE_TYPES = (("双语宣讲", 2, "用藏汉双语宣讲政策和法律知识。"),)

# Kinds of service with how often the community organises them, and activity titles for each.
ACTIVITY_KINDS = {
	"政策宣传": (13, ("惠民政策进小区宣讲", "民法典宣传", "防范电信诈骗宣传", "医保政策宣讲")),
	"交通疏导": (9, ("上下学时段交通文明劝导", "节日期间路口交通疏导", "文明出行劝导")),
	"环境绿化": (13, ("小区环境卫生大扫除", "植树护绿", "拉萨河沿岸垃圾清理", "垃圾分类宣传")),
	"治安巡逻": (8, ("夜间治安巡逻", "消防安全隐患排查", "节前安全巡查")),
	"关爱帮扶": (10, ("走访慰问独居老人", "困难家庭结对帮扶", "关爱留守儿童", "助残志愿服务")),
	"文明创建": (12, ("文明城市创建志愿服务", "移风易俗宣传", "文明养犬劝导")),
	"文体活动": (12, ("社区锅庄舞活动服务", "林卡节活动保障", "全民健身日活动服务")),
	"便民服务": (9, ("义诊义剪进社区", "家电义务维修", "代办代缴便民服务")),
	"双语宣讲": (4, ("双语政策宣讲", "双语法律知识讲座")),
}
PARTICIPANTS_PER_ACTIVITY = (15, 42)


def make_volunteer_service(factory: PersonFactory) -> dict:
	rng = factory.rng
	make_standard_service_types()
	for name, default_points, description in CUSTOM_SERVICE_TYPES:
		frappe.get_doc(
			{
				"doctype": "Volunteer Service Type",
				"service_type_name": name,
				"default_points": default_points,
				"description": description,
			}
		).insert()
	for name, unit_type, level in WORK_UNITS:
		contact = factory.person(min_age=30, max_age=55)
		frappe.get_doc(
			{
				"doctype": "Work Unit",
				"unit_name": name,
				"unit_type": unit_type,
				"unit_level": level,
				"contact_person": contact.full_name,
				"contact_phone": f"0891-6{rng.randint(0, 999_999):06d}",
			}
		).insert()

	members = make_members(factory)
	history = make_activity_history(rng, members, factory.today)
	current = make_current_documents(rng, members, factory.today)

	mismatches = points.check_kept_balances()
	if mismatches:
		frappe.throw(f"Sample volunteer points: kept balances differ from the ledger: {mismatches[:5]}")
	earned = frappe.db.sql(
		"select sum(points) from `tabVolunteer Points Entry` where entry_type = %s", points.EARNED
	)[0][0]
	return {
		"work_units": len(WORK_UNITS),
		"members": len(members),
		"activities": history["activities"],
		"attendances": history["attendances"],
		"points_earned": int(earned),
		"activities_per_member": round(history["attendances"] / len(members), 1),
		**current,
	}


def make_members(factory: PersonFactory) -> list[dict]:
	"""Register the members; a fifth of them are party members living in the community."""
	rng = factory.rng
	today = factory.today
	residents = frappe.get_all(
		"Resident",
		filters={
			"is_party_member": 1,
			"date_of_birth": ("between", (add_days(today, -60 * 365), add_days(today, -23 * 365))),
		},
		fields=["name", "full_name", "mobile", "grid"],
		order_by="name",
	)
	living_here = rng.sample(residents, min(len(residents), MEMBER_COUNT // 5))
	grids = frappe.get_all("Grid", filters={"grid_level": "Grid"}, pluck="name", order_by="name")
	units = [name for name, _type, _level in WORK_UNITS]
	area_of = grid_areas()
	registration_days = (today - datetime.date(FIRST_YEAR, 3, 1)).days

	members = []
	for number in range(MEMBER_COUNT):
		resident = living_here[number] if number < len(living_here) else None
		person = factory.person(min_age=24, max_age=58)
		# Most registered in the campaign's first years; some every year since.
		registered = datetime.date(FIRST_YEAR, 3, 1) + datetime.timedelta(
			days=int(registration_days * rng.random() ** 1.6)
		)
		roll = rng.random()
		status = "In Service" if roll < 0.92 else "Suspended" if roll < 0.96 else "Transferred Out"
		member = frappe.get_doc(
			{
				"doctype": "In-service Party Member",
				"full_name": resident.full_name if resident else person.full_name,
				"mobile": (resident and resident.mobile) or person.mobile,
				"work_unit": rng.choices(units, weights=UNIT_WEIGHTS)[0],
				"resident": resident.name if resident else None,
				"registration_date": registered,
				"grid": resident.grid if resident else rng.choice(grids),
				"status": status,
			}
		).insert()
		members.append(
			{
				"name": member.name,
				"registered": registered,
				"grid": area_of[member.grid],
				# How keen: a few members attend most activities, many attend now and then.
				"keenness": rng.paretovariate(1.6),
			}
		)
	return members


def make_activity_history(rng, members: list[dict], today: datetime.date) -> dict:
	"""Submitted activities from 2019 until last month, bulk-inserted with their ledger entries."""
	service_points = dict(
		frappe.get_all("Volunteer Service Type", fields=["name", "default_points"], as_list=True)
	)
	kinds = list(ACTIVITY_KINDS)
	kind_weights = [ACTIVITY_KINDS[kind][0] for kind in kinds]
	grids = frappe.get_all(
		"Grid", filters={"grid_level": "Grid"}, fields=["name", "grid_name"], order_by="name"
	)
	history_end = add_days(today, -30)
	span = (getdate(history_end) - HISTORY_START).days

	# Draw activities until the community's points are reached, then give them names in date order.
	drafts, earned = [], 0
	while earned < TARGET_POINTS:
		kind = rng.choices(kinds, weights=kind_weights)[0]
		start = datetime.datetime.combine(
			HISTORY_START + datetime.timedelta(days=rng.randrange(span)),
			datetime.time(rng.choice((9, 10, 15)), rng.choice((0, 30))),
		)
		# An activity is organised in one grid, for the members registered there.
		grid = rng.choice(grids)
		eligible = [
			member
			for member in members
			if member["registered"] <= start.date() and member["grid"] == grid.name
		]
		if not eligible:
			continue
		size = min(len(eligible), rng.randint(*PARTICIPANTS_PER_ACTIVITY))
		attendees = weighted_sample(rng, eligible, size)
		# Whoever came earns the points; the last attendees would overshoot the target.
		attendees = attendees[
			: max(1, min(len(attendees), (TARGET_POINTS - earned) // service_points[kind] or 1))
		]
		earned += service_points[kind] * len(attendees)
		drafts.append((start, kind, grid, attendees, eligible))
	drafts.sort(key=lambda draft: draft[0])

	owner = "Administrator"
	activity_rows, participant_rows, entry_rows = [], [], []
	series = {}
	for start, kind, grid, attendees, eligible in drafts:
		series[start.year] = series.get(start.year, 0) + 1
		name = f"VA-{start.year}-{series[start.year]:04d}"
		end = start + datetime.timedelta(hours=rng.choice((2, 2, 3, 4)))
		title = rng.choice(ACTIVITY_KINDS[kind][1])
		per_participant = service_points[kind]
		created = end
		absent = [member for member in weighted_sample(rng, eligible, 2) if member not in attendees][
			: rng.choice((0, 0, 1, 2))
		]
		activity_rows.append(
			(
				name, created, created, owner, owner, 1, 0, title, kind, grid.name, grid.grid_name.replace("幸福社区", ""),
				ORGANISER, start, end, len(attendees) + len(absent) + rng.randint(0, 10), per_participant,
				len(attendees),
			)
		)  # fmt: skip
		for idx, member in enumerate(sorted(attendees, key=lambda m: m["name"]) + absent, start=1):
			attended = member not in absent
			participant_rows.append(
				(
					frappe.generate_hash(length=10), created, created, owner, owner, 1, idx, name,
					"Volunteer Activity", "participants", member["name"], int(attended),
					rng.choice((2, 2.5, 3)) if attended else 0, "" if attended else "请假",
				)
			)  # fmt: skip
		for offset, member in enumerate(sorted(attendees, key=lambda m: m["name"])):
			stamp = created + datetime.timedelta(microseconds=offset)
			entry_rows.append(
				(
					frappe.generate_hash(length=10), stamp, stamp, owner, owner, 0, 0, member["name"],
					per_participant, points.EARNED, end.date(), "Volunteer Activity", name, title,
				)
			)  # fmt: skip

	common = ["name", "creation", "modified", "owner", "modified_by", "docstatus", "idx"]
	frappe.db.bulk_insert(
		"Volunteer Activity",
		[*common, "title", "service_type", "grid", "place", "organiser", "start_time", "end_time", "capacity",
			"points_per_participant", "attendee_count"],
		activity_rows,
	)  # fmt: skip
	frappe.db.bulk_insert(
		"Volunteer Activity Participant",
		[*common, "parent", "parenttype", "parentfield", "member", "attended", "hours", "notes"],
		participant_rows,
	)
	frappe.db.bulk_insert(
		"Volunteer Points Entry",
		[*common, "member", "points", "entry_type", "posting_date", "voucher_type", "voucher_no", "remarks"],
		entry_rows,
	)
	# The naming series continue after the history.
	for year, current in series.items():
		frappe.db.sql(
			"insert into `tabSeries` (name, current) values (%s, %s) "
			"on duplicate key update current = greatest(current, values(current))",
			(f"VA-{year}-", current),
		)
	# member_name is fetched on save; the bulk rows get it in one statement.
	frappe.db.sql(
		"""update `tabVolunteer Points Entry` e join `tabIn-service Party Member` m on m.name = e.member
		set e.member_name = m.full_name where e.member_name is null"""
	)
	frappe.db.sql(
		"""update `tabVolunteer Activity Participant` p join `tabIn-service Party Member` m on m.name = p.member
		set p.member_name = m.full_name where p.member_name is null"""
	)
	set_kept_balances_from_ledger()
	return {"activities": len(activity_rows), "attendances": len(entry_rows)}


def set_kept_balances_from_ledger() -> None:
	"""Only for bulk-inserted history on a fresh site: every later entry goes through the ledger writer."""
	frappe.db.sql(
		"""update `tabIn-service Party Member` m
		join (
			select member, sum(points) as balance,
				sum(case when voucher_type = 'Volunteer Activity' and entry_type = 'Earned' then 1
					when voucher_type = 'Volunteer Activity' and entry_type = 'Reversal' then -1 else 0 end)
					as activities
			from `tabVolunteer Points Entry` group by member
		) l on l.member = m.name
		set m.points_balance = l.balance, m.activity_count = l.activities"""
	)


def make_current_documents(rng, members: list[dict], today: datetime.date) -> dict:
	"""This month's documents, made the way staff make them: through the forms' controllers."""
	active = frappe.get_all(
		"In-service Party Member", filters={"status": ACTIVE}, pluck="name", order_by="name"
	)
	# Upcoming activities are organised in the first grid, for its members.
	first_grid = f"{COMMUNITY_CODE}-01"
	first_grid_active = frappe.get_all(
		"In-service Party Member",
		filters={"status": ACTIVE, "grid": ("descendants of (inclusive)", first_grid)},
		pluck="name",
		order_by="name",
	)
	adjustments = []
	for member, amount, reason in (
		(rng.choice(active), 2, "补录上月关爱帮扶活动积分（签到表遗漏）"),
		(rng.choice(active), 3, "参与社区应急抢险，经社区党委研究给予奖励积分"),
		(rng.choice(active), -1, "重复登记的活动积分予以扣减"),
	):
		adjustment = frappe.get_doc(
			{
				"doctype": "Points Adjustment",
				"member": member,
				"points": amount,
				"posting_date": add_days(today, -rng.randint(1, 20)),
				"reason": reason,
			}
		)
		if amount < 0 and points.get_kept_balance(member) < -amount:
			adjustment.points = 1
		adjustment.insert()
		adjustment.submit()
		adjustments.append(adjustment.name)

	upcoming = []
	for days, kind, title in ((5, "环境绿化", "迎新春小区环境大扫除"), (12, "关爱帮扶", "走访慰问独居老人")):
		start = datetime.datetime.combine(add_days(today, days), datetime.time(9, 30))
		activity = frappe.get_doc(
			{
				"doctype": "Volunteer Activity",
				"title": title,
				"service_type": kind,
				"grid": first_grid,
				"place": "幸福小区广场",
				"organiser": ORGANISER,
				"start_time": start,
				"end_time": start + datetime.timedelta(hours=3),
				"capacity": 30,
				"participants": [
					{"member": member, "attended": 1} for member in rng.sample(first_grid_active, 12)
				],
			}
		).insert()
		upcoming.append(activity.name)
	return {"adjustments": adjustments, "upcoming_activities": upcoming}


def grid_areas() -> dict[str, str]:
	"""Each grid or micro-grid's grid: members of a micro-grid take part in their grid's activities."""
	return {
		grid.name: grid.parent_grid if grid.grid_level == "Micro-grid" else grid.name
		for grid in frappe.get_all("Grid", fields=["name", "grid_level", "parent_grid"])
	}


def weighted_sample(rng, members: list[dict], size: int) -> list[dict]:
	"""`size` distinct members, the keener ones more likely (Efraimidis–Spirakis keys)."""
	keyed = sorted(members, key=lambda member: rng.random() ** (1 / member["keenness"]), reverse=True)
	return keyed[:size]
