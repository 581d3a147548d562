# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Party building in 幸福社区: ten central households and the two party-mass service stations.

Two party members of each grid run a central household; each looks after 10 to 20 households
of their grid, nearest first (same building, then same micro-grid), and keeps a short contact
log. Grid workers apply, the branch secretary reviews and the community party committee
approves, as on a live site. One more application waits for branch review. The north and
south stations have about three months of daily service log.

Logins (password demo123): partysecretary@xingfu.example (Grid Party Branch Secretary) and
partycommittee@xingfu.example (Community Party Committee).
"""

import datetime

import frappe
from frappe.model.workflow import apply_workflow
from frappe.permissions import add_user_permission
from frappe.utils import add_days

from wangge_app import workflows as wf
from wangge_app.demo import demo_email, make_user
from wangge_app.demo.grid import COMMUNITY_CODE
from wangge_app.demo.synthetic import PersonFactory
from wangge_app.party_building.doctype.party_building_settings.party_building_settings import (
	get_served_household_bounds,
)
from wangge_app.roles import BRANCH_SECRETARY, PARTY_COMMITTEE

PARTY_MEMBER_HOUSEHOLDS_PER_GRID = 2
CONTACT_TOPICS = (
	("政策宣传", "已入户讲解医保缴费政策"),
	("独居老人探访", "老人身体状况良好，已提醒按时服药"),
	("邻里矛盾化解", "双方达成谅解"),
	("垃圾分类宣传", "已发放分类指南"),
	("安全隐患排查", "楼道杂物已清理"),
	("收集意见建议", "反映小区路灯不亮，已报网格员"),
)
STATIONS = (
	("幸福社区北区党群服务V站", "幸福路北段18号（幸福小区北门）", "08:30-20:00"),
	("幸福社区南区党群服务V站", "格桑路66号（格桑花园南门）", "09:00-19:00"),
)
SERVICES = ("Drinking Water", "Phone Charging", "Reading", "Policy Consultation")
SERVICE_LOG_DAYS = 92
# Chance that a station logs a service for a visitor type on a given day, and how many people come.
LOG_CHANCE = {"Resident": 0.45, "Passer-by or Tourist": 0.3}
PEOPLE = {
	"Drinking Water": (2, 15),
	"Phone Charging": (1, 6),
	"Reading": (1, 8),
	"Policy Consultation": (1, 4),
}


def make_sample_party_building(factory: PersonFactory) -> dict:
	secretary = make_officer(factory, "partysecretary", BRANCH_SECRETARY)
	# The branch secretary reviews the central households of the community's grids.
	if not frappe.db.exists("User Permission", {"user": secretary, "allow": "Grid"}):
		add_user_permission("Grid", COMMUNITY_CODE, secretary, ignore_permissions=True)
	committee = make_officer(factory, "partycommittee", PARTY_COMMITTEE)
	try:
		party_member_households = make_party_member_households(factory, secretary, committee)
	finally:
		frappe.set_user("Administrator")
	stations = make_service_stations(factory)
	return {"party_member_households": party_member_households, **stations}


def make_officer(factory: PersonFactory, local_part: str, role: str) -> str:
	person = factory.person(min_age=35, max_age=58)
	return make_user(demo_email(local_part), person.full_name, [role], person.mobile).name


def make_party_member_households(factory: PersonFactory, secretary: str, committee: str) -> dict:
	rng = factory.rng
	least, most = get_served_household_bounds()
	grids = frappe.get_all("Grid", {"parent_grid": COMMUNITY_CODE}, ["name", "grid_name"], order_by="name")
	served = set()
	summary = {"active": [], "applied": []}
	for grid in grids:
		worker = frappe.get_all("Grid Worker Assignment", {"parent": grid.name}, pluck="user")[0]
		households = frappe.get_all(
			"Household",
			{"grid": ("descendants of (inclusive)", grid.name)},
			["name", "grid", "building", "unit", "room"],
			order_by="name",
		)
		members = party_members(households)
		# The last grid also has an application waiting for branch review.
		wanted = PARTY_MEMBER_HOUSEHOLDS_PER_GRID + (grid is grids[-1])
		for number, member in enumerate(rng.sample(members, wanted)):
			home = next(household for household in households if household.name == member.household)
			free = [h for h in households if h.name != home.name and h.name not in served]
			neighbours = sorted(
				free, key=lambda h: (h.building != home.building, h.grid != home.grid, h.name)
			)
			chosen = [h.name for h in neighbours[: rng.randint(least, most)]]

			frappe.set_user(worker)
			doc = frappe.get_doc(
				{
					"doctype": "Party Member Household",
					"party_member": member.name,
					"commit_law_abiding": 1,
					"commit_civil_conduct": 1,
					"commit_advice": 1,
					"commit_community": 1,
					"served_households": [{"household": name} for name in chosen],
				}
			).insert()
			if number == PARTY_MEMBER_HOUSEHOLDS_PER_GRID:
				summary["applied"].append(doc.name)
				continue
			frappe.set_user(secretary)
			doc = apply_workflow(doc, wf.PASS_BRANCH_REVIEW)
			frappe.set_user(committee)
			doc = apply_workflow(doc, wf.APPROVE)
			served.update(chosen)

			frappe.set_user(worker)
			add_contact_log(factory, doc)
			summary["active"].append(doc.name)
	return summary


def party_members(households: list) -> list:
	"""Adult party members living in these households, at most one per household."""
	members = frappe.get_all(
		"Resident",
		{"household": ("in", [h.name for h in households]), "is_party_member": 1, "is_child": 0},
		["name", "household"],
		order_by="name",
	)
	one_per_household = {}
	for member in members:
		one_per_household.setdefault(member.household, member)
	return list(one_per_household.values())


def add_contact_log(factory: PersonFactory, doc) -> None:
	rng = factory.rng
	doc = frappe.get_doc(doc.doctype, doc.name)
	for _ in range(rng.randint(2, 5)):
		topic, outcome = rng.choice(CONTACT_TOPICS)
		doc.append(
			"contact_log",
			{
				"contact_date": add_days(factory.today, -rng.randint(0, 60)),
				"household": rng.choice(doc.served_households).household,
				"topic": topic,
				"outcome": outcome,
			},
		)
	doc.contact_log.sort(key=lambda row: row.contact_date)
	doc.save()


def make_service_stations(factory: PersonFactory) -> dict:
	rng = factory.rng
	first_day = factory.today - datetime.timedelta(days=SERVICE_LOG_DAYS - 1)
	stations, log_entries = [], 0
	for name, location, hours in STATIONS:
		station = frappe.get_doc(
			{
				"doctype": "Party Mass Service Station",
				"station_name": name,
				"location": location,
				"opening_hours": hours,
				"phone": f"0891-63350{len(stations) + 21}",
				"services": [{"service": service} for service in SERVICES],
			}
		).insert()
		stations.append(station.name)
		for offset in range(SERVICE_LOG_DAYS):
			day = first_day + datetime.timedelta(days=offset)
			for service in SERVICES:
				for visitor_type, chance in LOG_CHANCE.items():
					if rng.random() >= chance:
						continue
					frappe.get_doc(
						{
							"doctype": "Service Station Log",
							"station": station.name,
							"log_date": day,
							"service": service,
							"visitor_type": visitor_type,
							"people_count": rng.randint(*PEOPLE[service]),
						}
					).insert()
					log_entries += 1
	return {"stations": stations, "service_log_entries": log_entries}
