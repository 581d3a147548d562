# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

import base64
import datetime
import io

import frappe
import pyqrcode
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, get_datetime, get_url, getdate, now_datetime, nowdate

from wangge_app import workflows as wf
from wangge_app.scopes import PARTNER_MERCHANT
from wangge_app.utils.workflow import validate_workflow_save
from wangge_app.volunteer import points, redemption
from wangge_app.volunteer.doctype.in_service_party_member.in_service_party_member import ACTIVE

OFFER_STATUS_INDEX = "offer_status_index"
# Fixed once the voucher leaves Requested.
FIXED_AFTER_REQUEST = ("member", "offer", "merchant", "points", "market_value")
# Only the controller writes these (on insert and on transitions), whoever saves the voucher.
SET_BY_TRANSITIONS = (
	"voucher_code",
	"valid_until",
	"requested_on",
	"issued_on",
	"redeemed_on",
	"redeemed_by",
	"closed_on",
)


class PointsRedemption(Document):
	def before_insert(self):
		self.voucher_code = redemption.new_voucher_code()
		self.requested_on = self.moment()

	def today(self):
		"""The day a transition happens on: today, or the `as_of` that `redemption.move_voucher` was
		given (the expiry job's day)."""
		return getdate(self.flags.as_of or nowdate())

	def moment(self):
		as_of = self.flags.as_of
		return get_datetime(as_of) if isinstance(as_of, datetime.datetime) else now_datetime()

	# The member, their full name and the voucher code are at permission level 1, which the desk roles
	# read and a Partner Merchant does not: a merchant's REST reads show the masked name only, as the
	# portal does. A merchant has no write permission at all; the portal's redeem endpoint, which finds
	# the voucher by the code presented at the counter, saves it for them.

	def validate(self):
		validate_workflow_save(self)
		previous = self.get_doc_before_save()
		old_status = previous.status if previous else None
		if previous:
			self.refuse_fixed_changes(previous)
		if (self.status or wf.REQUESTED) == wf.REQUESTED:
			self.set_offer_details()
		self.member_name_masked = redemption.mask_name(self.member_name)
		if previous and old_status != self.status:
			self.on_transition(old_status)

	def before_print(self, settings=None):
		"""A merchant prints only vouchers redeemed at its counter (Frappe lets anyone who may read a
		document print it); like every print, it shows the masked name and no code
		(`permissions.hide_unreadable_fields`)."""
		if redemption.is_merchant_user() and not redemption.has_website_permission(
			self, "print", frappe.session.user
		):
			frappe.throw(_("Only vouchers redeemed at your counter can be printed."), frappe.PermissionError)

	def refuse_fixed_changes(self, previous):
		"""The code and the transition stamps are the controller's; member and offer are fixed once issued."""
		fixed = [*SET_BY_TRANSITIONS, *(FIXED_AFTER_REQUEST if previous.status != wf.REQUESTED else ())]
		for fieldname in fixed:
			if comparable(self, fieldname, previous.get(fieldname)) != comparable(
				self, fieldname, self.get(fieldname)
			):
				frappe.throw(
					_("{0} of voucher {1} cannot be changed.").format(
						_(self.meta.get_label(fieldname)), frappe.bold(self.name)
					)
				)

	def set_offer_details(self):
		offer = frappe.db.get_value(
			redemption.OFFER,
			self.offer,
			["merchant", "item_name", "points_required", "market_value"],
			as_dict=True,
		)
		if not offer:
			frappe.throw(
				_("Redemption offer {0} does not exist.").format(self.offer), frappe.DoesNotExistError
			)
		self.merchant = offer.merchant
		self.item_name = offer.item_name
		self.points = offer.points_required
		self.market_value = offer.market_value
		self.member_name = frappe.db.get_value(points.MEMBER, self.member, "full_name")

	def on_transition(self, old_status):
		if self.status == redemption.ISSUED:
			self.check_issuable()
			self.issued_on = self.moment()
			self.flags.deduct_points = True
		elif self.status == redemption.REDEEMED:
			if getdate(self.valid_until) < self.today():
				frappe.throw(
					_("Voucher {0} expired on {1}.").format(frappe.bold(self.voucher_code), self.valid_until),
					title=_("Voucher Expired"),
				)
			self.redeemed_on = self.moment()
			self.redeemed_by = frappe.session.user
		elif self.status in (wf.CANCELLED, redemption.EXPIRED):
			if self.status == redemption.EXPIRED and getdate(self.valid_until) >= self.today():
				frappe.throw(
					_("Voucher {0} is valid until {1} and cannot expire before then.").format(
						frappe.bold(self.voucher_code), self.valid_until
					)
				)
			self.closed_on = self.moment()
			self.flags.refund_points = old_status == redemption.ISSUED

	def check_issuable(self):
		"""Refuse to issue unless the offer, its merchant, its stock, the member's limit and balance allow.

		Locks the offer (so concurrent issues count its stock one at a time) and the member (so their
		balance cannot be spent twice); the locks hold until the transaction ends."""
		today = self.today()
		offer = frappe.db.sql(
			f"""select name, item_name, is_active, valid_from, valid_to, total_quantity, per_member_limit,
				points_required, merchant from `tab{redemption.OFFER}` where name = %s for update""",
			self.offer,
			as_dict=True,
		)[0]
		merchant = frappe.db.get_value(
			PARTNER_MERCHANT,
			offer.merchant,
			["merchant_name", "is_active", "agreement_start", "agreement_end"],
			as_dict=True,
		)
		item = frappe.bold(offer.item_name)
		if not offer.is_active:
			frappe.throw(_("The offer {0} is not active.").format(item), title=_("Cannot Issue Voucher"))
		if not (getdate(offer.valid_from) <= today <= getdate(offer.valid_to)):
			frappe.throw(
				_("The offer {0} is valid from {1} to {2}.").format(item, offer.valid_from, offer.valid_to),
				title=_("Cannot Issue Voucher"),
			)
		if not merchant.is_active or not (
			getdate(merchant.agreement_start) <= today <= getdate(merchant.agreement_end)
		):
			frappe.throw(
				_("The points redemption agreement with {0} is not in force.").format(
					frappe.bold(merchant.merchant_name)
				),
				title=_("Cannot Issue Voucher"),
			)
		if frappe.db.get_value(points.MEMBER, self.member, "status") != ACTIVE:
			frappe.throw(
				_("{0} is not in service and cannot redeem points.").format(frappe.bold(self.member_name)),
				title=_("Cannot Issue Voucher"),
			)
		if cint(offer.total_quantity) and self.count_held({"offer": self.offer}) >= cint(
			offer.total_quantity
		):
			frappe.throw(_("The offer {0} is out of stock.").format(item), title=_("Cannot Issue Voucher"))
		limit = cint(offer.per_member_limit)
		if limit and self.count_held({"offer": self.offer, "member": self.member}) >= limit:
			frappe.throw(
				_("{0} already holds {1} vouchers for {2}, the most one member may.").format(
					frappe.bold(self.member_name), limit, item
				),
				title=_("Cannot Issue Voucher"),
			)
		points.check_balances_cover({self.member: -cint(self.points)})
		self.valid_until = min(getdate(offer.valid_to), getdate(merchant.agreement_end))

	def count_held(self, filters: dict) -> int:
		"""Vouchers issued or redeemed, read with a locking read so it sees other transactions' commits.

		Only the offer's held vouchers are read, through the (offer, status) index: Frappe has already
		locked the row of each voucher being issued, and those are Requested, so the read never waits
		on another issuer (which would deadlock with it waiting for the offer)."""
		conditions = " and ".join(f"`{field}` = %({field})s" for field in filters)
		return frappe.db.sql(
			f"""select count(*) from `tab{redemption.REDEMPTION}` force index ({OFFER_STATUS_INDEX})
			where {conditions} and status in %(held)s for update""",
			{**filters, "held": redemption.HELD_STATES},
		)[0][0]

	def on_update(self):
		if self.flags.pop("deduct_points", False):
			points.make_points_entry(
				self.member,
				-cint(self.points),
				points.REDEEMED,
				self.doctype,
				self.name,
				posting_date=self.today(),
				remarks=_("Voucher {0}: {1}").format(self.voucher_code, self.item_name),
			)
		if self.flags.pop("refund_points", False):
			points.reverse_voucher_entries(self.doctype, self.name, posting_date=self.today())

	def on_trash(self):
		if self.status != wf.REQUESTED:
			frappe.throw(
				_("Only a requested voucher can be deleted; cancel an issued one instead."),
				frappe.ValidationError,
			)

	def get_qr_code_data_uri(self) -> str:
		"""The QR code of the voucher: the merchant portal's address with the code, so a phone camera at
		the counter opens the voucher. An inline SVG data URI, so the PDF carries it too."""
		buffer = io.BytesIO()
		pyqrcode.create(get_url(f"/merchant?code={self.voucher_code}"), error="M").svg(
			buffer, scale=4, quiet_zone=2, xmldecl=True
		)
		return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


def comparable(doc, fieldname: str, value):
	"""A field's value in one form, whether it came from the database or as text from a request."""
	if value in (None, ""):
		return None
	fieldtype = doc.meta.get_field(fieldname).fieldtype
	if fieldtype == "Datetime":
		return get_datetime(value)
	if fieldtype == "Date":
		return getdate(value)
	return str(value)


def on_doctype_update():
	# Issuing counts an offer's held vouchers (stock, per-member limit) with a locking read on this index.
	frappe.db.add_index("Points Redemption", ["offer", "status"], index_name=OFFER_STATUS_INDEX)
