"""The permission matrix (security issue 10): every DocType of the app × every kind of user × every
read path of the served site, generated from the app's metadata (`doctypes_on_disk()`, `SCOPES` and
each DocType's role permissions), so that a new DocType that is not classified, or has no record
here, fails.

Each DocType has a record inside grid A (in its micro-grid A1 where that matters) and one inside
grid B (merchant-scoped: merchant X and merchant Y; community-wide and singles: one record); child
tables have the rows of those records. Grids A and A1 lie in community C1, grid B in community C2, so
that a Community Manager scoped to C1 and an unscoped District Manager are users of the matrix too. What each user should see follows the rules of
`wangge_app.permissions`, computed here on their own: role read permission from the DocType's meta,
then the record's grid or merchant. A record outside a user's view must never show on any path
(403 or empty, never 500); a record inside it must be readable where the role allows.
"""

import datetime
import json
import os
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import frappe
import pytest
import requests

from tests.http.community_life_records import delete_community_life_records, make_community_life_records
from tests.site_session import log_in
from wangge_app.scopes import SCOPES, doctypes_on_disk

PASSWORD = "Wangge-Matrix-2026"
APP_PATH = Path(frappe.get_app_path("wangge_app"))
COMMUNITY_ROLES = {
	"System Manager",
	"Community Manager",
	"Community Mediator",
	"Community Party Committee",
	"District Manager",
}
MERCHANT_OVERSEERS = {"System Manager", "Community Manager", "Grid Worker"}

# key: (email, roles, user type, grid label the user is scoped to, merchant label)
USERS = {
	"manager": ("matrix-manager@example.com", ["Community Manager"], "System User", None, None),
	# Community C1 (grids A and A1) is this manager's, given as a User Permission on Grid; B is in C2.
	"manager_c1": ("matrix-manager-c1@example.com", ["Community Manager"], "System User", "C1", None),
	"district": ("matrix-district@example.com", ["District Manager"], "System User", None, None),
	"worker_a": ("matrix-worker-a@example.com", ["Grid Worker"], "System User", "A", None),
	"worker_a1": ("matrix-worker-a1@example.com", ["Grid Worker"], "System User", "A1", None),
	"worker_none": ("matrix-worker-none@example.com", ["Grid Worker"], "System User", None, None),
	"mediator": ("matrix-mediator@example.com", ["Community Mediator"], "System User", None, None),
	"secretary_a": (
		"matrix-secretary-a@example.com",
		["Grid Party Branch Secretary"],
		"System User",
		"A",
		None,
	),
	"committee": ("matrix-committee@example.com", ["Community Party Committee"], "System User", None, None),
	"merchant_x": ("matrix-merchant-x@example.com", ["Partner Merchant"], "Website User", None, "X"),
	"merchant_y": ("matrix-merchant-y@example.com", ["Partner Merchant"], "Website User", None, "Y"),
	"guest": (None, [], None, None, None),
}
# Data only: grid B's worker, so that B's records have their rows too.
WORKER_B = "matrix-worker-b@example.com"


def child_parents() -> dict[str, list[str]]:
	parents = {}
	for doctype, definition in doctypes_on_disk().items():
		for child in definition["tables"]:
			parents.setdefault(child, []).append(doctype)
	return parents


ALL_DOCTYPES = sorted(doctypes_on_disk())
CHILD_PARENTS = child_parents()


@cache  # also read by the threads that send the read paths, which have no frappe.local
def is_single(doctype: str) -> bool:
	return bool(frappe.get_meta(doctype).issingle)


def is_child(doctype: str) -> bool:
	# Frappe's own DocTypes (a number card's, say) are never the app's child tables.
	return bool(doctypes_on_disk().get(doctype, {}).get("istable"))


def scope_doctype(doctype: str) -> str:
	"""The DocType whose scope and role permissions decide: the parent for a child table."""
	return CHILD_PARENTS[doctype][0] if is_child(doctype) else doctype


@dataclass
class Record:
	doctype: str
	name: str
	label: str
	grid: str | None = None  # grid label (A, A1, B) the record belongs to
	merchant: str | None = None  # merchant label (X, Y)
	parent_doctype: str | None = None
	parent: str | None = None
	extra: dict = field(default_factory=dict)


# Expected visibility, from the rules (not from the app's code)
GRID_TREE = {"A": {"A", "A1"}, "A1": {"A1"}, "B": {"B"}, "C1": {"A", "A1"}}
# The community each scoped user's grids lie in (a record of a community is labelled by its community).
COMMUNITY_OF_USER = {"A": "C1", "A1": "C1", "C1": "C1"}


def role_can_read(user_key: str, doctype: str) -> bool:
	roles = set(USERS[user_key][1])
	return any(
		perm.role in roles and perm.read and not perm.permlevel
		for perm in frappe.get_meta(scope_doctype(doctype)).permissions
	)


def is_merchant_user(user_key: str) -> bool:
	roles = set(USERS[user_key][1])
	return "Partner Merchant" in roles and not roles & MERCHANT_OVERSEERS


def visible(user_key: str, record: Record) -> bool:
	if not role_can_read(user_key, record.doctype):
		return False
	roles = set(USERS[user_key][1])
	scope = SCOPES[scope_doctype(record.doctype)]
	if is_merchant_user(user_key):
		if scope.merchant_field:
			return record.merchant == USERS[user_key][4]
		return not (scope.grid_field or scope.community_field)
	grid = USERS[user_key][3]
	if roles & COMMUNITY_ROLES and not grid:
		return True
	if scope.community_field:
		return bool(grid) and record.grid == COMMUNITY_OF_USER[grid]
	if not scope.grid_field:
		return True
	return bool(grid) and record.grid in GRID_TREE[grid]


# The data


def insert(values: dict):
	return frappe.get_doc(values).insert()


def add_row(doc, fieldname: str, values: dict):
	"""A child row written straight to the table (rows that only a workflow or job would add)."""
	row = doc.append(fieldname, values)
	row.db_insert()
	return row


@pytest.fixture(scope="session")
def matrix(multi_worker_url):
	base_url = multi_worker_url
	from frappe.model.workflow import apply_workflow

	from wangge_app.safety.test_utils import (
		make_inspection,
		make_photo,
		make_plan,
		make_premises,
		record_results,
	)
	from wangge_app.test_utils import (
		make_grid,
		make_household,
		make_partner_department,
		make_party_member_household,
		make_resident,
		make_service_station,
		make_station_log,
		make_user,
		scope_user_to_grid,
		unique_code,
	)
	from wangge_app.volunteer.test_utils import (
		make_activity,
		make_adjustment,
		make_merchant,
		make_offer,
		make_party_member,
		make_redemption,
		make_work_unit,
	)

	frappe.set_user("Administrator")
	frappe.db.rollback()
	emails = {key: spec[0] for key, spec in USERS.items() if spec[0]}
	for key, email in emails.items():
		_, roles, user_type, _, _ = USERS[key]
		make_user(email, roles, first_name=key, user_type=user_type, new_password=PASSWORD)
	make_user(WORKER_B, ["Grid Worker"], first_name="worker_b", new_password=PASSWORD)

	community = make_grid("Community", grid_name=unique_code("矩阵社区"))
	community_2 = make_grid("Community", grid_name=unique_code("矩阵社区二"))
	grid_a = make_grid("Grid", community.name, workers=[emails["worker_a"]])
	grid_a1 = make_grid("Micro-grid", grid_a.name, workers=[emails["worker_a1"]])
	grid_b = make_grid("Grid", community_2.name, workers=[WORKER_B])
	grids = {"A": grid_a.name, "A1": grid_a1.name, "B": grid_b.name}
	scope_user_to_grid(emails["secretary_a"], grid_a.name)
	scope_user_to_grid(emails["manager_c1"], community.name)

	records: dict[str, list[Record]] = {doctype: [] for doctype in ALL_DOCTYPES}

	def add(doc, label, grid=None, merchant=None, **extra):
		records[doc.doctype].append(Record(doc.doctype, doc.name, label, grid, merchant, extra=extra))
		return doc

	add(grid_a, "A", "A")
	add(grid_a1, "A1", "A1")
	add(grid_b, "B", "B")

	households = {
		"A1": make_household(grids["A1"]),
		"A": make_household(grids["A"]),
		"B": make_household(grids["B"]),
	}
	for label, household in households.items():
		add(household, label, label)
	served = {"A1": households["A"].name, "B": make_household(grids["B"]).name}
	residents = {
		label: add(
			make_resident(households[label].name, full_name=f"矩阵{label}", is_party_member=1), label, label
		)
		for label in ("A1", "B")
	}

	for label in ("A1", "B"):
		central = make_party_member_household(
			residents[label].name,
			served=[served[label]],
			contact_log=[{"contact_date": "2025-06-01", "household": served[label], "topic": f"走访{label}"}],
		)
		add(central, label, label)

	for label in ("A1", "B"):
		case = insert(
			{
				"doctype": "Dispute Case",
				"subject": f"矩阵纠纷{label}",
				"grid": grids[label],
				"category": "Tenancy and Property Management",
				"case_source": "Grid Patrol",
				"discovered_at": datetime.datetime(2025, 6, 1, 9, 0),
				"description": f"矩阵纠纷{label}的经过",
				"households": [{"household": households[label].name}],
				"parties": [
					{"party_role": "Applicant", "resident": residents[label].name},
					{"party_role": "Respondent", "party_name": f"矩阵物业{label}"},
				],
				"handlers": [{"handler_role": "Other Department", "handler_name": f"矩阵处置{label}"}],
			}
		)
		add_row(case, "follow_up_visits", {"visit_date": "2025-06-02", "result": f"矩阵回访{label}"})
		add_row(case, "overdue_log", {"target": "Arrival on Site", "notified_users": f"矩阵超时{label}"})
		if not case.step_log:
			add_row(case, "step_log", {"step": "Discovery", "step_time": datetime.datetime(2025, 6, 1, 9)})
		add(case, label, label)

	settings = frappe.get_single("Mediation Settings")
	added_rows = []
	if not settings.time_targets:
		row = add_row(
			settings,
			"time_targets",
			{"tier": "Ordinary", "arrival_hours": 2, "settlement_days": 7, "follow_up_days": 7},
		)
		added_rows.append((row.doctype, row.name))
	add(frappe.get_single("Mediation Settings"), "single")
	add(frappe.get_single("Safety Settings"), "single")

	# Safety: premises, a plan, a submitted inspection with a failed item and the hazard it became.
	checklist = add(
		insert(
			{
				"doctype": "Inspection Template",
				"template_name": unique_code("矩阵检查表"),
				"category": "Fire",
				"items": [{"item": "矩阵灭火器"}, {"item": "矩阵通道"}],
			}
		),
		"community",
	)
	photo = make_photo("matrix.png")
	for label in ("A1", "B"):
		premises = add(
			make_premises(grids[label], premises_name=f"矩阵场所{label}", contact_phone="13908931234"),
			label,
			label,
		)
		add(make_plan(grids[label], template=checklist.name, target_kind="Premises"), label, label)
		inspection = record_results(
			make_inspection(premises=premises.name, template=checklist.name),
			failed={1: f"矩阵隐患{label}"},
			photo=photo,
		)
		add_row(inspection, "photos", {"photo": photo, "caption": f"矩阵照片{label}"})
		add(inspection, label, label)
		hazard = frappe.get_doc("Safety Hazard", inspection.items[0].hazard)
		add_row(
			hazard,
			"acceptance_checks",
			{"check_date": "2026-06-01", "result": "Failed", "result_photo": photo},
		)
		add(hazard, label, label)
	add(frappe.get_single("Party Building Settings"), "single")

	service = add(
		insert({"doctype": "Station Service", "service_name": unique_code("矩阵服务")}), "community"
	)
	communities = {"C1": community.name, "C2": community_2.name}
	for label, community_name in communities.items():
		station = add(
			make_service_station(
				[service.name], station_name=unique_code(f"矩阵V站{label}"), community=community_name
			),
			label,
			label,
		)
		add(make_station_log(station.name, service.name, 3), label, label)
	work_unit = add(make_work_unit(unique_code("矩阵单位")), "community")
	add(make_partner_department(unique_code("矩阵协办单位")), "community")
	service_type = add(
		insert(
			{
				"doctype": "Volunteer Service Type",
				"service_type_name": unique_code("矩阵类型"),
				"default_points": 2,
			}
		),
		"community",
	)

	members = {}
	for label, points in (("A1", 13), ("B", 7777)):
		members[label] = add(
			make_party_member(work_unit.name, full_name=f"矩阵党员{label}", grid=grids[label]), label, label
		)
		add(make_adjustment(members[label].name, points), label, label)
	for label in ("A1", "B"):
		activity = make_activity(
			[members[label].name], points=3, grid=grids[label], service_type=service_type.name
		)
		add(activity, label, label)
	for label in ("A1", "B"):
		entry = frappe.get_all(
			"Volunteer Points Entry", {"member": members[label].name}, pluck="name", limit=1
		)
		add(frappe.get_doc("Volunteer Points Entry", entry[0]), label, label)

	merchants = {
		label: add(
			make_merchant(unique_code(f"矩阵商家{label}"), users=[emails[f"merchant_{label.lower()}"]]),
			label,
			merchant=label,
		)
		for label in ("X", "Y")
	}
	offers = {
		label: add(make_offer(merchants[label].name, 2, item_name=f"矩阵兑换{label}"), label, merchant=label)
		for label in ("X", "Y")
	}
	for label, member, merchant in (("A1", "A1", "X"), ("B", "B", "Y"), ("A1-Y", "A1", "Y")):
		voucher = make_redemption(members[member].name, offers[merchant].name)
		add(voucher, label, member, merchant)

	# Resident Services: a grade and a category of the community's, and in A1 and B a request (with a
	# referral, a chase and a missed time limit) and a contact card token.
	grade = add(
		insert(
			{
				"doctype": "Request Grade",
				"grade_name": unique_code("矩阵等级"),
				**{f"{stage}_within": 1 for stage in ("acknowledge", "visit", "resolve", "follow_up")},
				**{f"{stage}_unit": "Days" for stage in ("acknowledge", "visit", "resolve", "follow_up")},
			}
		),
		"community",
	)
	category = add(
		insert(
			{
				"doctype": "Request Category",
				"category_name": unique_code("矩阵类别"),
				"default_grade": grade.name,
			}
		),
		"community",
	)
	department = add(make_partner_department(unique_code("矩阵转办单位")), "community")
	from wangge_app.resident_services.doctype.contact_card_token.contact_card_token import issue_token

	for label in ("A1", "B"):
		request = insert(
			{
				"doctype": "Resident Request",
				"subject": f"矩阵诉求{label}",
				"household": households[label].name,
				"category": category.name,
				"description": f"矩阵诉求{label}的内容",
				"requester_phone": "13908900000",
				"referrals": [{"department": department.name, "asked": f"矩阵转办{label}"}],
			}
		)
		add_row(
			request, "chases", {"chased_at": datetime.datetime(2025, 6, 1, 9), "note": f"矩阵催办{label}"}
		)
		add_row(
			request, "overdue_log", {"target": "Contact the Resident", "notified_users": f"矩阵超时{label}"}
		)
		add_row(
			request,
			"follow_ups",
			{
				"follow_up_date": "2025-06-02",
				"follow_up_method": "Phone",
				"reached": 1,
				"satisfaction": "Satisfied",
			},
		)
		add(request, label, label)
		add(issue_token(households[label].name), label, label)

	service_type = add(
		insert(
			{
				"doctype": "Assisted Service Type",
				"service_name": unique_code("矩阵代办事项"),
				"time_limit_days": 5,
			}
		),
		"community",
	)
	for label in ("A1", "B"):
		visit = insert(
			{
				"doctype": "Household Visit",
				"household": households[label].name,
				"findings": f"矩阵走访{label}",
			}
		)
		add(visit, label, label)
		service = insert(
			{
				"doctype": "Assisted Service Request",
				"resident": residents[label].name,
				"service_type": service_type.name,
				"authorisation_scope": f"矩阵委托{label}",
			}
		)
		add_row(service, "custody_log", {"document": f"矩阵证件{label}", "action": "Taken"})
		add(service, label, label)
		# What the field app recorded under a phone's key (wangge_app/field/api.py): the app writes it.
		add(
			insert(
				{
					"doctype": "Field Submission",
					"client_key": str(uuid.uuid4()),
					"status": "Recorded",
					"target_doctype": "Household Visit",
					"target_name": visit.name,
					"grid": grids[label],
				}
			),
			label,
			label,
		)

	# Drafts for the write paths: B's activity to submit, and a submitted one to cancel.
	drafts = frappe._dict(
		activity_b=make_activity([members["B"].name], points=1, grid=grids["B"], submit=False).name,
		activity_a=make_activity([members["A1"].name], points=1, grid=grids["A1"], submit=False).name,
	)

	make_community_life_records(
		add, communities, {"C1": residents["A1"].name, "C2": residents["B"].name}, members
	)

	# Child tables: the rows of each parent record, which belong where their parent does.
	for child, parents in CHILD_PARENTS.items():
		for parent in parents:
			for record in list(records[parent]):
				doc = frappe.get_doc(parent, record.name)
				for df in doc.meta.get_table_fields():
					if df.options != child:
						continue
					for row in doc.get(df.fieldname):
						records[child].append(
							Record(
								child,
								row.name,
								record.label,
								record.grid,
								record.merchant,
								parent,
								record.name,
							)
						)
	frappe.db.commit()

	sessions = {key: login(base_url, email) for key, email in [*emails.items(), ("guest", None)]}
	data = frappe._dict(
		base_url=base_url,
		records=records,
		grids=grids,
		members={label: doc.name for label, doc in members.items()},
		residents={label: doc.name for label, doc in residents.items()},
		households={label: doc.name for label, doc in households.items()},
		merchants={label: doc.name for label, doc in merchants.items()},
		sessions=sessions,
		drafts=drafts,
		added_rows=added_rows,
		emails=emails,
		apply_workflow=apply_workflow,
	)
	yield data

	frappe.db.rollback()
	frappe.set_user("Administrator")
	cleanup(data)
	frappe.db.commit()


def cleanup(data):
	delete_community_life_records(data.records)
	for doctype, name in data.added_rows:
		frappe.db.delete(doctype, {"name": name})
	members = list(data.members.values())
	merchants = list(data.merchants.values())
	grids = set(data.grids.values())
	grids |= {frappe.db.get_value("Grid", data.grids[label], "parent_grid") for label in ("A", "B")}
	cases = frappe.get_all("Dispute Case", {"grid": ("in", list(grids))}, pluck="name")
	centrals = frappe.get_all("Party Member Household", {"grid": ("in", list(grids))}, pluck="name")
	activities = frappe.get_all("Volunteer Activity", {"grid": ("in", list(grids))}, pluck="name")
	safety = {
		doctype: frappe.get_all(doctype, {"grid": ("in", list(grids))}, pluck="name")
		for doctype in ("Premises", "Inspection Plan", "Safety Inspection", "Safety Hazard")
	}
	checklists = [record.name for record in data.records["Inspection Template"]]
	households = frappe.get_all("Household", {"grid": ("in", list(grids))}, pluck="name")
	resident_requests = frappe.get_all("Resident Request", {"grid": ("in", list(grids))}, pluck="name")
	services = frappe.get_all("Assisted Service Request", {"grid": ("in", list(grids))}, pluck="name")
	for child, parents in CHILD_PARENTS.items():
		for parent, names in (
			("Dispute Case", cases),
			("Party Member Household", centrals),
			("Volunteer Activity", activities),
			("Resident Request", resident_requests),
			("Assisted Service Request", services),
			("Partner Merchant", merchants),
			("Grid", list(grids)),
			("Safety Inspection", safety["Safety Inspection"]),
			("Safety Hazard", safety["Safety Hazard"]),
			("Inspection Template", checklists),
		):
			if parent in parents and names:
				frappe.db.delete(child, {"parenttype": parent, "parent": ("in", names)})
	for doctype, filters in (
		("Points Redemption", {"merchant": ("in", merchants)}),
		("Redemption Offer", {"merchant": ("in", merchants)}),
		("Partner Merchant", {"name": ("in", merchants)}),
		("Volunteer Points Entry", {"member": ("in", members)}),
		("Points Adjustment", {"member": ("in", members)}),
		("Volunteer Activity", {"name": ("in", activities or [""])}),
		("In-service Party Member", {"name": ("in", members)}),
		("Dispute Case", {"name": ("in", cases or [""])}),
		*((doctype, {"name": ("in", names or [""])}) for doctype, names in safety.items()),
		(
			"ToDo",
			{
				"reference_type": ("in", list(safety)),
				"reference_name": ("in", sum(safety.values(), []) or [""]),
			},
		),
		("Inspection Template", {"name": ("in", checklists or [""])}),
		("ToDo", {"reference_type": "Resident Request", "reference_name": ("in", resident_requests or [""])}),
		("Resident Request", {"name": ("in", resident_requests or [""])}),
		("Contact Card Token", {"household": ("in", households or [""])}),
		("Field Submission", {"grid": ("in", list(grids))}),
		("Household Visit", {"grid": ("in", list(grids))}),
		("Assisted Service Request", {"name": ("in", services or [""])}),
		("Party Member Household", {"name": ("in", centrals or [""])}),
		("Resident", {"household": ("in", households or [""])}),
		("Household", {"name": ("in", households or [""])}),
	):
		frappe.db.delete(doctype, filters)
	for doctype in (
		"Service Station Log",
		"Party Mass Service Station",
		"Station Service",
		"Work Unit",
		"Volunteer Service Type",
		"Partner Department",
		"Request Category",
		"Request Grade",
		"Assisted Service Type",
	):
		for record in data.records[doctype]:
			if doctype == "Party Mass Service Station":
				frappe.db.delete("Station Service Offered", {"parent": record.name})
			frappe.db.delete(doctype, {"name": record.name})
	frappe.db.delete("User Permission", {"allow": "Grid", "for_value": ("in", list(grids))})
	frappe.db.delete("Grid", {"name": ("in", list(grids))})
	for email in [*data.emails.values(), WORKER_B]:
		frappe.delete_doc("User", email, force=True, ignore_permissions=True)


def login(base_url: str, email: str | None) -> requests.Session:
	return log_in(base_url, email, PASSWORD)


# The matrix's coverage of the app's metadata


@pytest.mark.parametrize("doctype", ALL_DOCTYPES)
def test_doctype_is_classified(doctype):
	"""Every DocType of the app is in SCOPES, or is a child table of DocTypes that are."""
	if is_child(doctype):
		parents = CHILD_PARENTS.get(doctype, [])
		assert parents, f"{doctype} is a child table no DocType of the app holds"
		assert all(parent in SCOPES for parent in parents), f"a parent of {doctype} is not in SCOPES"
		scopes = {SCOPES[parent] for parent in parents}
		assert len(scopes) == 1, f"{doctype} is held by DocTypes of different scopes: {parents}"
	else:
		assert doctype in SCOPES, f"{doctype} is not classified in wangge_app.scopes.SCOPES"


def test_scopes_name_only_doctypes_of_the_app():
	assert set(SCOPES) <= set(ALL_DOCTYPES)


@pytest.mark.parametrize("doctype", ALL_DOCTYPES)
def test_doctype_has_matrix_records(matrix, doctype):
	"""Each DocType has its records here: inside A and inside B, merchant X and Y, or one record."""
	records = matrix.records[doctype]
	scope = SCOPES.get(scope_doctype(doctype))
	assert records, f"add a record for {doctype} to the permission matrix's fixture"
	if scope and scope.grid_field:
		assert {"A", "B"} & {r.grid for r in records} == {"A", "B"} or (
			{r.grid for r in records} >= {"A1", "B"}
		), f"add records inside grid A and grid B for {doctype}"
	elif scope and scope.merchant_field:
		assert {r.merchant for r in records} >= {"X", "Y"}, f"add records of merchants X and Y for {doctype}"
	elif scope and scope.community_field:
		assert {r.grid for r in records} >= {"C1", "C2"}, (
			f"add records of communities C1 and C2 for {doctype}"
		)


# Read paths

PATHS = (
	"rest_get",
	"rest_list",
	"reportview_get",
	"reportview_count",
	"client_get_count",
	"client_get_value",
	"search_widget",
	"search_widget_ignore_user_permissions",
	"search_widget_filter_fields",
	"search_link",
	"group_by_count",
	"getdoc",
	"export_query",
	# The engine's versioned routes (Frappe v15.41): the same reads by /api/v1 and /api/v2.
	"v1_rest_get",
	"v1_method_get_value",
	"v2_document_get",
	"v2_document_list",
	"v2_count",
	"v2_method_getdoc",
)
SINGLE_PATHS = (
	"rest_get",
	"client_get_value",
	"getdoc",
	"v1_rest_get",
	"v2_document_get",
	"v2_method_getdoc",
)
REFUSED = (401, 403, 404, 417)


def group_field(doctype: str) -> str | None:
	if is_child(doctype):
		return None
	scope = SCOPES[doctype]
	fieldname = scope.grid_field or scope.merchant_field or scope.community_field
	return fieldname if fieldname and fieldname != "name" else None


def read_cases():
	for user in USERS:
		for doctype in ALL_DOCTYPES:
			paths = SINGLE_PATHS if is_single(doctype) else PATHS
			for path in paths:
				if path == "group_by_count" and not group_field(doctype):
					continue
				yield pytest.param(user, doctype, path, id=f"{user}-{doctype}-{path}")


def role_has(user_key: str, doctype: str, ptype: str) -> bool:
	roles = set(USERS[user_key][1])
	return any(
		perm.role in roles and perm.get(ptype) and not perm.permlevel
		for perm in frappe.get_meta(scope_doctype(doctype)).permissions
	)


class Call:
	"""One answer of the site: its status, the record names it shows, and its text."""

	def __init__(self, response, names=()):
		self.status = response.status_code
		self.text = response.text
		self.names = set(names)

	def __repr__(self):
		return f"<{self.status} {self.names} {self.text[:300]}>"


def message(response):
	try:
		return response.json().get("message")
	except ValueError:
		return None


def method(session, base_url, endpoint, **params):
	params = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items() if v is not None}
	return session.post(f"{base_url}/api/method/{endpoint}", data=params, timeout=60)


def list_call(path, session, base_url, doctype, parent):
	"""A path answering with a list: the names it shows."""
	names = []
	if path == "rest_list":
		params = {"fields": json.dumps(["name"]), "limit_page_length": 0}
		if parent:
			params["parent"] = parent
		response = session.get(f"{base_url}/api/resource/{doctype}", params=params, timeout=60)
		if response.ok:
			names = [row["name"] for row in response.json().get("data", [])]
	elif path == "reportview_get":
		response = method(
			session,
			base_url,
			"frappe.desk.reportview.get",
			doctype=doctype,
			fields=[f"`tab{doctype}`.`name`"],
			page_length=1000,
			parent_doctype=parent,
		)
		result = message(response) if response.ok else None
		if isinstance(result, dict):
			names = [row[0] for row in result.get("values", [])]
	elif path.startswith("search_"):
		params = dict(doctype=doctype, txt="", page_length=1000)
		if path == "search_widget_ignore_user_permissions":
			params["ignore_user_permissions"] = 1
		if path == "search_widget_filter_fields":
			params["as_dict"] = 1  # rows as dicts: the engine orders the columns as a set does
			params["filter_fields"] = search_filter_fields(doctype)
		name = (
			"frappe.desk.search.search_link" if path == "search_link" else "frappe.desk.search.search_widget"
		)
		response = method(session, base_url, name, **params)
		if response.ok:
			body = response.json()
			for row in body.get("results") or body.get("values") or body.get("message") or []:
				if isinstance(row, dict):
					names.append(row.get("value") or row.get("name"))
				elif isinstance(row, (list, tuple)) and row:
					names.append(row[0])
	elif path == "group_by_count":
		response = method(
			session,
			base_url,
			"frappe.desk.listview.get_group_by_count",
			doctype=doctype,
			current_filters=[],
			field=group_field(doctype),
		)
		if response.ok:
			names = [row.get("name") for row in message(response) or []]
	elif path == "v2_document_list":
		params = {"fields": json.dumps(["name"]), "limit": 100000}
		if parent:
			params["parent"] = parent
		response = session.get(f"{base_url}/api/v2/document/{doctype}", params=params, timeout=60)
		if response.ok:
			names = [row["name"] for row in response.json().get("data", [])]
	elif path == "export_query":
		response = method(
			session,
			base_url,
			"frappe.desk.reportview.export_query",
			doctype=doctype,
			file_format_type="CSV",
			fields=[f"`tab{doctype}`.`name`"],
			title="matrix",
			parent_doctype=parent,
		)
		if response.ok:
			names = [line.split(",")[-1].strip('"\r') for line in response.text.splitlines()[1:]]
	return Call(response, names)


@cache  # read by the threads that send the read paths, which have no frappe.local
def search_filter_fields(doctype: str) -> list[str]:
	return [
		df.fieldname for df in frappe.get_meta(doctype).fields if df.fieldtype in ("Data", "Link", "Select")
	][:5]


# One record read by REST, and by the desk's getdoc, on each version of the engine's API.
REST_DOCUMENT_ROUTES = {
	"rest_get": "/api/resource",
	"v1_rest_get": "/api/v1/resource",
	"v2_document_get": "/api/v2/document",
}
GETDOC_ROUTES = {"getdoc": "/api/method", "v2_method_getdoc": "/api/v2/method"}


def record_call(path, session, base_url, record: Record):
	"""A path asked about one record: whether it answered with it."""
	doctype, name, parent = record.doctype, record.name, record.parent_doctype
	names = []
	if path in REST_DOCUMENT_ROUTES:
		response = session.get(f"{base_url}{REST_DOCUMENT_ROUTES[path]}/{doctype}/{name}", timeout=60)
		if response.ok:
			names = [response.json().get("data", {}).get("name")]
	elif path in GETDOC_ROUTES:
		response = session.get(
			f"{base_url}{GETDOC_ROUTES[path]}/frappe.desk.form.load.getdoc",
			params={"doctype": doctype, "name": name},
			timeout=60,
		)
		if response.ok:
			names = [doc.get("name") for doc in response.json().get("docs", [])]
	elif path == "client_get_value":
		response = method(
			session,
			base_url,
			"frappe.client.get_value",
			doctype=doctype,
			fieldname=["name", "modified"] if not is_single(doctype) else "modified",
			filters={"name": name} if not is_single(doctype) else None,
			parent=parent,
		)
		value = message(response) if response.ok else None
		if value:
			names = [value.get("name", name) if isinstance(value, dict) else name]
	elif path == "v1_method_get_value":
		response = session.post(
			f"{base_url}/api/v1/method/frappe.client.get_value",
			data={
				"doctype": doctype,
				"fieldname": json.dumps(["name", "modified"] if not is_single(doctype) else "modified"),
				**({"filters": json.dumps({"name": name})} if not is_single(doctype) else {}),
				**({"parent": parent} if parent else {}),
			},
			timeout=60,
		)
		value = message(response) if response.ok else None
		if value:
			names = [value.get("name", name) if isinstance(value, dict) else name]
	elif path == "v2_count":
		params = {"filters": json.dumps({"name": name})}
		if parent:
			params["parent_doctype"] = parent
		response = session.get(f"{base_url}/api/v2/doctype/{doctype}/count", params=params, timeout=60)
		if response.ok and response.json().get("data"):
			names = [name]
	elif path in ("reportview_count", "client_get_count"):
		name_of = (
			"frappe.desk.reportview.get_count" if path == "reportview_count" else "frappe.client.get_count"
		)
		response = method(
			session, base_url, name_of, doctype=doctype, filters={"name": name}, parent_doctype=parent
		)
		if response.ok and message(response):
			names = [name]
	return Call(response, names)


PER_RECORD = (
	"rest_get",
	"getdoc",
	"client_get_value",
	"reportview_count",
	"client_get_count",
	"v1_rest_get",
	"v1_method_get_value",
	"v2_document_get",
	"v2_count",
	"v2_method_getdoc",
)
# Paths where a visible record must show (the rest may refuse, e.g. export without the export right).
POSITIVE = {
	"rest_get",
	"getdoc",
	"client_get_value",
	"rest_list",
	"reportview_get",
	"reportview_count",
	"client_get_count",
	"search_link",
	"v1_rest_get",
	"v1_method_get_value",
	"v2_document_get",
	"v2_document_list",
	"v2_count",
	"v2_method_getdoc",
}
FIELD_OF_GROUP = {}
# Requests in flight at once: enough to keep every worker of the multi-worker server busy.
READ_CLIENTS = int(os.environ.get("WANGGE_MATRIX_CLIENTS", "8"))


def read_calls(matrix, user: str, doctype: str, path: str) -> list[tuple[Record, Call]]:
	"""The site's answers to `user` reading the DocType's records by `path`: one answer per record on
	the per-record paths, the one list (of a child table: under its parent DocType) on the others."""
	records = matrix.records[doctype]
	session, base_url = matrix.sessions[user], matrix.base_url
	if path in PER_RECORD:
		return [(record, record_call(path, session, base_url, record)) for record in records]
	if not records:
		return []
	call = list_call(path, session, base_url, doctype, records[0].parent_doctype)
	return [(record, call) for record in records]


@pytest.fixture(scope="session")
def read_answers(request, matrix) -> dict[tuple[str, str, str], Future]:
	"""The answers of the read cases this session runs, (user, DocType, path): [(record, Call)], asked
	by READ_CLIENTS threads at once in the order the cases run, so that each case only waits for its
	own answers and checks them itself (a request that fails fails its case alone)."""
	cases = [
		(item.callspec.params["user"], item.callspec.params["doctype"], item.callspec.params["path"])
		for item in request.session.items
		if getattr(item, "originalname", None) == "test_read_path"
	]
	for doctype in {doctype for _, doctype, _ in cases}:
		# Metadata the threads need, read here where frappe is connected.
		is_single(doctype)
		search_filter_fields(doctype)
	for session in matrix.sessions.values():
		session.mount("http://", requests.adapters.HTTPAdapter(pool_maxsize=READ_CLIENTS))
		# No proxies or .netrc from the environment: requests would read os.environ on every request,
		# which pytest changes meanwhile (PYTEST_CURRENT_TEST).
		session.trust_env = False
	pool = ThreadPoolExecutor(READ_CLIENTS, thread_name_prefix="matrix-read")
	answers = {case: pool.submit(read_calls, matrix, *case) for case in cases}
	yield answers
	pool.shutdown(cancel_futures=True)


@pytest.mark.parametrize("user, doctype, path", list(read_cases()))
def test_read_path(matrix, read_answers, user, doctype, path):
	records = matrix.records[doctype]
	assert records, f"add a record for {doctype} to the permission matrix's fixture"
	calls = read_answers[(user, doctype, path)].result()
	for record, call in calls:
		assert call.status < 500, f"{record.label}: server error {call}"
		expected = visible(user, record)
		shown = record.name in call.names
		if path == "group_by_count":
			value = frappe.db.get_value(doctype, record.name, group_field(doctype))
			others = [r for r in records if visible(user, r)]
			shared = value in {frappe.db.get_value(doctype, r.name, group_field(doctype)) for r in others}
			if not expected and not shared:
				assert value not in call.names, (
					f"group of the {record.label} record {record.name} shows: {call}"
				)
			continue
		if not expected:
			assert not shown, (
				f"the {record.label} record {record.name} is outside {user}'s view but shows: {call}"
			)
			if path in PER_RECORD and call.status == 200:
				assert not call.names, call
		elif path in POSITIVE and not (is_child(doctype) and path not in ("rest_list",)):
			assert shown, f"the {record.label} record {record.name} is in {user}'s view but not shown: {call}"
	if not any(visible(user, record) for record in records) and path not in PER_RECORD:
		call = calls[0][1]
		assert call.status in REFUSED or not call.names, call


# Prints


def print_formats() -> list[tuple[str, str]]:
	formats = []
	for path in sorted(APP_PATH.glob("*/print_format/*/*.json")):
		definition = json.loads(path.read_text(encoding="utf-8"))
		if definition.get("doctype") == "Print Format":
			formats.append((definition["name"], definition["doc_type"]))
	return formats


@pytest.mark.parametrize(
	"user, print_format, doctype",
	[
		pytest.param(user, name, doctype, id=f"{user}-{doctype}-print-{name}")
		for user in USERS
		for name, doctype in print_formats()
	],
)
def test_print(matrix, user, print_format, doctype):
	records = matrix.records[doctype]
	assert records, f"add a record for {doctype} to the permission matrix's fixture"
	session = matrix.sessions[user]
	for record in records:
		response = session.get(
			f"{matrix.base_url}/printview",
			params={"doctype": doctype, "name": record.name, "format": print_format},
			headers={"Accept": "text/html"},
			timeout=60,
		)
		assert response.status_code < 500, f"{record.label}: {response.status_code} {response.text[:300]}"
		secret = print_secret(matrix, record, user)
		if printable(user, record):
			assert response.status_code == 200 and secret in response.text, (
				f"{user} cannot print the {record.label} record {record.name}"
			)
		else:
			assert secret not in response.text, (
				f"{user} prints the {record.label} record {record.name} outside their view"
			)


def printable(user: str, record: Record) -> bool:
	"""A merchant prints only the vouchers presented at its counter."""
	if record.doctype == "Points Redemption" and user.startswith("merchant"):
		return visible(user, record) and frappe.db.get_value(record.doctype, record.name, "status") == "Used"
	return visible(user, record)


def print_secret(matrix, record: Record, user: str) -> str:
	"""A value the print of the record shows and no other record's print does."""
	if record.doctype == "Points Redemption":
		# Prints follow field permissions: the code (level 1) prints only to the roles that read it.
		reads_code = any(
			perm.role in USERS[user][1] and perm.read and perm.permlevel == 1
			for perm in frappe.get_meta(record.doctype).permissions
		)
		field = "voucher_code" if reads_code else "member_name_masked"
		return frappe.db.get_value(record.doctype, record.name, field)
	if record.doctype == "Household":
		return frappe.db.get_value("Grid", matrix.grids[record.grid], "grid_name")
	if record.doctype == "Dispute Case":
		return frappe.db.get_value(record.doctype, record.name, "subject")
	if record.doctype == "Assisted Service Request":
		return frappe.db.get_value(record.doctype, record.name, "resident_name")
	if record.doctype in ("Party Member Household", "In-service Party Member"):
		field = "party_member_name" if record.doctype == "Party Member Household" else "full_name"
		return frappe.db.get_value(record.doctype, record.name, field)
	return record.name


# Query reports and number cards


def query_reports() -> list[tuple[str, list[str]]]:
	reports = []
	for path in sorted(APP_PATH.glob("*/report/*/*.json")):
		definition = json.loads(path.read_text(encoding="utf-8"))
		if definition.get("doctype") == "Report":
			reports.append((definition["name"], [row["role"] for row in definition.get("roles", [])]))
	return reports


def scope_markers(matrix, labels) -> set[str]:
	"""Values that name grids or members of those grid labels, or merchants of those labels."""
	markers = set()
	for label in labels:
		if label in matrix.grids:
			markers |= {matrix.grids[label], frappe.db.get_value("Grid", matrix.grids[label], "grid_name")}
		if label in matrix.members:
			member = matrix.members[label]
			markers |= {member, frappe.db.get_value("In-service Party Member", member, "full_name")}
		if label in matrix.merchants:
			markers.add(matrix.merchants[label])
	return markers


def outside_labels(user: str) -> set[str]:
	"""Grid and merchant labels whose records lie outside the user's view (for scoped users)."""
	_, roles, _, grid, merchant = USERS[user]
	if set(roles) & COMMUNITY_ROLES and not grid:
		return set()
	if is_merchant_user(user):
		return {"A", "A1", "B", "X", "Y"} - {merchant}
	# A micro-grid's worker sees the name of its parent grid (the micro-grid links it).
	seen = GRID_TREE.get(grid, set()) | ({"A"} if grid == "A1" else set())
	return {"A", "A1", "B"} - seen


@pytest.mark.parametrize(
	"user, report, roles",
	[
		pytest.param(user, name, roles, id=f"{user}-report-{name}")
		for user in USERS
		for name, roles in query_reports()
	],
)
def test_query_report(matrix, user, report, roles):
	response = method(
		matrix.sessions[user], matrix.base_url, "frappe.desk.query_report.run", report_name=report, filters={}
	)
	assert response.status_code < 500, response.text[:500]
	if not set(USERS[user][1]) & set(roles):
		assert response.status_code in REFUSED, f"{user} runs {report}: {response.text[:300]}"
		return
	assert response.status_code == 200, response.text[:500]
	for marker in scope_markers(matrix, outside_labels(user)):
		assert marker not in response.text, f"{report} as {user} shows {marker}, outside their view"


def card_doctypes(card: dict) -> tuple:
	"""The DocTypes a viewer must read to see the card: what it counts, and what its figure reads."""
	from wangge_app.overview import FIGURE_METHOD, indicator

	if card["type"] == "Custom" and card["method"] == FIGURE_METHOD:
		return indicator(json.loads(card["filters_json"])["indicator"]).readable_doctypes()
	doctype = card.get("document_type") if card["type"] != "Custom" else CARD_DOCTYPE.get(card["method"])
	assert doctype, f"say which DocType the number card {card['name']} counts (CARD_DOCTYPE)"
	return (doctype,)


def number_cards() -> list[dict]:
	from wangge_app.overview import INDICATORS, number_card

	cards = []
	for path in sorted(APP_PATH.glob("*/number_card/*/*.json")):
		definition = json.loads(path.read_text(encoding="utf-8"))
		if definition.get("doctype") == "Number Card":
			cards.append(definition)
	# The overview's cards, made from its indicators on install.
	return cards + [number_card(indicator) for indicator in INDICATORS]


def filters_readable(user: str, card: dict) -> bool:
	"""Whether the user may read every field the card's filters name (else the request is refused)."""
	filters = json.loads(card.get("filters_json") or "[]")
	roles = set(USERS[user][1])
	for condition in filters if isinstance(filters, list) else []:
		df = frappe.get_meta(condition[0]).get_field(condition[1])
		if (
			df
			and df.permlevel
			and not any(
				perm.role in roles and perm.read and perm.permlevel == df.permlevel
				for perm in frappe.get_meta(condition[0]).permissions
			)
		):
			return False
	return True


def card_value(matrix, user: str, card: dict):
	session = matrix.sessions[user]
	if card["type"] == "Custom":
		response = method(session, matrix.base_url, card["method"], filters=card.get("filters_json"))
		value = (message(response) or {}).get("value") if response.ok else None
	else:
		response = method(
			session,
			matrix.base_url,
			"frappe.desk.doctype.number_card.number_card.get_result",
			doc=card,
			filters=card.get("filters_json"),
		)
		value = message(response) if response.ok else None
	return response, value


CARD_DOCTYPE = {
	"wangge_app.party_building.coverage.get_coverage_card": "Party Member Household",
	"wangge_app.volunteer.dashboard.get_average_activities_per_member": "In-service Party Member",
	"wangge_app.volunteer.dashboard.get_total_points_earned": "In-service Party Member",
	"wangge_app.resident_services.report.resident_request_statistics.resident_request_statistics.get_in_grid_rate_this_year": (
		"Resident Request"
	),
	# Queue health (wangge_app/queue_health.py): Frappe's background jobs, for System Managers only.
	"wangge_app.queue_health.get_waiting_jobs": "RQ Job",
	"wangge_app.queue_health.get_oldest_wait_minutes": "RQ Job",
}


@pytest.mark.parametrize(
	"user, card",
	[pytest.param(user, card, id=f"{user}-card-{card['name']}") for user in USERS for card in number_cards()],
)
def test_number_card(matrix, user, card):
	doctypes = card_doctypes(card)
	response, value = card_value(matrix, user, card)
	assert response.status_code < 500, response.text[:500]
	if not all(role_can_read(user, doctype) for doctype in doctypes) or not filters_readable(user, card):
		assert response.status_code in REFUSED, f"{user} reads the card {card['name']}: {response.text[:300]}"
		return
	assert response.status_code == 200, response.text[:500]
	if "B" in outside_labels(user) and card["name"] in ("Total Points Earned", "Party Members in Service"):
		_, everything = card_value(matrix, "manager", card)
		own = 0 if not USERS[user][3] else (3 if card["name"] == "Total Points Earned" else 1)
		# Member B is in service and earned 3 points at an activity (and holds 7777 adjusted):
		# the card must not count them.
		assert value <= everything - (3 if card["name"] == "Total Points Earned" else 1), (
			f"{card['name']} as {user} is {value}: it counts grid B (everything: {everything})"
		)
		assert value >= own, f"{card['name']} as {user} is {value}: it leaves out their own grid"


# Write paths: as grid worker A on grid B's records


def grid_scoped_doctypes():
	return [
		doctype
		for doctype in ALL_DOCTYPES
		if not is_child(doctype) and SCOPES[doctype].grid_field and not is_single(doctype)
	]


def b_record(matrix, doctype) -> Record:
	records = [record for record in matrix.records[doctype] if record.grid == "B"]
	assert records, f"add a record inside grid B for {doctype}"
	return records[0]


def text_field(doctype: str) -> str:
	meta = frappe.get_meta(doctype)
	for df in meta.fields:
		if df.fieldtype in ("Data", "Small Text", "Text") and not df.read_only and not df.fetch_from:
			return df.fieldname
	return "modified"


def snapshot(doctype: str, name: str):
	frappe.db.rollback()
	return frappe.db.get_value(doctype, name, ["modified", "docstatus"], as_dict=True)


# Every way to change a record by REST, the engine's versioned routes included.
WRITE_ACTIONS = [
	"rest_put",
	"set_value",
	"rest_delete",
	"v1_put",
	"v2_put",
	"v2_patch",
	"v2_delete",
	"v2_set_value",
]


def assert_change_refused(matrix, user: str, record: Record, action: str, changes: dict | None = None):
	"""`user` changes `record` by REST (`changes`, or a text field), set_value or delete: refused, and the
	record is as it was."""
	doctype = record.doctype
	before = snapshot(doctype, record.name)
	session, base_url = matrix.sessions[user], matrix.base_url
	fieldname = text_field(doctype)
	url = f"{base_url}/api/resource/{doctype}/{record.name}"
	v2_url = f"{base_url}/api/v2/document/{doctype}/{record.name}"
	if action == "rest_put":
		response = session.put(url, json=changes or {fieldname: "矩阵改写"}, timeout=60)
	elif action == "v1_put":
		response = session.put(
			f"{base_url}/api/v1/resource/{doctype}/{record.name}",
			json=changes or {fieldname: "矩阵改写"},
			timeout=60,
		)
	elif action in ("v2_put", "v2_patch"):
		response = session.request(
			action[3:].upper(), v2_url, json=changes or {fieldname: "矩阵改写"}, timeout=60
		)
	elif action == "v2_delete":
		response = session.delete(v2_url, timeout=60)
	elif action == "v2_set_value":
		response = session.post(
			f"{base_url}/api/v2/method/frappe.client.set_value",
			data={"doctype": doctype, "name": record.name, "fieldname": fieldname, "value": "矩阵改写"},
			timeout=60,
		)
	elif action == "set_value":
		response = method(
			session,
			base_url,
			"frappe.client.set_value",
			doctype=doctype,
			name=record.name,
			fieldname=fieldname,
			value="矩阵改写",
		)
	else:
		response = session.delete(url, timeout=60)
	assert response.status_code in REFUSED, (
		f"{action} on {record.name}: {response.status_code} {response.text[:300]}"
	)
	assert snapshot(doctype, record.name) == before


@pytest.mark.parametrize("doctype", grid_scoped_doctypes())
@pytest.mark.parametrize("action", WRITE_ACTIONS)
def test_grid_worker_cannot_change_grid_b(matrix, doctype, action):
	assert_change_refused(matrix, "worker_a", b_record(matrix, doctype), action)


def community_doctypes():
	return [doctype for doctype in ALL_DOCTYPES if not is_child(doctype) and SCOPES[doctype].community_field]


@pytest.mark.parametrize("doctype", community_doctypes())
@pytest.mark.parametrize("action", [*WRITE_ACTIONS, "move_to_own_community"])
def test_community_manager_cannot_change_another_communitys(matrix, doctype, action):
	"""The manager of community C1 changes nothing of C2's, and cannot move a record of C2 into C1."""
	record = next(record for record in matrix.records[doctype] if record.grid == "C2")
	changes = None
	if action == "move_to_own_community":
		action, changes = (
			"rest_put",
			{"community": frappe.db.get_value("Grid", matrix.grids["A"], "parent_grid")},
		)
	assert_change_refused(matrix, "manager_c1", record, action, changes)


@pytest.mark.parametrize(
	"doctype, values, what",
	[
		pytest.param(
			"Space Booking",
			lambda m: {
				"space": record_of(m, "Community Space", "C2"),
				"purpose": "矩阵越界预约",
				"booked_for": "Community Staff",
				"start_time": "2027-07-01 09:00:00",
				"end_time": "2027-07-01 10:00:00",
			},
			"space-of-C2",
			id="manager_c1-Space Booking-insert-space-of-C2",
		),
		pytest.param(
			"Resident Group",
			lambda m: {
				"group_name": "矩阵越界团队",
				"group_type": "Reading",
				"members": [{"resident": m.residents["B"]}],
			},
			"resident-of-C2",
			id="manager_c1-Resident Group-insert-resident-of-C2",
		),
		pytest.param(
			"Community Space",
			lambda m: {
				"space_name": "矩阵越界场地",
				"space_type": "Room",
				"community": frappe.db.get_value("Grid", m.grids["B"], "parent_grid"),
			},
			"community-C2",
			id="manager_c1-Community Space-insert-community-C2",
		),
	],
)
def test_community_manager_cannot_insert_into_another_community(matrix, doctype, values, what):
	assert_insert_refused(matrix, "manager_c1", doctype, values(matrix))


def link_b_cases():
	from wangge_app.test_utils import make_id_number

	"""(DocType, values as grid worker A would send them, label) for records of A that link B's data."""
	return [
		(
			"Dispute Case",
			lambda m: {
				"subject": "矩阵越界纠纷",
				"grid": m.grids["A1"],
				"category": "Tenancy and Property Management",
				"case_source": "Grid Patrol",
				"discovered_at": "2025-06-01 09:00:00",
				"description": "矩阵越界",
				"tier": "Ordinary",
				"parties": [{"party_role": "Applicant", "resident": m.residents["B"]}],
			},
			"party-of-B",
		),
		(
			"Dispute Case",
			lambda m: {
				"subject": "矩阵越界纠纷",
				"grid": m.grids["A1"],
				"category": "Tenancy and Property Management",
				"case_source": "Grid Patrol",
				"discovered_at": "2025-06-01 09:00:00",
				"description": "矩阵越界",
				"tier": "Ordinary",
				"parties": [{"party_role": "Applicant", "party_name": "某人"}],
				"households": [{"household": m.households["B"]}],
			},
			"household-of-B",
		),
		(
			"Resident",
			lambda m: {
				"full_name": "矩阵越界居民",
				"id_number": make_id_number(datetime.date(1981, 1, 1)),
				"household": m.households["B"],
			},
			"household-of-B",
		),
		(
			"Household",
			lambda m: {"grid": m.grids["B"], "building": "9", "room": "909"},
			"grid-B",
		),
		(
			"Volunteer Activity",
			lambda m: {
				"title": "矩阵越界活动",
				"service_type": "环境绿化",
				"grid": m.grids["A1"],
				"start_time": "2025-06-01 09:00:00",
				"end_time": "2025-06-01 12:00:00",
				"points_per_participant": 1,
				"participants": [{"member": m.members["B"], "attended": 1, "hours": 3}],
			},
			"member-of-B",
		),
		(
			"Party Member Household",
			lambda m: {"party_member": m.residents["B"], "commit_law_abiding": 1},
			"party-member-of-B",
		),
		(
			"Resident Request",
			lambda m: {
				"subject": "矩阵越界诉求",
				"category": "Other",
				"grid": m.grids["A1"],
				"household": m.households["B"],
				"description": "矩阵越界",
			},
			"household-of-B",
		),
		(
			"Household Visit",
			lambda m: {"household": m.households["B"], "findings": "矩阵越界走访"},
			"household-of-B",
		),
		(
			"Assisted Service Request",
			lambda m: {"resident": m.residents["B"], "service_type": "Residence Permit"},
			"resident-of-B",
		),
		(
			"Points Redemption",
			lambda m: {
				"member": m.members["B"],
				"offer": frappe.db.get_value("Redemption Offer", {"merchant": m.merchants["X"]}),
			},
			"member-of-B",
		),
		(
			"Activity Sign-up",
			lambda m: {"activity": m.records["Community Activity"][0].name, "resident": m.residents["B"]},
			"resident-of-B",
		),
		(
			"Activity Sign-up",
			lambda m: {"activity": record_of(m, "Community Activity", "C2"), "resident": m.residents["A1"]},
			"activity-of-C2",
		),
		(
			"Service Station Log",
			lambda m: {
				"station": record_of(m, "Party Mass Service Station", "C2"),
				"service": m.records["Station Service"][0].name,
				"people_count": 1,
				"log_date": "2026-06-01",
			},
			"station-of-C2",
		),
	]


def record_of(matrix, doctype: str, label: str) -> str:
	return next(record.name for record in matrix.records[doctype] if record.label == label)


@pytest.mark.parametrize(
	"doctype, values, what",
	[pytest.param(d, v, w, id=f"worker_a-{d}-insert-{w}") for d, v, w in link_b_cases()],
)
def test_grid_worker_cannot_insert_linking_grid_b(matrix, doctype, values, what):
	assert_insert_refused(matrix, "worker_a", doctype, values(matrix))


def assert_insert_refused(matrix, user: str, doctype: str, values: dict):
	"""`user` inserts a record by REST: refused, nothing written, and nothing of grid B (in community
	C2) in the refusal."""
	frappe.db.rollback()
	count = frappe.db.count(doctype)
	response = matrix.sessions[user].post(
		f"{matrix.base_url}/api/resource/{doctype}", json=values, timeout=60
	)
	assert response.status_code in REFUSED, f"{response.status_code} {response.text[:300]}"
	frappe.db.rollback()
	assert frappe.db.count(doctype) == count
	for secret in (
		"矩阵B",
		"矩阵党员B",
		"矩阵纠纷B",
		frappe.db.get_value("Household", matrix.households["B"], "address"),
	):
		assert not secret or secret not in response.text, f"the refusal shows {secret} of grid B"


def doc_json(doctype, name):
	frappe.db.rollback()
	return frappe.get_doc(doctype, name).as_dict(convert_dates_to_str=True)


@pytest.mark.parametrize(
	"user, doctype, label, action",
	[
		pytest.param(
			"worker_a", "Dispute Case", "B", "Arrive On Site", id="worker_a-Dispute Case-workflow-B"
		),
		pytest.param(
			"worker_a1", "Dispute Case", "B", "Arrive On Site", id="worker_a1-Dispute Case-workflow-B"
		),
		pytest.param(
			"secretary_a",
			"Party Member Household",
			"B",
			"Pass Branch Review",
			id="secretary_a-Party Member Household-workflow-B",
		),
		pytest.param(
			"worker_none",
			"Party Member Household",
			"A1",
			"Pass Branch Review",
			id="worker_none-Party Member Household-workflow-A1",
		),
		pytest.param(
			"merchant_x",
			"Points Redemption",
			"B",
			"Redeem Voucher",
			id="merchant_x-Points Redemption-workflow-Y",
		),
		pytest.param(
			"worker_a", "Points Redemption", "B", "Cancel Voucher", id="worker_a-Points Redemption-workflow-B"
		),
	],
)
def test_workflow_outside_scope_refused(matrix, user, doctype, label, action):
	record = next(r for r in matrix.records[doctype] if r.label == label)
	before = frappe.db.get_value(doctype, record.name, ["modified", "docstatus"], as_dict=True)
	response = method(
		matrix.sessions[user],
		matrix.base_url,
		"frappe.model.workflow.apply_workflow",
		doc=doc_json(doctype, record.name),
		action=action,
	)
	assert response.status_code in REFUSED, f"{response.status_code} {response.text[:300]}"
	frappe.db.rollback()
	assert frappe.db.get_value(doctype, record.name, ["modified", "docstatus"], as_dict=True) == before


def test_submit_and_cancel_outside_scope_refused(matrix):
	session, base_url = matrix.sessions["worker_a"], matrix.base_url
	draft = matrix.drafts.activity_b
	response = method(session, base_url, "frappe.client.submit", doc=doc_json("Volunteer Activity", draft))
	assert response.status_code in REFUSED, response.text[:300]
	frappe.db.rollback()
	assert frappe.db.get_value("Volunteer Activity", draft, "docstatus") == 0

	submitted = b_record(matrix, "Volunteer Activity").name
	response = method(session, base_url, "frappe.client.cancel", doctype="Volunteer Activity", name=submitted)
	assert response.status_code in REFUSED, response.text[:300]
	frappe.db.rollback()
	assert frappe.db.get_value("Volunteer Activity", submitted, "docstatus") == 1

	# The same worker may submit an activity of their own grid: the refusals are about scope.
	own = matrix.drafts.activity_a
	response = method(session, base_url, "frappe.client.submit", doc=doc_json("Volunteer Activity", own))
	assert response.status_code == 200, response.text[:300]
