# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.utils import add_days, cint, getdate, now_datetime

from wangge_app.cases import CaseDocument
from wangge_app.resident_services.doctype.resident_request.resident_request import MAX_NOTE
from wangge_app.resident_services.text import plain_text
from wangge_app.utils.masking import mask_id_number
from wangge_app.utils.validation import checked_id_number
from wangge_app.workflows import (  # the states of the Assisted Service Workflow
	AUTHORISED,
	CANCELLED,
	IN_PROGRESS,
	SERVICE_CLOSED,
	SERVICE_COMPLETED,
	SERVICE_REQUESTED,
)

TAKEN = "Taken"
RETURNED = "Returned"
# Documents may be taken from the resident once the authorisation is signed, until the service is done.
CUSTODY_STATES = (AUTHORISED, IN_PROGRESS)


class AssistedServiceRequest(CaseDocument):
	initial_state = SERVICE_REQUESTED

	def validate(self):
		self.check_workflow_save()
		self.set_resident()
		self.clean_text()
		self.validate_service_type()
		self.validate_custody_log()
		self.apply_state_change()

	def set_resident(self):
		resident = frappe.db.get_value(
			"Resident",
			self.resident,
			["full_name", "household", "grid", "is_elderly", "has_disability"],
			as_dict=True,
		)
		self.resident_name = resident.full_name
		self.household = resident.household
		self.grid = resident.grid
		self.resident_group = (
			"Elderly and Disabled"
			if resident.is_elderly and resident.has_disability
			else "Elderly"
			if resident.is_elderly
			else "Disabled"
			if resident.has_disability
			else "Other"
		)

	def clean_text(self):
		self.authoriser_name = plain_text(self.authoriser_name, "Authoriser", 140)
		self.authorisation_scope = plain_text(self.authorisation_scope, "What the Agent May Do", MAX_NOTE)
		self.result = plain_text(self.result, "Result of the Service", MAX_NOTE)
		self.follow_up = plain_text(self.follow_up, "Follow-up", MAX_NOTE)
		for row in self.custody_log:
			row.document = plain_text(row.document, "Document", 140, required=True)
			row.note = plain_text(row.note, "Note", MAX_NOTE)
		if self.authoriser_id_number:
			self.authoriser_id_number = self.authoriser_id_number.strip().upper()
			checked_id_number(self.authoriser_id_number)
		self.authoriser_id_number_masked = mask_id_number(self.authoriser_id_number)
		if self.agent:
			self.agent_name = frappe.utils.get_fullname(self.agent)

	def validate_service_type(self):
		if (self.is_new() or self.has_value_changed("service_type")) and cint(
			frappe.db.get_value("Assisted Service Type", self.service_type, "disabled")
		):
			frappe.throw(_("The service {0} is no longer offered.").format(frappe.bold(_(self.service_type))))

	def validate_custody_log(self):
		"""Each original document taken, and returned only after it was taken. The log is history
		(wangge_app/history.py): appended to, never changed; the server stamps who handled a new row."""
		before = self.get_doc_before_save()
		old_rows = {row.name for row in before.custody_log} if before else set()
		out: dict[str, int] = {}
		for row in self.custody_log:
			key = row.document.casefold()
			if row.name not in old_rows:
				if self.workflow_state not in CUSTODY_STATES:
					frappe.throw(
						_(
							"Custody log, row {0}: documents are taken and returned between the written authorisation and the completion of the service."
						).format(row.idx),
						title=_("Custody Log"),
					)
				row.action_time = row.action_time or now_datetime()
			if row.action == TAKEN:
				out[key] = out.get(key, 0) + 1
			elif out.get(key, 0) <= 0:
				frappe.throw(
					_("Custody log, row {0}: {1} cannot be returned: it was never taken.").format(
						row.idx, frappe.bold(row.document)
					),
					title=_("Document Never Taken"),
				)
			else:
				out[key] -= 1
		names = {row.document.casefold(): row.document for row in self.custody_log}
		self.documents_out = "\n".join(names[key] for key, count in out.items() if count > 0) or None

	def enter_state(self, state: str, now):
		if state == AUTHORISED:
			missing = [
				_(self.meta.get_label(field))
				for field in (
					"authoriser_name",
					"authoriser_id_number",
					"authorisation_scope",
					"authorised_on",
				)
				if not self.get(field)
			]
			if missing:
				frappe.throw(
					_("The written authorisation needs: {0}.").format(", ".join(missing)),
					title=_("Authorisation Incomplete"),
				)
			self.agent = self.agent or frappe.session.user
			self.agent_name = frappe.utils.get_fullname(self.agent)
			days = frappe.db.get_value("Assisted Service Type", self.service_type, "time_limit_days")
			self.due_date = add_days(getdate(self.authorised_on), cint(days))
		elif state == SERVICE_COMPLETED:
			if not self.result:
				frappe.throw(
					_("Write the result of the service before completing it."), title=_("Result Missing")
				)
			self.check_documents_returned()
			self.completed_on = now
		elif state == SERVICE_CLOSED:
			if not self.follow_up:
				frappe.throw(
					_("Record the follow-up before closing the service."), title=_("Follow-up Missing")
				)
			self.followed_up_on = self.followed_up_on or getdate()
		elif state == CANCELLED:
			self.check_documents_returned()

	def check_documents_returned(self):
		if self.documents_out:
			frappe.throw(
				_("Return every original document to the resident first: {0}.").format(
					", ".join(self.documents_out.splitlines())
				),
				title=_("Documents Not Returned"),
			)

	def print_details(self) -> dict:
		"""The prints list the documents the service needs."""
		service = frappe.get_cached_doc("Assisted Service Type", self.service_type)
		return {
			"documents_needed": [
				line.strip() for line in (service.documents_needed or "").splitlines() if line.strip()
			],
		}
