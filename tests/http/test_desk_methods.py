"""The desk's own methods work for grid workers on their grids' records and give nothing of another
grid's (issue 22, items 2 and 3): a link's title, the form's ‹ › arrows, following a record, its linked
records, its permissions, and a photo taken before a new hazard is first saved."""

import json

import frappe
import pytest

from tests.http.two_grids import WORKER_A, WORKER_B, Client, text
from wangge_app.safety.test_utils import PIXEL, new_hazard_form
from wangge_app.test_utils import make_household

REFUSED = (403, 404, 417)


@pytest.fixture(scope="module")
def desk(base_url, site):
	"""Grid A's and grid B's workers, who get the Document Follow digest, and a second household of A."""
	frappe.db.set_value("User", (WORKER_A, WORKER_B), "document_follow_notify", 1)
	second_a = make_household(site.micro_a).name
	frappe.db.commit()
	yield frappe._dict(
		a=Client(base_url, WORKER_A), b=Client(base_url, WORKER_B), second_a=second_a, hazards=[]
	)
	frappe.db.rollback()
	frappe.db.delete("Document Follow", {"user": ("in", (WORKER_A, WORKER_B))})
	frappe.db.delete("File", {"owner": ("in", (WORKER_A, WORKER_B)), "attached_to_doctype": "Safety Hazard"})
	for hazard in frappe.get_all("Safety Hazard", {"household": ("in", (site.household_a,))}, pluck="name"):
		frappe.delete_doc("Safety Hazard", hazard, force=True, ignore_permissions=True)
	frappe.delete_doc("Household", second_a, force=True, ignore_permissions=True)
	frappe.db.commit()


def message(response):
	assert response.status_code == 200, text(response)
	return response.json().get("message")


def test_a_link_shows_the_title_of_the_workers_own_records_only(site, desk):
	title = "frappe.desk.search.get_link_title"
	address_a = frappe.db.get_value("Household", site.household_a, "address")
	address_b = frappe.db.get_value("Household", site.household_b, "address")
	grid_a = frappe.db.get_value("Grid", site.micro_a, "grid_name")
	assert message(desk.a.call(title, doctype="Household", docname=site.household_a)) == address_a
	assert message(desk.a.call(title, doctype="Grid", docname=site.micro_a)) == grid_a
	assert message(desk.b.call(title, doctype="Household", docname=site.household_b)) == address_b
	# Another grid's record: its name only, which the worker sent.
	other = desk.a.call(title, doctype="Household", docname=site.household_b)
	assert message(other) == site.household_b
	assert address_b not in text(other)
	assert message(desk.a.call(title, doctype="Grid", docname=site.grid_b)) == site.grid_b
	assert message(desk.b.call(title, doctype="Household", docname=site.household_a)) == site.household_a


def test_the_arrows_step_through_the_workers_own_list(site, desk):
	def step(client, value, prev, grid):
		return client.call(
			"frappe.desk.form.utils.get_next",
			doctype="Household",
			value=value,
			prev=prev,
			sort_field="name",
			sort_order="asc",
			filters=[["Household", "grid", "=", grid]],
		)

	assert message(step(desk.a, site.household_a, 0, site.micro_a)) == desk.second_a
	assert message(step(desk.a, desk.second_a, 1, site.micro_a)) == site.household_a
	# Grid B's list, from A's record: nothing; from B's record: refused.
	assert message(step(desk.a, site.household_a, 0, site.grid_b)) is None
	refused = step(desk.a, site.household_b, 0, site.grid_b)
	assert refused.status_code in REFUSED, text(refused)
	assert site.household_a not in text(refused)


def followers(household: str) -> set[str]:
	frappe.db.rollback()
	return set(
		frappe.get_all(
			"Document Follow", {"ref_doctype": "Household", "ref_docname": household}, pluck="user"
		)
	)


def test_a_worker_follows_and_unfollows_the_own_grids_records(site, desk):
	follow = "frappe.desk.form.document_follow.follow_document"
	unfollow = "frappe.desk.form.document_follow.unfollow_document"
	message(desk.a.call(follow, doctype="Household", doc_name=site.household_a, user=WORKER_A))
	assert followers(site.household_a) == {WORKER_A}
	users = message(
		desk.a.call(
			"frappe.desk.form.document_follow.get_follow_users",
			doctype="Household",
			doc_name=site.household_a,
		)
	)
	assert [user["user"] for user in users] == [WORKER_A]
	message(desk.a.call(unfollow, doctype="Household", doc_name=site.household_a, user=WORKER_A))
	assert followers(site.household_a) == set()


def test_another_grids_record_is_not_followed(site, desk):
	follow = "frappe.desk.form.document_follow.follow_document"
	refused = desk.a.call(follow, doctype="Household", doc_name=site.household_b, user=WORKER_A)
	assert refused.status_code in REFUSED, text(refused)
	assert followers(site.household_b) == set()
	# Nor is a colleague made to follow a record (the digest would mail its changes to them).
	refused = desk.a.call(follow, doctype="Household", doc_name=site.household_a, user=WORKER_B)
	assert refused.status_code in REFUSED, text(refused)
	assert followers(site.household_a) == set()
	users = desk.a.call(
		"frappe.desk.form.document_follow.get_follow_users", doctype="Household", doc_name=site.household_b
	)
	assert users.status_code in REFUSED, text(users)


def test_linked_records_of_the_workers_own_record(site, desk):
	linked = message(
		desk.a.call("frappe.desk.form.linked_with.get", doctype="Household", docname=site.household_a)
	)
	assert site.resident_a.name in [row["name"] for row in linked["Resident"]]
	refused = desk.a.call("frappe.desk.form.linked_with.get", doctype="Household", docname=site.household_b)
	assert refused.status_code in REFUSED, text(refused)
	assert site.resident_b.name not in text(refused)
	assert site.resident_b.full_name not in text(refused)


def test_linked_records_show_no_field_the_user_may_not_read(site, clients):
	"""A mediator reads households and residents community-wide with personal data masked: the Links of a
	household list its residents without their ID numbers or mobiles."""
	response = clients.mediator.call(
		"frappe.desk.form.linked_with.get", doctype="Household", docname=site.household_b
	)
	linked = message(response)
	assert site.resident_b.name in [row["name"] for row in linked["Resident"]]
	for secret in (site.resident_b.id_number, site.resident_b.mobile):
		assert secret not in text(response)


def test_the_permissions_of_the_workers_own_record(site, desk):
	permissions = message(
		desk.a.call("frappe.client.get_doc_permissions", doctype="Household", docname=site.household_a)
	)["permissions"]
	assert permissions["read"] == 1
	assert permissions["write"] == 1
	refused = desk.a.call("frappe.client.get_doc_permissions", doctype="Household", docname=site.household_b)
	assert refused.status_code in REFUSED, text(refused)


def photo_bytes() -> bytes:
	return PIXEL + frappe.generate_hash().encode()


def upload_photo(client: Client, docname: str, **data):
	return client.session.post(
		client.base_url + "/api/method/upload_file",
		data={"doctype": "Safety Hazard", "docname": docname, "fieldname": "photo", "is_private": 1, **data},
		# Bytes of its own: Frappe stores identical private bytes once, under one address.
		files={"file": (f"{frappe.generate_hash(length=8)}.png", photo_bytes(), "image/png")},
		timeout=60,
	)


def test_a_photo_taken_before_the_hazard_is_saved_is_kept_with_it(site, desk):
	temporary_name = f"new-safety-hazard-{frappe.generate_hash(length=10)}"
	photo = message(upload_photo(desk.a, temporary_name))
	assert photo["is_private"] == 1
	assert photo["attached_to_name"] == temporary_name
	url = photo["file_url"]
	# Until the hazard is saved, the photo is its uploader's only.
	assert desk.a.session.get(desk.a.base_url + url, timeout=60).content.startswith(PIXEL)
	assert desk.b.session.get(desk.b.base_url + url, timeout=60).status_code in REFUSED
	hazard = new_hazard_form(temporary_name, site.household_a, url)
	response = desk.a.call("frappe.desk.form.save.savedocs", doc=json.dumps(hazard), action="Save")
	assert response.status_code == 200, text(response)
	saved = response.json()["docs"][0]
	assert saved["photos"][0]["photo"] == url
	frappe.db.rollback()
	attached = frappe.db.get_value(
		"File", photo["name"], ["attached_to_doctype", "attached_to_name", "is_private"], as_dict=True
	)
	assert attached == {
		"attached_to_doctype": "Safety Hazard",
		"attached_to_name": saved["name"],
		"is_private": 1,
	}
	# Kept with the hazard: read by who reads it (the form shows it), not by another grid's worker.
	form = desk.a.call("frappe.desk.form.load.getdoc", doctype="Safety Hazard", name=saved["name"])
	assert form.status_code == 200, text(form)
	assert url in [file["file_url"] for file in form.json()["docinfo"]["attachments"]]
	assert desk.a.session.get(desk.a.base_url + url, timeout=60).content.startswith(PIXEL)
	assert desk.b.session.get(desk.b.base_url + url, timeout=60).status_code in REFUSED


def test_a_photo_is_not_attached_to_a_name_to_come_nor_made_public_before_saving(site, desk):
	for docname in ("隐患-2099-99999", f"new-household-{frappe.generate_hash(length=10)}"):
		refused = upload_photo(desk.a, docname)
		assert refused.status_code in REFUSED, (docname, text(refused))
	public = upload_photo(desk.a, f"new-safety-hazard-{frappe.generate_hash(length=10)}", is_private=0)
	assert public.status_code == 417, text(public)


def test_a_follow_digest_goes_only_to_who_reads_every_field(site, desk, clients):
	"""The digest mails each change of any field: a mediator, who reads households' masked phones only,
	is refused the follow of a household, and one Frappe makes on its own (on a comment) is dropped."""
	from tests.http.two_grids import MEDIATOR

	frappe.db.set_value("User", MEDIATOR, "document_follow_notify", 1)
	frappe.db.commit()
	try:
		follow = "frappe.desk.form.document_follow.follow_document"
		refused = clients.mediator.call(follow, doctype="Household", doc_name=site.household_a, user=MEDIATOR)
		assert refused.status_code == 403, text(refused)
		assert "you may not read all of its fields" in text(refused)
		assert followers(site.household_a) == set()

		frappe.set_user(MEDIATOR)
		try:
			frappe.get_doc("User", MEDIATOR).db_set("follow_commented_documents", 1)
			frappe.desk.form.utils.add_comment(
				"Household", site.household_a, "调解中联系过住户。", MEDIATOR, MEDIATOR
			)
		finally:
			frappe.set_user("Administrator")
		frappe.db.commit()
		assert followers(site.household_a) == set()

		# A follower who no longer reads all of the record is forgotten before the next digest.
		follow_row = frappe.get_doc(
			{
				"doctype": "Document Follow",
				"ref_doctype": "Household",
				"ref_docname": site.household_a,
				"user": MEDIATOR,
			}
		)
		follow_row.db_insert()
		frappe.db.commit()
		message(desk.a.call(follow, doctype="Household", doc_name=site.household_a, user=WORKER_A))
		from wangge_app.permissions import forget_follows_without_access

		frappe.db.rollback()
		forget_follows_without_access()
		frappe.db.commit()
		assert followers(site.household_a) == {WORKER_A}
	finally:
		frappe.db.rollback()
		frappe.db.set_value("User", MEDIATOR, {"document_follow_notify": 0, "follow_commented_documents": 0})
		frappe.db.delete("Document Follow", {"ref_docname": site.household_a})
		frappe.db.delete("Comment", {"reference_name": site.household_a, "owner": MEDIATOR})
		frappe.db.commit()
