"""Builders for test data, shared by the app's tests (kept beside the app as Frappe apps do)."""

import datetime

import frappe

from wangge_app import workflows as wf
from wangge_app.utils.identity import id_check_character


def unique_code(prefix: str = "T") -> str:
	return f"{prefix}-{frappe.generate_hash(length=8).upper()}"


def make_user(email: str, roles: list[str], **fields):
	if frappe.db.exists("User", email):
		user = frappe.get_doc("User", email)
	else:
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": email,
				"first_name": email.split("@")[0],
				"send_welcome_email": 0,
				**fields,
			}
		).insert(ignore_permissions=True)
	user.add_roles(*roles)
	return user


def make_grid(level: str, parent: str | None = None, workers: list[str] = (), **fields):
	return frappe.get_doc(
		{
			"doctype": "Grid",
			"grid_name": fields.pop("grid_name", None) or unique_code(level),
			"grid_code": fields.pop("grid_code", None) or unique_code("G"),
			"grid_level": level,
			"parent_grid": parent,
			"grid_workers": [{"user": user} for user in workers],
			**fields,
		}
	).insert()


def default_test_community() -> str:
	"""The community of the tests' spaces, activities and stations that need no particular one."""
	code = "TEST-COMMUNITY"
	return frappe.db.get_value("Grid", {"grid_code": code}) or make_grid("Community", grid_code=code).name


def make_community_tree(workers: list[str] = ()):
	"""A community with one grid (staffed by `workers`) holding one micro-grid."""
	community = make_grid("Community", service_hotline="0891-6888888")
	grid = make_grid("Grid", community.name, workers=workers)
	micro_grid = make_grid("Micro-grid", grid.name)
	return community, grid, micro_grid


def make_household(grid: str, **fields):
	return frappe.get_doc(
		{
			"doctype": "Household",
			"grid": grid,
			"building": fields.pop("building", "1"),
			"unit": fields.pop("unit", "1"),
			"room": fields.pop("room", None) or str(frappe.db.count("Household") + 101),
			**fields,
		}
	).insert()


def make_partner_department(department_name: str, department_type: str = "Government Department", **fields):
	"""The department of that name, created when missing (departments are shared by every test)."""
	if frappe.db.exists("Partner Department", department_name):
		return frappe.get_doc("Partner Department", department_name)
	return frappe.get_doc(
		{
			"doctype": "Partner Department",
			"department_name": department_name,
			"department_type": department_type,
			**fields,
		}
	).insert()


_sequence = iter(range(50, 500))


def make_id_number(date_of_birth: datetime.date, gender: str = "Female", region: str = "540102") -> str:
	"""A valid 18-digit ID number, unique within the test run."""
	sequence = next(_sequence) * 2 + (gender == "Male")  # odd: male, even: female
	first17 = f"{region}{date_of_birth:%Y%m%d}{sequence:03d}"
	return first17 + id_check_character(first17)


def random_birth_date() -> datetime.date:
	"""A date of birth for an ID number that tests run again on the same site do not repeat."""
	import random

	return datetime.date(1940, 1, 1) + datetime.timedelta(days=random.randrange(25000))


def make_resident(household: str, full_name: str = "次仁白玛", **fields):
	date_of_birth = fields.pop("date_of_birth", datetime.date(1980, 5, 17))
	return frappe.get_doc(
		{
			"doctype": "Resident",
			"full_name": full_name,
			"id_number": fields.pop("id_number", None)
			or make_id_number(date_of_birth, fields.pop("gender", "Female")),
			"household": household,
			**fields,
		}
	).insert()


# Party Building

COMMITMENTS_MADE = {
	"commit_law_abiding": 1,
	"commit_civil_conduct": 1,
	"commit_advice": 1,
	"commit_community": 1,
}


def make_party_member_household(party_member: str, served: list[str] = (), **fields):
	"""A central household application (state Applied) with every commitment made."""
	return frappe.get_doc(
		{
			"doctype": "Party Member Household",
			"party_member": party_member,
			"served_households": [{"household": household} for household in served],
			**COMMITMENTS_MADE,
			**fields,
		}
	).insert()


def scope_user_to_grid(user: str, grid: str) -> None:
	"""Give a user (a party branch secretary, say) the grid as their scope, as an administrator would
	with a User Permission on Grid; grid workers get theirs from the Grid form's worker table."""
	from frappe.permissions import add_user_permission

	if not frappe.db.exists("User Permission", {"user": user, "allow": "Grid", "for_value": grid}):
		add_user_permission("Grid", grid, user, ignore_permissions=True)


def apply_workflow_as(user: str, doc, action: str, **changes):
	"""Apply a workflow action to the record as `user`, after saving `changes` to it as that user (a
	workflow action carries no edits); then return to the user who called."""
	from frappe.model.workflow import apply_workflow

	caller = frappe.session.user
	frappe.set_user(user)
	try:
		record = frappe.get_doc(doc.doctype, doc.name)
		if changes:
			record.update(changes)
			record.save()
		return apply_workflow(record, action)
	finally:
		frappe.set_user(caller)


def open_assignees(doc) -> set[str]:
	"""The users the record is assigned to, with the assignment still open."""
	return set(
		frappe.get_all(
			"ToDo",
			{"reference_type": doc.doctype, "reference_name": doc.name, "status": "Open"},
			pluck="allocated_to",
		)
	)


def missed_due_times(doc, now) -> list[str]:
	"""Run the overdue check of the record's DocType at `now`: the targets of the record it found missed."""
	from wangge_app.overdue import mark_missed_due_times_of

	return [target for name, target in mark_missed_due_times_of(doc.doctype, now) if name == doc.name]


def alert_subjects(doc, user: str) -> list[str]:
	"""The subjects of the alerts about the record in `user`'s notifications."""
	return frappe.get_all(
		"Notification Log",
		{"document_type": doc.doctype, "document_name": doc.name, "for_user": user, "type": "Alert"},
		pluck="subject",
	)


def activate_party_member_household(doc, secretary: str, committee: str):
	"""Take an application through branch review and committee approval."""
	apply_workflow_as(secretary, doc, wf.PASS_BRANCH_REVIEW)
	return apply_workflow_as(committee, doc, wf.APPROVE)


def make_service_station(services: list[str], **fields):
	return frappe.get_doc(
		{
			"doctype": "Party Mass Service Station",
			"station_name": fields.pop("station_name", None) or unique_code("党群服务V站"),
			"location": fields.pop("location", "幸福路1号"),
			"opening_hours": fields.pop("opening_hours", "09:00-18:00"),
			"services": [{"service": service} for service in services],
			"community": fields.pop("community", None) or default_test_community(),
			**fields,
		}
	).insert()


def make_station_log(station: str, service: str, people_count: int, **fields):
	return frappe.get_doc(
		{
			"doctype": "Service Station Log",
			"station": station,
			"service": service,
			"people_count": people_count,
			"log_date": fields.pop("log_date", None) or frappe.utils.today(),
			"visitor_type": fields.pop("visitor_type", "Resident"),
			**fields,
		}
	).insert()


def render_pdf(doctype: str, name: str, print_format: str):
	"""The print as Frappe makes its PDF (wkhtmltopdf), opened with pypdf."""
	import io

	from pypdf import PdfReader

	return PdfReader(io.BytesIO(frappe.get_print(doctype, name, print_format, as_pdf=True)))


def pdf_text(reader) -> str:
	"""The PDF's text layer without white space, which wkhtmltopdf places between table cells."""
	return "".join("".join(page.extract_text() for page in reader.pages).split())
