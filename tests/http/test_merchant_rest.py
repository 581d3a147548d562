"""A partner merchant's user against Frappe's own REST API (not the portal's endpoints), on the served
test site: it sees no more of its vouchers than the portal shows it, and changes none of them
(security issue 10, finding 7)."""

import json

import frappe
from frappe.model.workflow import apply_workflow

from tests.site_session import log_in
from wangge_app.volunteer.test_utils import make_redemption

RESOURCE = "/api/resource/Points Redemption"
REDEEM = "/api/method/wangge_app.volunteer.merchant_portal.redeem_voucher"
FULL_NAME, MASKED_NAME = "次仁白玛", "次*白玛"


class MerchantSession:
	"""A merchant's logged-in browser session (cookie and CSRF token, as the portal page has them)."""

	def __init__(self, base_url: str, user: str, password: str):
		self.base_url = base_url
		self.session = log_in(base_url, user, password, page="/merchant")

	def get(self, path: str, **params):
		return self.session.get(self.base_url + path, params=params, timeout=60)

	def put(self, name: str, data: dict):
		return self.session.put(f"{self.base_url}{RESOURCE}/{name}", json=data, timeout=60)

	def post(self, path: str, data: dict):
		return self.session.post(self.base_url + path, json=data, timeout=60)


def committed(name: str, *fields: str):
	frappe.db.rollback()  # a fresh snapshot, to see the server's commits
	return frappe.db.get_value("Points Redemption", name, list(fields))


def test_finding_07_merchant_rest(base_url, merchant_portal):
	issued = merchant_portal.voucher()
	requested = make_redemption(merchant_portal.member, issued.offer, issue=False)
	used = merchant_portal.voucher()
	tea = merchant_portal.tea_voucher
	frappe.db.commit()
	merchant = MerchantSession(base_url, merchant_portal.users.clinic, merchant_portal.password)
	secrets = (issued.voucher_code, requested.voucher_code, FULL_NAME, merchant_portal.member)

	# Reads: the masked name, never the member, the full name or the code of an unpresented voucher.
	for voucher in (issued, requested):
		response = merchant.get(f"{RESOURCE}/{voucher.name}")
		assert response.status_code == 200, response.text
		data = response.json()["data"]
		assert (data["status"], data["member_name_masked"]) == (voucher.status, MASKED_NAME)
		assert not {"member", "member_name", "voucher_code"} & set(data)
		assert not any(secret in response.text for secret in secrets)
	listed = merchant.get(RESOURCE, fields='["*"]', limit_page_length=0)
	assert listed.status_code == 200, listed.text
	rows = {row["name"]: row for row in listed.json()["data"]}
	assert {issued.name, requested.name} <= set(rows)
	assert rows[issued.name]["member_name_masked"] == MASKED_NAME
	asked = merchant.get(RESOURCE, fields='["name", "voucher_code", "member_name", "member"]')
	assert not any(secret in listed.text + asked.text for secret in secrets)
	value = merchant.get(
		"/api/method/frappe.client.get_value",
		doctype="Points Redemption",
		filters=json.dumps({"name": issued.name}),
		fieldname='["voucher_code", "member_name"]',
	)
	assert issued.voucher_code not in value.text and FULL_NAME not in value.text
	form = merchant.get(
		"/api/method/frappe.desk.form.load.getdoc", doctype="Points Redemption", name=issued.name
	)
	assert not any(secret in form.text for secret in secrets)
	# The print shows the code: only vouchers redeemed at this merchant's counter print.
	printview = merchant.get(
		"/printview", doctype="Points Redemption", name=issued.name, format="Redemption Voucher"
	)
	assert printview.status_code != 200 or issued.voucher_code not in printview.text
	assert issued.voucher_code not in printview.text and FULL_NAME not in printview.text

	# Writes: a requested voucher's member or offer stays, the merchant cannot save any voucher.
	other_offer = tea.offer
	for change in ({"member": "ISPM-NOBODY"}, {"offer": other_offer}, {"member_name": "改名"}):
		response = merchant.put(requested.name, change)
		assert response.status_code == 403, response.text
		assert not any(secret in response.text for secret in secrets)
	assert committed(requested.name, "member", "offer", "merchant", "status") == (
		merchant_portal.member,
		issued.offer,
		merchant_portal.clinic,
		"Requested",
	)

	# Redeeming over REST without the code presented at the counter is refused.
	response = merchant.post(
		"/api/method/frappe.model.workflow.apply_workflow",
		{"doc": {"doctype": "Points Redemption", "name": issued.name}, "action": "Redeem Voucher"},
	)
	assert response.status_code == 403, response.text
	response = merchant.put(issued.name, {"status": "Used"})
	assert response.status_code == 403, response.text
	assert committed(issued.name, "status", "redeemed_by") == ("Issued", None)

	# With the code, the portal redeems it for the merchant user; that voucher then prints, as the
	# merchant reads it over REST: the masked name, no code (issue 23, finding 8).
	response = merchant.post(REDEEM, {"code": used.voucher_code})
	assert response.status_code == 200, response.text
	assert committed(used.name, "status", "redeemed_by") == ("Used", merchant_portal.users.clinic)
	printview = merchant.get(
		"/printview", doctype="Points Redemption", name=used.name, format="Redemption Voucher"
	)
	assert printview.status_code == 200 and used.member_name_masked in printview.text
	assert used.voucher_code not in printview.text and FULL_NAME not in printview.text
	# Other merchants' vouchers stay out of reach.
	assert merchant.get(f"{RESOURCE}/{tea.name}").status_code == 403

	# Desk staff still read and write everything.
	frappe.set_user(merchant_portal.users.worker)
	voucher = frappe.get_doc("Points Redemption", requested.name)
	voucher.apply_fieldlevel_read_permissions()
	assert (voucher.member_name, voucher.voucher_code) == (FULL_NAME, requested.voucher_code)
	frappe.set_user("Administrator")
	apply_workflow(frappe.get_doc("Points Redemption", requested.name), "Cancel Voucher")
	frappe.db.commit()
