"""Frappe-facing checks: translate identity errors into messages for the user."""

import frappe
from frappe import _

from wangge_app.utils import identity


def checked_id_number(id_number: str) -> identity.IdNumberInfo:
	"""Parse an 18-digit resident ID number or stop with a translated reason."""
	try:
		return identity.parse_id_number(id_number)
	except identity.InvalidIdNumber as error:
		reasons = {
			identity.REASON_LENGTH: _("An ID number has exactly 18 characters."),
			identity.REASON_CHARACTERS: _("An ID number has 17 digits followed by a digit or X."),
			identity.REASON_REGION: _("The ID number does not start with a valid region code."),
			identity.REASON_BIRTH_DATE: _("The ID number does not contain a valid date of birth."),
			identity.REASON_CHECKSUM: _(
				"The check digit of the ID number is wrong; please check the number."
			),
		}
		frappe.throw(
			_("Invalid ID number {0}: {1}").format(frappe.bold(id_number), reasons[error.reason]),
			title=_("Invalid ID Number"),
		)


def checked_mobile(mobile: str) -> str:
	"""Return the 11-digit form of a mainland mobile number or stop with a translated message."""
	try:
		return identity.normalize_mobile(mobile)
	except identity.InvalidMobile:
		frappe.throw(
			_(
				"Invalid mobile number {0}: a mainland China mobile number has 11 digits and starts with 13 to 19."
			).format(frappe.bold(mobile)),
			title=_("Invalid Mobile Number"),
		)


def json_argument(value, name: str):
	"""A request's argument given as JSON text, read as Frappe reads it (frappe.parse_json), blank as
	none; text that is not JSON stops with a message (Frappe's own reading answers with an error 500)."""
	if isinstance(value, str) and not value.strip():
		return None
	try:
		return frappe.parse_json(value)
	except ValueError:
		frappe.throw(_("{0} is not valid JSON.").format(name), title=_("Invalid Input"))
