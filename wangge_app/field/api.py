# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The grid worker's field app (/field): what it reads (the Today list, household search) and the one
endpoint it records through.

`submit` makes each key the phone made **exactly one record**, whatever the replays (the offline queue
sent again, a double tap, two tabs, a retry after a timeout): the key is the name of a Field Submission,
inserted in the same transaction as the record, so the primary key decides a race. A second call with
the key waits on the first's uncommitted row, fails as a duplicate once the first commits, and answers
the first's record. The record is inserted as the user, through the permission layer, the controller's
validations and the workflow, as the desk does; what is refused is stored against the key with its
message, so that a replay answers the same refusal and the phone can show it."""

import base64
import binascii
import json
import re
from dataclasses import dataclass

import frappe
import frappe.sessions
from frappe import _
from frappe.utils import add_days, getdate, now, strip_html

from wangge_app import roles
from wangge_app.resident_services.doctype.household_visit.household_visit import last_visits
from wangge_app.workflows import RECTIFYING, REQUEST_CLOSED

FIELD_SUBMISSION = "Field Submission"
RECORDED = "Recorded"
REFUSED = "Refused"
# The phone's key: a UUID (crypto.randomUUID), or any similar token of letters, digits and dashes.
CLIENT_KEY = re.compile(r"^[A-Za-z0-9-]{16,64}$")
LOCATION_FIELDS = ("latitude", "longitude", "location_accuracy")
MAX_PHOTOS = 6
# The phone shrinks each photo to 300 KB; a little room for a phone that cannot.
MAX_PHOTO_BYTES = 400 * 1024
IMAGE_SIGNATURES = {b"\xff\xd8\xff": "jpg", b"\x89PNG": "png", b"RIFF": "webp"}
NOT_VISITED_DAYS = 30
TODAY_LIMIT = 50


@dataclass(frozen=True)
class FieldForm:
	"""A quick form of the field app: the fields the phone may set, and where its photos go besides the
	record's attachments (an Attach Image field, or a table of photo rows). No field above permission
	level 0: what the phone sends is kept in the Field Submission, which the managers read."""

	fields: tuple[str, ...]
	photo_field: str | None = None
	photo_table: str | None = None


FIELD_FORMS = {
	"Household Visit": FieldForm(("household", "purpose", "visit_date", "findings", "follow_up_note")),
	"Resident Request": FieldForm(
		(
			"household",
			"subject",
			"category",
			"grade",
			"description",
			"channel",
		),
		photo_field="photo",
	),
	"Safety Hazard": FieldForm(
		(
			"hazard_title",
			"category",
			"risk_level",
			"found_on",
			"place_kind",
			"household",
			"place_name",
			"description",
		),
		photo_table="photos",
	),
}
# What a form sets unless the phone sends it.
FORM_DEFAULTS = {
	"Household Visit": {"purpose": "Routine Visit"},
	"Resident Request": {"channel": "Home Visit"},
	"Safety Hazard": {"place_kind": "Household", "risk_level": "General"},
}


def is_grid_worker(user: str | None = None) -> bool:
	return roles.GRID_WORKER in frappe.get_roles(user or frappe.session.user)


# Recording
@frappe.whitelist(methods=["POST"])
def submit(client_key=None, doctype=None, values=None, photos=None) -> dict:
	"""Record one quick form of the field app under the phone's key, once; see the module's docstring.
	Answers {client_key, status: Recorded | Refused, doctype, name, message}."""
	user = frappe.session.user
	client_key = checked_client_key(client_key)
	form = FIELD_FORMS.get(doctype) if isinstance(doctype, str) else None
	if not form:
		frappe.throw(_("The field app records household visits, requests and hazards only."))
	earlier = earlier_submission(client_key, user)
	if earlier:
		return earlier
	values = checked_values(doctype, form, values)
	photos = checked_photos(photos)
	submission = frappe.get_doc(
		{
			"doctype": FIELD_SUBMISSION,
			"client_key": client_key,
			"target_doctype": doctype,
			"submitted_values": json.dumps(values, ensure_ascii=False, sort_keys=True),
			"photo_count": len(photos),
		}
	)
	try:
		# Nobody creates a Field Submission by hand: the app writes it beside the record.
		submission.insert(ignore_permissions=True)
	except frappe.DuplicateEntryError:
		# Another call with this key got there first and has committed (this insert waited on its row).
		frappe.db.rollback()
		return earlier_submission(client_key, user)
	frappe.db.savepoint("field_record")
	try:
		record = make_record(doctype, form, values, photos, client_key)
	except (frappe.ValidationError, frappe.PermissionError) as refusal:
		frappe.db.rollback(save_point="field_record")
		# Rolling back to a savepoint keeps what the undone work queued to run at commit (Frappe empties
		# those queues on a full rollback only): nothing may be notified of a record that was not made.
		# Emptied whole, they lose only the submission's own list update, queued before.
		frappe.db.before_commit.reset()
		frappe.db.after_commit.reset()
		# The refusal is the answer, kept with the key; not a message box on top of it.
		frappe.local.message_log = []
		submission.db_set(
			{
				"status": REFUSED,
				"error_message": refusal_text(refusal),
				"grid": grid_named_by(values),
			}
		)
	else:
		submission.db_set({"status": RECORDED, "target_name": record.name, "grid": record.get("grid")})
	return answer(submission)


def checked_client_key(client_key) -> str:
	if not isinstance(client_key, str) or not CLIENT_KEY.match(client_key.strip()):
		frappe.throw(_("The submission's key is missing or malformed."), title=_("Invalid Input"))
	return client_key.strip()


def earlier_submission(client_key: str, user: str) -> dict | None:
	"""What an earlier call with this key answered; a key another user made is refused."""
	earlier = frappe.db.get_value(
		FIELD_SUBMISSION,
		client_key,
		["name", "owner", "status", "target_doctype", "target_name", "error_message"],
		as_dict=True,
	)
	if not earlier:
		return None
	if earlier.owner != user:
		frappe.throw(_("This submission key belongs to another user."), frappe.PermissionError)
	return answer(earlier)


def answer(submission) -> dict:
	return {
		"client_key": submission.name,
		"status": submission.status,
		"doctype": submission.target_doctype,
		"name": submission.target_name,
		"message": submission.error_message,
	}


def checked_values(doctype: str, form: FieldForm, values) -> dict:
	"""The form's own fields and the location, as plain values; anything else is refused."""
	if isinstance(values, str):
		try:
			values = json.loads(values)
		except ValueError:
			values = None
	if not isinstance(values, dict):
		frappe.throw(_("Send the form's values as a JSON object."), title=_("Invalid Input"))
	unknown = sorted(set(values) - set(form.fields) - set(LOCATION_FIELDS))
	if unknown:
		frappe.throw(
			_("The field app cannot set {0} of a {1}.").format(", ".join(unknown), _(doctype)),
			title=_("Invalid Input"),
		)
	checked = {**FORM_DEFAULTS.get(doctype, {})}
	for fieldname, value in values.items():
		if value in (None, ""):
			continue
		if fieldname in LOCATION_FIELDS:
			checked[fieldname] = checked_coordinate(fieldname, value)
		elif isinstance(value, str | int | float) and not isinstance(value, bool):
			checked[fieldname] = value
		else:
			frappe.throw(_("{0}: send plain text.").format(fieldname), title=_("Invalid Input"))
	return checked


COORDINATE_RANGES = {"latitude": (-90, 90), "longitude": (-180, 180), "location_accuracy": (0, 100000)}


def checked_coordinate(fieldname: str, value) -> float:
	low, high = COORDINATE_RANGES[fieldname]
	try:
		number = float(value)
	except (TypeError, ValueError):
		number = None
	if number is None or not low <= number <= high or number != number:
		frappe.throw(_("The location sent is not valid."), title=_("Invalid Input"))
	return number


def checked_photos(photos) -> list[tuple[str, bytes]]:
	"""[(file name, content)] of the photos sent as base64 (a data: URL or bare): images only, each
	small (the phone shrinks them), a few per record."""
	if isinstance(photos, str):
		try:
			photos = json.loads(photos) if photos else []
		except ValueError:
			photos = None
	photos = photos or []
	if not isinstance(photos, list):
		frappe.throw(_("Send the photos as a list."), title=_("Invalid Input"))
	if len(photos) > MAX_PHOTOS:
		frappe.throw(_("At most {0} photos per record.").format(MAX_PHOTOS), title=_("Too Many Photos"))
	checked = []
	for number, photo in enumerate(photos, start=1):
		data = photo.get("data") if isinstance(photo, dict) else photo
		if not isinstance(data, str):
			frappe.throw(_("Photo {0} could not be read.").format(number), title=_("Invalid Input"))
		try:
			content = base64.b64decode(data.split(",", 1)[-1], validate=True)
		except (binascii.Error, ValueError):
			frappe.throw(_("Photo {0} could not be read.").format(number), title=_("Invalid Input"))
		if len(content) > MAX_PHOTO_BYTES:
			frappe.throw(
				_("Photo {0} is too large: at most {1} KB.").format(number, MAX_PHOTO_BYTES // 1024),
				title=_("Photo Too Large"),
			)
		extension = next(
			(ext for signature, ext in IMAGE_SIGNATURES.items() if content.startswith(signature)), None
		)
		if not extension:
			frappe.throw(_("Photo {0} is not an image.").format(number), title=_("Invalid Input"))
		checked.append((f"photo-{number}.{extension}", content))
	return checked


def make_record(doctype: str, form: FieldForm, values: dict, photos: list, client_key: str):
	"""The record, inserted as the user (permission layer, validations, workflow), then its photos as
	private files attached to it (engine_guards.check_attachment_target checks the user may write it)."""
	document = {"doctype": doctype, **values}
	if doctype == "Resident Request":
		# The request's own duplicate check, too (a key of the public request page cannot collide).
		document["submission_key"] = f"field:{client_key}"
	record = frappe.get_doc(document).insert()
	urls = []
	for file_name, content in photos:
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"{record.name}-{file_name}",
				"attached_to_doctype": doctype,
				"attached_to_name": record.name,
				"is_private": 1,
				"content": content,
			}
		).insert()
		urls.append(file.file_url)
	if urls and form.photo_field:
		record.db_set(form.photo_field, urls[0], update_modified=False)
	if urls and form.photo_table:
		for url in urls:
			# Rows of the record just made, as the desk's form would have saved them with it.
			record.append(form.photo_table, {"photo": url}).db_insert()
	return record


def refusal_text(refusal: Exception) -> str:
	text = strip_html(str(refusal)).strip()
	return text or _("The record could not be saved.")


def grid_named_by(values: dict) -> str | None:
	"""The grid of the household a refused form named, so that its grid's managers see the attempt."""
	household = values.get("household")
	if not isinstance(household, str):
		return None
	return frappe.db.get_value("Household", household, "grid")


# Reading, as the user: every list through frappe.get_list and the permission layer.
@frappe.whitelist()
def today() -> dict:
	"""The Today list: the user's open requests with their due times, hazards of their grids awaiting
	re-inspection, and households of their grids not visited for 30 days (elderly living alone first)."""
	user = frappe.session.user
	requests = frappe.get_list(
		"Resident Request",
		filters=[
			["workflow_state", "!=", REQUEST_CLOSED],
			["_assign", "like", f'%"{user}"%'],
		],
		fields=["name", "subject", "workflow_state", "next_due_by", "is_overdue", "household"],
		order_by="next_due_by asc",
		limit_page_length=TODAY_LIMIT,
	)
	hazards = frappe.get_list(
		"Safety Hazard",
		filters={"workflow_state": RECTIFYING},
		fields=["name", "hazard_title", "place_name", "rectification_deadline", "is_overdue"],
		order_by="rectification_deadline asc",
		limit_page_length=TODAY_LIMIT,
	)
	return {
		"requests": requests,
		"hazards": hazards,
		"households": households_to_visit(),
		"server_time": now(),
		# The phone keeps the user (a copy of another user's goes) and the session's token for sending.
		"user": user,
		"csrf_token": frappe.sessions.get_csrf_token(),
	}


def households_to_visit() -> list[dict]:
	households = frappe.get_list(
		"Household",
		fields=["name", "address", "head_of_household_name", "elderly_living_alone"],
		order_by="address asc",
		limit_page_length=1000,
	)
	if not households:
		return []
	visited = last_visits([household.name for household in households])
	since = add_days(getdate(), -NOT_VISITED_DAYS)
	due = []
	for household in households:
		last = visited.get(household.name)
		if last and getdate(last) >= since:
			continue
		household.last_visit = last
		due.append(household)
	due.sort(key=lambda row: (not row.elderly_living_alone, str(row.last_visit or "")))
	return due[:TODAY_LIMIT]


@frappe.whitelist()
def search_households(text=None) -> list[dict]:
	"""Households of the user's grids by address, head's name or the last digits of the phone."""
	if not isinstance(text, str) or not text.strip():
		return []
	pattern = f"%{text.strip()[:40]}%"
	return frappe.get_list(
		"Household",
		or_filters=[
			["address", "like", pattern],
			["head_of_household_name", "like", pattern],
			["phone_masked", "like", pattern],
		],
		fields=["name", "address", "head_of_household_name", "grid"],
		order_by="address asc",
		limit_page_length=20,
	)


def select_options(doctype: str, fieldname: str) -> list[str]:
	options = frappe.get_meta(doctype).get_field(fieldname).options or ""
	return [option for option in options.split("\n") if option]
