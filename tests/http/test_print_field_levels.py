"""Prints follow field permissions (issue 23, finding 8), over HTTP against the served test site.

A District Manager read authorisers' full ID numbers in the Written Authorisation print, while REST
answered the field as null: Frappe prints a document with every field, and the app's Jinja formats read
`doc.<field>` whatever its permission level. Every print of a record of the app now leaves out what a REST
read leaves out (`permissions.hide_unreadable_fields`, a `before_print` of every DocType); the formats
print the masked copies instead.

Every print format of the app × every role that may print its DocType: one record of each, with a value
in each field at permission level 1 or 2 and in the rows of its tables; no value of a field above the
role's levels shows in the print view, in `get_html_and_style` nor in the PDF's text layer
(`download_pdf`), and the fields the format prints show in full to the roles that read them."""

import io
import json
import re
from pathlib import Path

import frappe
import pytest
from frappe.utils import getdate
from pypdf import PdfReader

from tests.site_session import log_in
from wangge_app import workflows as wf
from wangge_app.resident_services.test_utils import make_request, random_id_number
from wangge_app.safety.test_utils import make_hazard
from wangge_app.test_utils import (
	apply_workflow_as,
	make_community_tree,
	make_household,
	make_party_member_household,
	make_resident,
	make_user,
	scope_user_to_grid,
)
from wangge_app.utils.masking import mask_id_number, mask_phone
from wangge_app.volunteer.test_utils import (
	make_adjustment,
	make_merchant,
	make_offer,
	make_party_member,
	make_redemption,
	make_work_unit,
	unique_mobile,
)

PASSWORD = "Wangge-Prints-2026"
APP_PATH = Path(frappe.get_app_path("wangge_app"))
USERS = {
	"System Manager": "prints-system-manager@example.com",
	"Community Manager": "prints-manager@example.com",
	"District Manager": "prints-district@example.com",
	"Grid Worker": "prints-worker@example.com",
	"Community Mediator": "prints-mediator@example.com",
	"Community Party Committee": "prints-committee@example.com",
	"Grid Party Branch Secretary": "prints-secretary@example.com",
	"Partner Merchant": "prints-merchant@example.com",
}
# Fields above level 0 that a format prints, with the masked copy (level 0) printed in their place:
# (table field or None, field, masked copy or None).
PRINTED = {
	"Written Authorisation": [(None, "authoriser_id_number", "authoriser_id_number_masked")],
	"Dispute Registration Form": [("parties", "phone", "phone_masked")],
	"People's Mediation Agreement": [("parties", "phone", "phone_masked")],
	"Party Member Household Notice": [(None, "contact_phone", None)],
	"Redemption Voucher": [(None, "member_name", "member_name_masked"), (None, "voucher_code", None)],
}
# Values printed in another form than stored (dates, numbers, flags, choices) are not looked for.
TEXT_TYPES = ("Data", "Small Text", "Text", "Long Text", "Link", "Dynamic Link", "Phone", "Read Only")


def definition(doctype: str) -> dict:
	path = next(APP_PATH.glob(f"*/doctype/{frappe.scrub(doctype)}/{frappe.scrub(doctype)}.json"))
	return json.loads(path.read_text(encoding="utf-8"))


def print_formats() -> list[tuple[str, str]]:
	formats = []
	for path in sorted(APP_PATH.glob("*/print_format/*/*.json")):
		format_definition = json.loads(path.read_text(encoding="utf-8"))
		formats.append((format_definition["name"], format_definition["doc_type"]))
	return formats


def printing_roles(doctype: str) -> list[str]:
	"""The roles the DocType lets print (read and print at level 0)."""
	perms = definition(doctype)["permissions"]
	return sorted(
		{
			perm["role"]
			for perm in perms
			if not perm.get("permlevel") and perm.get("read") and perm.get("print")
		}
	)


CASES = [
	pytest.param(print_format, doctype, role, id=f"{print_format}-{role}")
	for print_format, doctype in print_formats()
	for role in printing_roles(doctype)
]


@pytest.fixture(scope="module")
def prints(base_url):
	"""One record of each printed DocType in a grid worker's grid, every field above level 0 filled;
	a user of each role (community roles unscoped, the secretary scoped to the grid, the merchant's
	website user at the counter where the voucher was redeemed); committed for the served site."""
	frappe.set_user("Administrator")
	for role, email in USERS.items():
		user_type = "Website User" if role == "Partner Merchant" else "System User"
		make_user(email, [role], user_type=user_type, new_password=PASSWORD)
		frappe.db.set_value("Notification Settings", email, "enable_email_notifications", 0)
	worker = USERS["Grid Worker"]
	_community, grid, micro_grid = make_community_tree(workers=[worker])
	scope_user_to_grid(USERS["Grid Party Branch Secretary"], grid.name)

	household = make_household(micro_grid.name, phone="0891-6" + unique_mobile()[-6:], low_income=1)
	neighbour = make_household(micro_grid.name, phone="0891-6" + unique_mobile()[-6:])
	resident = make_resident(
		household.name,
		full_name="卓玛央宗",
		mobile=unique_mobile(),
		id_number=random_id_number(),
		is_party_member=1,
	)
	records = frappe._dict()
	records["Household"] = household
	records["Dispute Case"] = frappe.get_doc(
		{
			"doctype": "Dispute Case",
			"subject": "院墙漏水纠纷",
			"grid": micro_grid.name,
			"category": "Neighbours",
			"case_source": "Grid Patrol",
			"tier": "Ordinary",
			"description": "邻居院墙漏水，双方争执。",
			"discovered_at": frappe.utils.add_to_date(frappe.utils.now_datetime(), hours=-2),
			"parties": [
				{"party_role": "Applicant", "resident": resident.name},
				{
					"party_role": "Respondent",
					"party_name": "拉萨某物业公司",
					"phone": "0891-6" + unique_mobile()[-6:],
				},
			],
		}
	).insert()
	records["Party Member Household"] = make_party_member_household(resident.name, served=[neighbour.name])
	service = frappe.get_doc(
		{
			"doctype": "Assisted Service Request",
			"resident": resident.name,
			"service_type": "Pension Eligibility Certification",
			"mode": "At Home",
			"authoriser_name": "卓玛央宗",
			"authoriser_id_number": random_id_number(),
			"authorisation_scope": "代为办理养老金资格认证",
			"authorised_on": getdate(),
		}
	).insert()
	records["Assisted Service Request"] = apply_workflow_as(worker, service, wf.RECORD_AUTHORISATION)
	records["Resident Request"] = make_request(
		grid=micro_grid.name, household=household.name, requester_phone=unique_mobile()
	)
	records["Safety Hazard"] = make_hazard(household.name)

	merchant_user = USERS["Partner Merchant"]
	merchant = make_merchant(users=[merchant_user])
	offer = make_offer(merchant.name, 1, item_name="酥油茶一壶")
	member = make_party_member(make_work_unit().name, full_name="次旦罗布", grid=grid.name)
	make_adjustment(member.name, 5)
	records["In-service Party Member"] = member
	voucher = make_redemption(member.name, offer.name)
	# Redeemed at the merchant's counter: the merchant may print it.
	frappe.set_user(merchant_user)
	from wangge_app.volunteer import merchant_portal

	merchant_portal.redeem_voucher(code=voucher.voucher_code)
	frappe.set_user("Administrator")
	records["Points Redemption"] = voucher
	frappe.db.commit()
	for doctype, record in records.items():
		records[doctype] = frappe.get_doc(doctype, record.name)

	sessions = {role: log_in(base_url, email, PASSWORD) for role, email in USERS.items()}
	yield frappe._dict(base_url=base_url, records=records, sessions=sessions)

	frappe.db.rollback()
	frappe.db.delete("Points Redemption", {"merchant": merchant.name})
	frappe.db.delete("Redemption Offer", {"merchant": merchant.name})
	frappe.db.delete("Partner Merchant User", {"parent": merchant.name})
	frappe.db.delete("Partner Merchant", {"name": merchant.name})
	frappe.db.delete("Volunteer Points Entry", {"member": member.name})
	frappe.db.delete("Points Adjustment", {"member": member.name})
	frappe.db.delete("In-service Party Member", {"name": member.name})
	frappe.db.commit()


def read_levels(doctype: str, role: str) -> set[int]:
	return {
		perm.permlevel for perm in frappe.get_meta(doctype).permissions if perm.role == role and perm.read
	}


def unreadable_values(doc, role: str) -> dict[str, str]:
	"""What the record holds in fields (its own and its rows') at a level the role cannot read; a
	child table's fields count by the parent's levels, as Frappe reads them."""
	levels = read_levels(doc.doctype, role)
	values = {}
	for row in [doc, *doc.get_all_children()]:
		for df in row.meta.fields:
			value = row.get(df.fieldname)
			if df.permlevel not in levels and df.fieldtype in TEXT_TYPES and isinstance(value, str):
				if len(value.strip()) >= 4:
					values[f"{row.doctype}.{df.fieldname}"] = value.strip()
	return values


def compact(text: str) -> str:
	"""Without white space, which wkhtmltopdf's text layer puts between table cells."""
	return "".join(text.split())


def pdf_text(content: bytes) -> str:
	return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def attachment_text(content: bytes | str) -> str:
	"""An e-mail's print attachment: a PDF, or HTML when Print Settings do not send PDFs."""
	if isinstance(content, bytes) and content.startswith(b"%PDF"):
		return pdf_text(content)
	return content.decode() if isinstance(content, bytes) else content


def printed(prints, role: str, doctype: str, name: str, print_format: str) -> dict[str, str]:
	"""The print of the record as `role` on each print path: the print view's page, the desk's
	`get_html_and_style` and the PDF download."""
	session, base_url = prints.sessions[role], prints.base_url
	params = {"doctype": doctype, "name": name, "format": print_format}
	page = session.get(f"{base_url}/printview", params=params, headers={"Accept": "text/html"}, timeout=60)
	assert page.status_code == 200, f"{role}: printview {page.status_code} {page.text[:300]}"
	desk = session.post(
		f"{base_url}/api/method/frappe.www.printview.get_html_and_style",
		data={"doc": doctype, "name": name, "print_format": print_format},
		timeout=60,
	)
	assert desk.status_code == 200, f"{role}: get_html_and_style {desk.status_code} {desk.text[:300]}"
	pdf = session.get(
		f"{base_url}/api/method/frappe.utils.print_format.download_pdf", params=params, timeout=120
	)
	assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), (
		f"{role}: download_pdf {pdf.status_code} {pdf.text[:300]}"
	)
	return {
		"printview": page.text,
		"get_html_and_style": desk.json()["message"]["html"],
		"download_pdf": pdf_text(pdf.content),
	}


def test_every_print_format_has_cases():
	"""A print format of a DocType this file has no record of fails here, not silently."""
	assert {doctype for _format, doctype in print_formats()} <= {
		"Household",
		"Dispute Case",
		"Party Member Household",
		"Assisted Service Request",
		"Resident Request",
		"Safety Hazard",
		"In-service Party Member",
		"Points Redemption",
	}
	assert set(PRINTED) <= {name for name, _doctype in print_formats()}


@pytest.mark.parametrize("print_format, doctype, role", CASES)
def test_print_shows_no_field_above_the_readers_level(prints, print_format, doctype, role):
	doc = prints.records[doctype]
	hidden = unreadable_values(doc, role)
	outputs = printed(prints, role, doctype, doc.name, print_format)
	for path, text in outputs.items():
		text = compact(text)
		assert text, f"{path} printed nothing"
		leaked = [field for field, value in hidden.items() if compact(value) in text]
		assert not leaked, f"{role} reads {leaked} in the {print_format} print ({path})"

	# The fields the format prints: in full to the roles that read them, else their masked copies.
	levels = read_levels(doctype, role)
	for table, fieldname, masked in PRINTED.get(print_format, ()):
		rows = doc.get(table) if table else [doc]
		meta = frappe.get_meta(rows[0].doctype)
		for row in rows:
			if not row.get(fieldname):
				continue
			if meta.get_field(fieldname).permlevel in levels:
				expected = row.get(fieldname)
			elif masked:
				expected = row.get(masked)
			else:
				continue
			for path, text in outputs.items():
				assert compact(expected) in compact(text), (
					f"{role}: {fieldname} not printed as {expected} ({path})"
				)


def test_finding_8_district_manager_print_masks_authoriser_id(prints):
	"""The finding's paths: the District Manager's Written Authorisation (print view, desk print, PDF)
	shows the masked ID number, as REST answers the field null; the case form's party table and the
	REST read of the case show the parties' masked phones, never the full numbers."""
	service = prints.records["Assisted Service Request"]
	district = prints.sessions["District Manager"]
	full, masked = service.authoriser_id_number, mask_id_number(service.authoriser_id_number)
	assert service.authoriser_id_number_masked == masked

	rest = district.get(f"{prints.base_url}/api/resource/Assisted Service Request/{service.name}", timeout=60)
	assert rest.status_code == 200, rest.text
	data = rest.json()["data"]
	assert data.get("authoriser_id_number") is None and data["authoriser_id_number_masked"] == masked
	for print_format in ("Written Authorisation", "Assisted Service Receipt"):
		for path, text in printed(
			prints, "District Manager", service.doctype, service.name, print_format
		).items():
			assert full not in compact(text), f"{print_format} ({path}) prints the full ID number"
			if print_format == "Written Authorisation":
				assert masked in compact(text), f"{print_format} ({path}) does not print the masked ID number"

	# The dispute case's parties: the resident's mobile copied into the row, and a company's phone.
	case = prints.records["Dispute Case"]
	phones = [row.phone for row in case.parties]
	assert all(phones) and [row.phone_masked for row in case.parties] == [
		mask_phone(phone) for phone in phones
	]
	form = district.get(
		f"{prints.base_url}/api/method/frappe.desk.form.load.getdoc",
		params={"doctype": "Dispute Case", "name": case.name},
		timeout=60,
	)
	rest = district.get(f"{prints.base_url}/api/resource/Dispute Case/{case.name}", timeout=60)
	for response, rows in (
		(form, lambda body: body["docs"][0]["parties"]),
		(rest, lambda body: body["data"]["parties"]),
	):
		assert response.status_code == 200, response.text
		parties = rows(response.json())
		assert [row.get("phone") for row in parties] == [None, None]
		assert [row["phone_masked"] for row in parties] == [mask_phone(phone) for phone in phones]
		assert not any(phone in response.text for phone in phones)
	# The grid worker of the case's grid still reads them in full.
	worker = prints.sessions["Grid Worker"]
	response = worker.get(f"{prints.base_url}/api/resource/Dispute Case/{case.name}", timeout=60)
	assert [row["phone"] for row in response.json()["data"]["parties"]] == phones


def test_e_mail_attachments_follow_field_levels(prints):
	"""`frappe.attach_print` (an e-mail's print attachment, rendered as the user who sends it) prints as
	the other paths do."""
	service = prints.records["Assisted Service Request"]
	full = service.authoriser_id_number
	for user, shown in ((USERS["District Manager"], False), (USERS["Grid Worker"], True)):
		frappe.set_user(user)
		try:
			attachment = frappe.attach_print(
				service.doctype, service.name, print_format="Written Authorisation", lang="zh"
			)
		finally:
			frappe.set_user("Administrator")
		text = attachment_text(attachment["fcontent"])
		assert (full in compact(text)) is shown, user
		assert mask_id_number(full) in compact(text) or shown, user
	assert re.fullmatch(r"\d{6}\*{8}[\dX]{4}", service.authoriser_id_number_masked)


def test_queued_e_mail_attachment_is_rendered_as_its_sender(prints):
	"""A mail queued by a District Manager (given e-mail on cases here, as a manager could in the Role
	Permission Manager) with the case's registration form attached: the worker that sends it later runs
	as Administrator, so the print is rendered when queued, with the sender's levels."""
	from frappe.permissions import add_permission, update_permission_property

	sender = "District Manager"
	add_permission("Dispute Case", sender, 0)
	update_permission_property("Dispute Case", sender, 0, "email", 1, validate=False)
	frappe.clear_cache(doctype="Dispute Case")
	case = prints.records["Dispute Case"]
	phones = [row.phone for row in case.parties]
	# The site's outgoing account (never connected to: the mail stays in the queue).
	frappe.get_doc(
		{
			"doctype": "Email Account",
			"email_account_name": "Prints Outgoing",
			"email_id": "prints-outgoing@example.com",
			"enable_outgoing": 1,
			"default_outgoing": 1,
			"smtp_server": "smtp.example.com",
			"awaiting_password": 1,
		}
	).insert(ignore_permissions=True)
	frappe.set_user(USERS[sender])
	try:
		frappe.sendmail(
			recipients=["prints-outside@example.com"],
			subject=f"纠纷登记表 {case.name}",
			message="附件为纠纷登记表。",
			reference_doctype=case.doctype,
			reference_name=case.name,
			attachments=[
				{
					"print_format_attachment": 1,
					"doctype": case.doctype,
					"name": case.name,
					"print_format": "Dispute Registration Form",
				}
			],
			delayed=True,
		)
	finally:
		frappe.set_user("Administrator")
	queued = frappe.get_last_doc("Email Queue", {"reference_name": case.name})
	try:
		(attachment,) = json.loads(queued.attachments)
		assert attachment["html"], "the print was not rendered when the mail was queued"
		# What the worker attaches when it sends the mail (as Administrator).
		attachment.pop("print_format_attachment")
		text = compact(attachment_text(frappe.attach_print(**attachment)["fcontent"]))
		assert case.subject in text
		assert not any(phone in text for phone in phones), "the attachment prints the parties' phones"
		assert all(mask_phone(phone) in text for phone in phones)
	finally:
		frappe.db.rollback()
		frappe.clear_cache(doctype="Dispute Case")


ACTION_BANNER = re.compile(r'<div class="action-banner print-hide">(.*?)</div>', re.S)
STYLESHEET_LINK = re.compile(r"<link[^>]+stylesheet[^>]*>", re.I)


@pytest.mark.parametrize("print_format, doctype", print_formats())
def test_no_print_view_link_in_any_pdf(prints, print_format, doctype):
	"""The print view's Print and Get PDF links stay out of every PDF of the app, as the site makes it
	and as wkhtmltopdf makes it when it cannot fetch the print stylesheet (which hides them too)."""
	from frappe.utils.pdf import get_pdf

	role = "Community Manager"
	doc = prints.records[doctype]
	outputs = printed(prints, role, doctype, doc.name, print_format)
	banner = ACTION_BANNER.search(outputs["printview"])
	assert banner, f"{print_format}: the print view has no Print/Get PDF links to look for"
	links = compact(re.sub(r"<[^>]+>", " ", banner.group(1)))
	assert links, banner.group(1)
	assert links not in compact(outputs["download_pdf"]), f"{print_format}: {links} in the PDF"
	unstyled = STYLESHEET_LINK.sub("", outputs["printview"])
	assert links not in compact(pdf_text(get_pdf(unstyled))), f"{print_format}: {links} without the sheet"
