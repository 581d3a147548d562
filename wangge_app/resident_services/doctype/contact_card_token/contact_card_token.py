# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The token behind a household contact card's QR code.

The QR code holds the address of the request page with the token `<id>.<signature>`: a random id
(96 bits, stored here) and an HMAC of the id and the household with the site's secret key, so a token
cannot be made up, guessed or altered. Issuing a new token for a household (a reissued card) revokes
the household's earlier ones; a token past its *Valid Until* date is expired."""

import base64
import hashlib
import hmac
import io
import secrets

import frappe
import pyqrcode
from frappe import _
from frappe.model.document import Document
from frappe.utils import get_url, getdate, now_datetime
from frappe.utils.password import get_encryption_key

CONTACT_CARD_TOKEN = "Contact Card Token"
ACTIVE = "Active"
REVOKED = "Revoked"
REQUEST_PAGE = "/request"
# A token as the page receives it: id, a dot, signature; nothing else is looked up.
MAX_TOKEN_LENGTH = 80


class ContactCardToken(Document):
	def before_insert(self):
		self.token_id = secrets.token_urlsafe(12)
		self.status = ACTIVE
		self.issued_at = now_datetime()
		self.revoked_at = None

	def validate(self):
		if self.valid_until and getdate(self.valid_until) < getdate() and self.is_new():
			frappe.throw(_("A new card cannot be valid only until a date in the past."))

	def after_insert(self):
		"""The household's earlier cards stop working."""
		for name in frappe.get_all(
			CONTACT_CARD_TOKEN,
			{"household": self.household, "status": ACTIVE, "name": ("!=", self.name)},
			pluck="name",
		):
			frappe.db.set_value(
				CONTACT_CARD_TOKEN,
				name,
				{"status": REVOKED, "revoked_at": self.issued_at},
				update_modified=False,
			)

	@property
	def token(self) -> str:
		return f"{self.token_id}.{signature(self.token_id, self.household)}"

	def request_url(self) -> str:
		return get_url(f"{REQUEST_PAGE}?card={self.token}")

	def qr_code_data_uri(self) -> str:
		"""The QR code of the request page's address, as an inline SVG (so the PDF carries it too)."""
		buffer = io.BytesIO()
		pyqrcode.create(self.request_url(), error="M").svg(buffer, scale=3, quiet_zone=2, xmldecl=True)
		return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def signature(token_id: str, household: str) -> str:
	key = hashlib.sha256(("contact-card-token:" + get_encryption_key()).encode()).digest()
	digest = hmac.new(key, f"{token_id}:{household}".encode(), hashlib.sha256).digest()
	return base64.urlsafe_b64encode(digest[:18]).decode()


def household_of_token(token) -> str | None:
	"""The household a valid card token belongs to; None for a forged, altered, revoked or expired one."""
	if not isinstance(token, str) or len(token) > MAX_TOKEN_LENGTH or token.count(".") != 1:
		return None
	token_id, given_signature = token.strip().split(".")
	card = frappe.db.get_value(
		CONTACT_CARD_TOKEN, {"token_id": token_id}, ["household", "status", "valid_until"], as_dict=True
	)
	if not card or not hmac.compare_digest(given_signature, signature(token_id, card.household)):
		return None
	if card.status != ACTIVE or (card.valid_until and getdate(card.valid_until) < getdate()):
		return None
	return card.household


def issue_token(household: str, **fields) -> ContactCardToken:
	"""A new card token for the household; its earlier ones are revoked."""
	return frappe.get_doc({"doctype": CONTACT_CARD_TOKEN, "household": household, **fields}).insert(
		ignore_permissions=True
	)


def active_token(household: str) -> ContactCardToken:
	"""The household's card token, issued when it has none (a card printed for the first time)."""
	name = frappe.db.get_value(
		CONTACT_CARD_TOKEN, {"household": household, "status": ACTIVE}, "name", order_by="creation desc"
	)
	if name:
		return frappe.get_doc(CONTACT_CARD_TOKEN, name)
	# Printed through a GET request (the print view, a PDF download), which Frappe does not commit: the
	# card must keep the token its code carries.
	frappe.local.flags.commit = True
	return issue_token(household)


def contact_card_qr_code(household: str) -> str:
	"""For the Household Contact Card print (a Jinja method in hooks.py): the QR code of the household's
	request page. Printing the card needs the right to print the household."""
	if not frappe.has_permission("Household", "print", doc=household):
		return ""
	return active_token(household).qr_code_data_uri()
