# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Community life of 幸福社区 (幸福生活): the rooms of the party-mass service centre and the park's open
ground, the retired women's elderly art troupe with its own dance room evenings and a chess club, and a
year of 情满四季·月月有活动 — each month an activity for the elderly and one for young children or their
parents, with sign-ups of eligible residents, check-ins and volunteers.

Everything goes through the documents: bookings are checked for clashes, sign-ups fill places and the
waiting list, past activities are completed (their volunteers' points go to the ledger).
"""

import datetime

import frappe
from frappe.utils import getdate

from wangge_app.community_life import sign_ups
from wangge_app.community_life.doctype.activity_programme.activity_programme import MONTHS
from wangge_app.community_life.eligibility import eligible_residents
from wangge_app.demo.synthetic import PersonFactory
from wangge_app.volunteer.doctype.in_service_party_member.in_service_party_member import ACTIVE

SERIES = "情满四季·月月有活动"
ORGANISER = "幸福社区居委会"

# (name, type, capacity, opening, closing, facilities)
SPACES = (
	("阅览室", "Room", 30, "08:30", "21:00", "图书三千余册、报刊架、阅读桌椅、免费无线网络"),
	("休息室", "Room", 20, "08:30", "21:00", "沙发、饮水机、血压计、老花镜"),
	("棋牌室", "Room", 24, "08:30", "21:30", "象棋、围棋、扑克和麻将桌六张"),
	("舞蹈室", "Room", 40, "08:00", "21:30", "把杆、整面镜墙、音响"),
	("公园广场", "Outdoor Ground", 200, "07:00", "21:30", "锅庄、太极拳场地，可接电源"),
)

# Month: (activity for the elderly, space, activity for the young, target group of the young one, space)
PROGRAMME = {
	1: ("迎新春写春联", "阅览室", "亲子剪窗花", "Parents with Children", "阅览室"),
	2: ("藏历新年茶话会", "休息室", "新年亲子游戏会", "Parents with Children", "舞蹈室"),
	3: ("学雷锋健康义诊", "休息室", "幼儿绘本共读", "Children under 6", "阅览室"),
	4: ("春季健康徒步", "公园广场", "亲子植树", "Parents with Children", "公园广场"),
	5: ("太极拳教学", "公园广场", "亲子手工课", "Parents with Children", "阅览室"),
	6: ("老年人防跌倒讲座", "休息室", "六一亲子游园", "Children under 6", "公园广场"),
	7: ("锅庄舞联欢", "公园广场", "暑期托管·四点半课堂", "Parents with Children", "阅览室"),
	8: ("象棋比赛", "棋牌室", "幼儿安全知识课", "Children under 6", "阅览室"),
	9: ("中秋节做月饼", "休息室", "中秋亲子灯笼制作", "Parents with Children", "阅览室"),
	10: ("重阳节登山", "公园广场", "幼儿运动会", "Children under 6", "公园广场"),
	11: ("防诈骗讲座", "阅览室", "亲子阅读分享会", "Parents with Children", "阅览室"),
	12: ("冬季养生讲座", "阅览室", "幼儿冬季保健课", "Children under 6", "休息室"),
}
ELDERLY_PLACES = 20
YOUNG_PLACES = 12
TROUPE_MEMBERS = 14
CHESS_MEMBERS = 10


def make_community_life(factory: PersonFactory) -> dict:
	rng = factory.rng
	today = factory.today
	spaces = make_spaces()
	residents = frappe.get_all(
		"Resident", fields=["name", "gender", "date_of_birth"], order_by="name", limit_page_length=0
	)
	groups = make_groups(rng, residents, today)
	bookings = make_group_bookings(groups, today)
	programme = make_programme(today.year)
	members = frappe.get_all("In-service Party Member", {"status": ACTIVE}, pluck="name", order_by="name")
	activities = make_activities(rng, today, programme, members)
	return {
		"spaces": len(spaces),
		"resident_groups": len(groups),
		"bookings": len(bookings),
		"activities": len(activities),
		"sign_ups": frappe.db.count("Activity Sign-up"),
	}


def make_spaces() -> list[str]:
	names = []
	for name, space_type, capacity, opening, closing, facilities in SPACES:
		frappe.get_doc(
			{
				"doctype": "Community Space",
				"space_name": name,
				"space_type": space_type,
				"capacity": capacity,
				"opening_time": f"{opening}:00",
				"closing_time": f"{closing}:00",
				"location": "幸福社区党群服务中心" if space_type == "Room" else "幸福公园",
				"facilities": facilities,
				# The dance room is the art troupe's and the centre's; activities book the others too.
				"bookable_by_groups": 1,
			}
		).insert()
		names.append(name)
	return names


def age(resident, today) -> int:
	born = getdate(resident.date_of_birth)
	return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def make_groups(rng, residents, today) -> dict:
	retired_women = [
		r for r in residents if r.gender == "Female" and r.date_of_birth and 55 <= age(r, today) <= 75
	]
	older_men = [r for r in residents if r.gender == "Male" and r.date_of_birth and age(r, today) >= 60]
	troupe = rng.sample(retired_women, min(TROUPE_MEMBERS, len(retired_women)))
	chess = rng.sample(older_men, min(CHESS_MEMBERS, len(older_men)))
	founded = datetime.date(today.year - 6, 3, 8)
	groups = {}
	for key, name, group_type, people, space, description in (
		(
			"troupe",
			"幸福社区老年艺术团",
			"Art Troupe",
			troupe,
			"舞蹈室",
			"退休女职工自发组成的文艺队，排练锅庄和民族舞蹈，社区为她们提供了专用舞蹈室。",
		),
		("chess", "幸福棋社", "Chess and Cards", chess, "棋牌室", "象棋爱好者每周两次在棋牌室对弈。"),
	):
		groups[key] = frappe.get_doc(
			{
				"doctype": "Resident Group",
				"group_name": name,
				"group_type": group_type,
				"founded_on": founded,
				"leader": people[0].name if people else None,
				"members": [{"resident": person.name, "joined_on": founded} for person in people],
				"regular_spaces": [{"space": space}],
				"description": description,
			}
		).insert()
	return groups


def make_group_bookings(groups: dict, today) -> list[str]:
	"""The troupe's Tuesday and Thursday evenings in the dance room, the chess club's Wednesday and
	Saturday afternoons, from the start of last month for half a year; one evening cancelled and one
	moved, as happens."""
	start = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
	until = start + datetime.timedelta(days=182)
	bookings = []
	for group, space, purpose, weekdays, hours in (
		(groups["troupe"], "舞蹈室", "老年艺术团排练", ("repeat_tuesday", "repeat_thursday"), (19, 21)),
		(groups["chess"], "棋牌室", "棋社对弈", ("repeat_wednesday", "repeat_saturday"), (14, 17)),
	):
		first = next(
			start + datetime.timedelta(days=offset)
			for offset in range(7)
			if (start + datetime.timedelta(days=offset)).weekday() in weekday_numbers(weekdays)
		)
		booking = frappe.get_doc(
			{
				"doctype": "Space Booking",
				"space": space,
				"purpose": purpose,
				"booked_for": "Resident Group",
				"resident_group": group.name,
				"start_time": datetime.datetime.combine(first, datetime.time(hours[0])),
				"end_time": datetime.datetime.combine(first, datetime.time(hours[1])),
				"repeats": 1,
				"repeat_until": until,
				**dict.fromkeys(weekdays, 1),
			}
		).insert()
		bookings.append(booking.name)
	troupe = frappe.get_doc("Space Booking", bookings[0])
	upcoming = [row for row in troupe.occurrences if getdate(row.occurrence_date) > today]
	if len(upcoming) > 3:
		upcoming[1].status = "Cancelled"  # the troupe performs elsewhere that evening
		moved = upcoming[3]
		moved_day = getdate(moved.occurrence_date)
		moved.start_time = datetime.datetime.combine(moved_day, datetime.time(15))
		moved.end_time = datetime.datetime.combine(moved_day, datetime.time(17))
		troupe.save()
	return bookings


def weekday_numbers(fields) -> set[int]:
	order = ("repeat_monday", "repeat_tuesday", "repeat_wednesday", "repeat_thursday")
	order += ("repeat_friday", "repeat_saturday", "repeat_sunday")
	return {order.index(field) for field in fields}


def make_programme(year: int):
	return frappe.get_doc(
		{
			"doctype": "Activity Programme",
			"series": SERIES,
			"year": year,
			"description": "围绕“一老一小”，每月为老年人和幼儿家庭各办一场活动。",
			"months": [
				row
				for month, (elderly, _space, young, young_group, _young_space) in PROGRAMME.items()
				for row in (
					{"month": MONTHS[month - 1], "theme": elderly, "target_group": "Elderly"},
					{"month": MONTHS[month - 1], "theme": young, "target_group": young_group},
				)
			],
		}
	).insert()


def saturday_in(year: int, month: int, week: int) -> datetime.date:
	"""The `week`-th Saturday of the month (0: the first)."""
	day = datetime.date(year, month, 1)
	day += datetime.timedelta(days=(5 - day.weekday()) % 7)
	return day + datetime.timedelta(days=7 * week)


def make_activities(rng, today, programme, members) -> list[str]:
	year = today.year
	made = []
	for month, (elderly, elderly_space, young, young_group, young_space) in PROGRAMME.items():
		for week, title, target_group, space, places in (
			(1, elderly, "Elderly", elderly_space, ELDERLY_PLACES),
			(2, young, young_group, young_space, YOUNG_PLACES),
		):
			day = saturday_in(year, month, week)
			start = datetime.datetime.combine(day, datetime.time(9, 30))
			volunteers = rng.sample(members, min(3, len(members)))
			activity = frappe.get_doc(
				{
					"doctype": "Community Activity",
					"title": title,
					"series": SERIES,
					"programme": programme.name,
					"target_group": target_group,
					"organiser": ORGANISER,
					"space": space,
					"start_time": start,
					"end_time": start + datetime.timedelta(hours=2),
					"capacity": places,
					"waiting_list": 1,
					"offer_hours": 24,
					"points_per_volunteer": 1,
					"volunteers": [{"member": member, "task": "签到引导"} for member in volunteers],
				}
			).insert()
			made.append(activity.name)
			sign_up_residents(rng, activity, day, today)
	return made


def sign_up_residents(rng, activity, day, today) -> None:
	eligible = [row["resident"] for row in eligible_residents(activity.target_group, day)]
	past = day < today
	# Past activities filled up; upcoming ones are filling, the popular ones with a waiting list.
	wanted = (
		activity.capacity + (2 if rng.random() < 0.4 else 0)
		if past or rng.random() < 0.5
		else activity.capacity // 2
	)
	chosen = rng.sample(eligible, min(wanted, len(eligible)))
	signed_up_at = datetime.datetime.combine(day - datetime.timedelta(days=10), datetime.time(9))
	for index, resident in enumerate(chosen):
		doc = frappe.get_doc({"doctype": "Activity Sign-up", "activity": activity.name, "resident": resident})
		doc.flags.now = signed_up_at + datetime.timedelta(minutes=7 * index)
		doc.insert()
	if not past:
		return
	for resident in chosen[: activity.capacity]:
		if rng.random() < 0.88:
			sign_ups.check_in_resident(activity.name, resident, now=activity.start_time)
	completed = frappe.get_doc("Community Activity", activity.name)
	completed.submit()
