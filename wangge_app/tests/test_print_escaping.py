# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Every print format of the app prints what a record holds as text, never as markup.

This Frappe does not autoescape print formats, so each value has to be written with |e. Each test
puts a hostile string, tagged with the field it went into, into every field a person types that the
print shows: the printed document's own fields in the document handed to frappe.get_print (as the
print view does with a document it is given), the records around it (grid, merchant, offer, ledger)
in the database. Each tagged string must come out escaped, and no markup of it at all.

Frappe's sanitizer on save is no protection here: it lets a value that parses as JSON through as it
is (test_json_shaped_markup_passes_the_save_sanitizer), and data reaches the database by other ways
(imports, SQL, older versions).
"""

import json
import re
from pathlib import Path

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase

from wangge_app.test_utils import (
	activate_party_member_household,
	make_community_tree,
	make_household,
	make_party_member_household,
	make_resident,
	make_user,
	pdf_text,
	render_pdf,
	scope_user_to_grid,
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

HOSTILE = "<script>alert(1)</script><img src=x onerror=alert(2)>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;"

WORKER = "print-escaping-worker@example.com"
SECRETARY = "print-escaping-secretary@example.com"
COMMITTEE = "print-escaping-committee@example.com"


def hostile(tag: str) -> str:
	"""The hostile string, tagged so the test can tell which field it was printed from."""
	return f"{HOSTILE}[{tag}]"


class TestPrintEscaping(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_user(WORKER, ["Grid Worker"], first_name="卓玛")
		make_user(SECRETARY, ["Grid Party Branch Secretary"])
		make_user(COMMITTEE, ["Community Party Committee"])
		# Assignments mail their users, and sending mail in a test commits the transaction.
		for user in (WORKER, SECRETARY, COMMITTEE):
			frappe.db.set_value("Notification Settings", user, "enable_email_notifications", 0)
		cls.community, cls.grid, cls.micro_grid = make_community_tree(workers=[WORKER])
		scope_user_to_grid(SECRETARY, cls.grid.name)
		cls.household = make_household(cls.micro_grid.name, building="5", unit="1", room="302")
		cls.neighbours = [make_household(cls.grid.name).name for _ in range(10)]

	def setUp(self):
		frappe.db.savepoint("print_escaping")
		self.addCleanup(frappe.db.rollback, save_point="print_escaping")
		self.addCleanup(frappe.set_user, "Administrator")

	def test_every_printed_value_is_escaped(self):
		"""A guard for later edits: each {{ }} of each print format ends in |e, or escapes a list's items, or
		draws a fixed Tibetan text (`tibetan_text` escapes what it writes: test_tibetan_text_is_escaped)."""
		formats = sorted(Path(frappe.get_app_path("wangge_app")).glob("*/print_format/*/*.json"))
		self.assertEqual(len(formats), 10)
		for path in formats:
			html = json.loads(path.read_text())["html"]
			html = re.sub(r"\{#.*?#\}", "", html, flags=re.S)  # comments
			for expression in re.findall(r"\{\{-?(.*?)-?\}\}", html, flags=re.S):
				self.assertRegex(
					expression.strip(),
					r'\|\s*e$|\| map\("e"\) \| join\(|^tibetan_text\("[^"]+"(, "#[0-9a-f]{6}")?\)$',
					f"{path.name}: {{{{{expression}}}}}",
				)

	def test_tibetan_text_is_escaped(self):
		from wangge_app.utils.tibetan_print import tibetan_text

		html = str(tibetan_text('<img src=x onerror="alert(1)">'))
		self.assertNotIn("<img src=x", html)
		self.assertIn("&lt;img src=x onerror=", html)

	def make_grid_hostile(self) -> list[str]:
		"""Grid names, the grid worker's name and phone, the hotline and the party branch."""
		frappe.db.set_value("Grid", self.community.name, "grid_name", hostile("community"))
		frappe.db.set_value(
			"Grid",
			self.community.name,
			{"service_hotline": hostile("hotline"), "party_branch": hostile("party_branch")},
		)
		frappe.db.set_value("Grid", self.grid.name, "grid_name", hostile("grid"))
		frappe.db.set_value("Grid", self.micro_grid.name, "grid_name", hostile("micro_grid"))
		frappe.db.set_value(
			"Grid Worker Assignment",
			{"parent": self.grid.name},
			{"worker_name": hostile("worker_name"), "phone": hostile("worker_phone")},
		)
		return ["grid", "micro_grid", "worker_name", "worker_phone"]

	def assert_printed_as_text(self, doc, print_format: str, tags: list[str]) -> str:
		html = frappe.get_print(doc.doctype, doc.name, print_format, doc=doc)
		for tag in tags:
			self.assertIn(f"{ESCAPED}[{tag}]", html, f"{tag} is not printed escaped in {print_format}")
		self.assertNotIn("<script>alert", html)
		self.assertNotIn("<img src=x", html)
		self.assertNotIn("onerror=alert(2)>", html)
		return html

	def test_household_contact_card(self):
		tags = self.make_grid_hostile() + ["community", "hotline"]
		doc = frappe.get_doc("Household", self.household.name)
		doc.address = hostile("address")
		doc.contact_card_no = hostile("contact_card_no")
		self.assert_printed_as_text(doc, "Household Contact Card", [*tags, "address", "contact_card_no"])

	def make_dispute_case(self):
		frappe.db.set_value("Household", self.household.name, "address", hostile("household_address"))
		case = frappe.get_doc(
			{
				"doctype": "Dispute Case",
				"subject": "租户与物业纠纷",
				"grid": self.micro_grid.name,
				"category": "Neighbours",
				"case_source": "Grid Patrol",
				"discovered_at": frappe.utils.add_to_date(frappe.utils.now_datetime(), hours=-2),
				"description": "邻里纠纷",
				"households": [{"household": self.household.name}],
				"parties": [
					{"party_role": "Applicant", "party_name": "次仁", "phone": "13908907788"},
					{"party_role": "Respondent", "party_name": "拉萨某物业管理有限公司"},
				],
				"handlers": [
					{"handler_role": "Grid Worker", "user": WORKER},
					{"handler_role": "Community Mediator", "handler_name": "王芳", "organisation": "调委会"},
				],
			}
		).insert()
		case = apply_workflow(case, "Arrive On Site")
		case.append(
			"follow_up_visits",
			{"visit_date": frappe.utils.today(), "result": "关系缓和", "satisfaction": "Satisfied"},
		)
		# Every field a person types, in the document handed to the print.
		case.subject = hostile("subject")
		case.description = hostile("description")
		case.agreement_terms = hostile("agreement_terms")
		case.referred_to = hostile("referred_to")
		case.parties[0].party_name = hostile("party_name")
		case.parties[0].phone = hostile("party_phone")
		case.handlers[1].handler_name = hostile("handler_name")
		case.handlers[1].organisation = hostile("organisation")
		case.handlers[1].phone = hostile("handler_phone")
		case.step_log[0].note = hostile("step_note")
		case.follow_up_visits[0].result = hostile("visit_result")
		return case

	def test_dispute_registration_form(self):
		self.make_grid_hostile()  # a case prints its own handlers, not the grid's workers
		tags = ["community", "grid", "micro_grid"]
		case = self.make_dispute_case()
		self.assert_printed_as_text(
			case,
			"Dispute Registration Form",
			tags
			+ "household_address subject description agreement_terms referred_to party_name party_phone"
			" handler_name organisation handler_phone step_note visit_result".split(),
		)

	def test_peoples_mediation_agreement(self):
		self.make_grid_hostile()  # a case prints its own handlers, not the grid's workers
		tags = ["community", "grid", "micro_grid"]
		case = self.make_dispute_case()
		self.assert_printed_as_text(
			case,
			"People's Mediation Agreement",
			tags
			+ "household_address description agreement_terms party_name party_phone handler_name".split(),
		)

	def test_safety_hazard_rectification_notice(self):
		from wangge_app.safety.test_utils import make_inspection, record_results

		self.make_grid_hostile()
		tags = ["community", "grid", "micro_grid"]
		inspection = record_results(make_inspection(self.household.name), failed={1: "软管老化"})
		hazard = frappe.get_doc("Safety Hazard", inspection.items[0].hazard)
		frappe.db.set_value(
			"Safety Inspection Item",
			inspection.items[0].name,
			{"item": hostile("item"), "note": hostile("finding")},
		)
		for fieldname in (
			"place_name",
			"description",
			"responsible_party",
			"measures",
			"funds",
			"contingency_plan",
		):
			hazard.set(fieldname, hostile(fieldname))
			tags.append(fieldname)
		self.assert_printed_as_text(hazard, "Safety Hazard Rectification Notice", [*tags, "item", "finding"])

	def test_party_member_household_notice(self):
		tags = self.make_grid_hostile() + ["hotline", "party_branch"]
		member = make_resident(make_household(self.micro_grid.name).name, full_name="强巴", is_party_member=1)
		notice = make_party_member_household(member.name, self.neighbours)
		activate_party_member_household(notice, SECRETARY, COMMITTEE)
		notice = frappe.get_doc("Party Member Household", notice.name)
		notice.party_member_name = hostile("party_member_name")
		notice.contact_phone = hostile("contact_phone")
		notice.address = hostile("address")
		notice.served_households[0].address = hostile("served_address")
		self.assert_printed_as_text(
			notice,
			"Party Member Household Notice",
			[*tags, "party_member_name", "contact_phone", "address", "served_address"],
		)

	def test_points_statement(self):
		member = make_party_member(make_work_unit().name)
		activity = make_activity([member.name], points=3)
		adjustment = make_adjustment(member.name, 5)
		frappe.db.set_value("Volunteer Activity", activity.name, "title", hostile("activity_title"))
		frappe.db.set_value(
			"Volunteer Points Entry", {"voucher_no": adjustment.name}, "remarks", hostile("remarks")
		)
		frappe.db.set_value("Grid", self.grid.name, "grid_name", hostile("grid"))
		member = frappe.get_doc("In-service Party Member", member.name)
		member.full_name = hostile("full_name")
		member.work_unit = hostile("work_unit")
		member.grid = self.grid.name
		# An activity's line reads the activity's title, an adjustment's the entry's remarks.
		self.assert_printed_as_text(
			member, "Points Statement", ["full_name", "work_unit", "grid", "activity_title", "remarks"]
		)

	def test_redemption_voucher(self):
		merchant = make_merchant()
		offer = make_offer(merchant.name, 5)
		member = make_party_member(make_work_unit().name)
		make_adjustment(member.name, 10)
		voucher = make_redemption(member.name, offer.name)
		frappe.db.set_value(
			"Partner Merchant",
			merchant.name,
			{
				"merchant_name": hostile("merchant_name"),
				"address": hostile("merchant_address"),
				"contact_phone": hostile("merchant_phone"),
			},
		)
		frappe.db.set_value("Redemption Offer", offer.name, "description", hostile("offer_description"))
		voucher = frappe.get_doc("Points Redemption", voucher.name)
		voucher.item_name = hostile("item_name")
		voucher.member_name = hostile("member_name")
		html = self.assert_printed_as_text(
			voucher,
			"Redemption Voucher",
			"merchant_name merchant_address merchant_phone offer_description item_name member_name".split(),
		)
		# The QR code is generated, not typed: its data URI still reaches the img tag whole.
		self.assertIn(f'<img src="{voucher.get_qr_code_data_uri()}"', html)

	def test_json_shaped_markup_passes_the_save_sanitizer(self):
		"""Why prints cannot count on Frappe's sanitizer: a value that parses as JSON is saved as it is,
		through the ORM, by any user who may edit the record. Printed, it is text."""
		merchant = make_merchant()
		merchant.address = '["<img src=x onerror=alert(2)>"]'
		merchant.save()
		self.assertEqual(
			frappe.db.get_value("Partner Merchant", merchant.name, "address"),
			'["<img src=x onerror=alert(2)>"]',
		)
		offer = make_offer(merchant.name, 5)
		member = make_party_member(make_work_unit().name)
		make_adjustment(member.name, 10)
		voucher = make_redemption(member.name, offer.name)
		html = frappe.get_print("Points Redemption", voucher.name, "Redemption Voucher")
		self.assertIn("[&#34;&lt;img src=x onerror=alert(2)&gt;&#34;]", html)
		self.assertNotIn("<img src=x", html)

	def test_escaped_values_read_as_typed_in_the_pdf(self):
		"""Escaping is for the HTML: the PDF shows the characters the person typed."""
		merchant = make_merchant()
		offer = make_offer(merchant.name, 5)
		member = make_party_member(make_work_unit().name)
		make_adjustment(member.name, 10)
		voucher = make_redemption(member.name, offer.name)
		frappe.db.set_value("Partner Merchant", merchant.name, "address", "A&B <商铺> 1号")
		text = pdf_text(render_pdf("Points Redemption", voucher.name, "Redemption Voucher"))
		self.assertIn("A&B<商铺>1号", text)
		self.assertNotIn("&amp;", text)
