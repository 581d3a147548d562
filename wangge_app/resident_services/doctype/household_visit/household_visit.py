# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import getdate, now_datetime

from wangge_app.resident_services.doctype.resident_request.resident_request import MAX_DESCRIPTION, MAX_NOTE
from wangge_app.resident_services.text import plain_text

HOUSEHOLD_VISIT = "Household Visit"
FOR_A_REQUEST = "For a Request"
# What a visit can start, with the function that makes it from the visit.
STARTABLE = ("Resident Request", "Dispute Case")


class HouseholdVisit(Document):
	def validate(self):
		self.grid = frappe.db.get_value("Household", self.household, "grid")
		if self.is_new():
			self.visited_by = frappe.session.user
		# The name the list and the form show: a login says little to those who read the visits.
		if self.visited_by and not self.visiting_worker_name:
			self.visiting_worker_name = frappe.utils.get_fullname(self.visited_by)
		self.findings = plain_text(self.findings, "What Was Found", MAX_DESCRIPTION, required=True)
		self.follow_up_note = plain_text(self.follow_up_note, "What Follows", MAX_NOTE)
		if getdate(self.visit_date) > getdate():
			frappe.throw(_("The visit date cannot be in the future."))
		if self.purpose == FOR_A_REQUEST:
			if not self.resident_request:
				frappe.throw(_("Choose the request the visit is for."))
			if frappe.db.get_value("Resident Request", self.resident_request, "household") != self.household:
				frappe.throw(
					_("The request {0} is not of this household.").format(frappe.bold(self.resident_request))
				)


@frappe.whitelist()
def start_from_visit(visit=None, doctype=None, category=None) -> dict:
	"""Start a request or a dispute case from a visit, with its household, grid and findings; the visit
	records it. Starting again returns what was started."""
	if doctype not in STARTABLE:
		frappe.throw(_("A visit can start a {0} only.").format(", ".join(_(name) for name in STARTABLE)))
	if not isinstance(visit, str) or not frappe.db.exists(HOUSEHOLD_VISIT, visit):
		frappe.throw(_("No such household visit."), frappe.DoesNotExistError)
	doc = frappe.get_doc(HOUSEHOLD_VISIT, visit)
	if not doc.has_permission("write") or not frappe.has_permission(doctype, "create"):
		frappe.throw(_("You cannot start a {0} from this visit.").format(_(doctype)), frappe.PermissionError)
	if doc.started_record:
		return {"doctype": doc.started_doctype, "name": doc.started_record}
	started = (start_request if doctype == "Resident Request" else start_dispute_case)(doc, category)
	doc.db_set({"started_doctype": started.doctype, "started_record": started.name})
	return {"doctype": started.doctype, "name": started.name}


def title_of(text: str) -> str:
	first_line = text.splitlines()[0].strip()
	return first_line if len(first_line) <= 30 else first_line[:30] + "…"


def start_request(visit, category=None):
	head = frappe.db.get_value("Household", visit.household, "head_of_household")
	return frappe.get_doc(
		{
			"doctype": "Resident Request",
			"channel": "Home Visit",
			"household": visit.household,
			"grid": visit.grid,
			"requester": head,
			"category": category or "Other",
			"subject": title_of(visit.findings),
			"description": visit.findings,
			"submission_key": f"visit:{visit.name}",
		}
	).insert()


def start_dispute_case(visit, category=None):
	head = frappe.db.get_value("Household", visit.household, "head_of_household")
	address = frappe.db.get_value("Household", visit.household, "address")
	party = (
		{"party_role": "Applicant", "resident": head}
		if head
		else {"party_role": "Applicant", "party_name": address}
	)
	return frappe.get_doc(
		{
			"doctype": "Dispute Case",
			"subject": title_of(visit.findings),
			"grid": visit.grid,
			"category": category or "Neighbours",
			"case_source": "Grid Patrol",
			"discovered_at": now_datetime(),
			"description": visit.findings,
			"households": [{"household": visit.household}],
			"parties": [party],
		}
	).insert()


def last_visits(households: list[str] | None = None) -> dict[str, object]:
	"""The date of each household's latest visit (those the user may read)."""
	filters = {"household": ("in", households)} if households else {}
	return {
		row.household: row.last_visit
		for row in frappe.get_list(
			HOUSEHOLD_VISIT,
			filters=filters,
			fields=["household", "max(visit_date) as last_visit"],
			group_by="household",
			order_by="household asc",
		)
	}
