"""A grid worker takes a photo while filling in a new hazard (issue 22, item 2) and the desk's own
methods work on the worker's records (item 3): the photo is uploaded before the first save as the
desk's Attach Image control uploads it, is kept with the hazard when it is saved and shows as a picture;
the household link shows its title; no error pops up."""

import frappe
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser.desk import committed_value, log_in, open_desk, wait
from wangge_app.test_utils import make_community_tree, make_household, make_user

WORKER = "browser-photo-worker@example.com"
PASSWORD = "Wangge-Browser-2026"
# A 1×1 pixel PNG, as the browser's file input would give it.
PIXEL = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="

# What the desk's FileUploader sends for a control of the form (file_uploader/FileUploader.vue).
UPLOAD = """
const [docname, pixel, done] = [arguments[0], arguments[1], arguments[arguments.length - 1]];
// Bytes of its own (a tail after the image's end): Frappe stores identical private bytes once.
const tail = Array.from(crypto.getRandomValues(new Uint8Array(16)));
const bytes = Uint8Array.from([...Array.from(atob(pixel), (c) => c.charCodeAt(0)), ...tail]);
const form = new FormData();
form.append("file", new File([bytes], "photo.png", { type: "image/png" }), "photo.png");
form.append("is_private", 1);
form.append("folder", "Home/Attachments");
form.append("doctype", "Safety Hazard");
form.append("docname", docname);
form.append("fieldname", "photo");
fetch("/api/method/upload_file", {
	method: "POST",
	headers: { "X-Frappe-CSRF-Token": frappe.csrf_token, Accept: "application/json" },
	body: form,
}).then(async (r) => done({ status: r.status, body: await r.json() }));
"""


@pytest.fixture(scope="module")
def household():
	make_user(WORKER, ["Grid Worker"], first_name="次仁", language="zh", new_password=PASSWORD)
	frappe.db.set_value("Notification Settings", WORKER, "enable_email_notifications", 0)
	_, grid, micro_grid = make_community_tree(workers=[WORKER])
	name = make_household(micro_grid.name, building="3", unit="2", room="101").name
	frappe.db.commit()
	return frappe.get_doc("Household", name)


def error_dialogs(driver) -> list[str]:
	return [
		e.text
		for e in driver.find_elements(By.CSS_SELECTOR, ".modal.show .msgprint, .modal.show .modal-body")
		if e.is_displayed() and e.text.strip()
	]


def test_a_photo_taken_before_saving_is_kept_and_shown(driver, base_url, household, console):
	log_in(driver, base_url, WORKER, PASSWORD)
	open_desk(driver, base_url, "/app/safety-hazard/new")
	docname = driver.execute_script("return cur_frm.docname")
	assert docname.startswith("new-safety-hazard-")

	upload = driver.execute_async_script(UPLOAD, docname, PIXEL)
	assert upload["status"] == 200, upload["body"]
	url = upload["body"]["message"]["file_url"]
	assert url.startswith("/private/files/")

	driver.execute_script(
		"""
		const [household, url] = arguments;
		cur_frm.set_value({hazard_title: "楼道堆放杂物", category: "Fire", risk_level: "General",
			place_kind: "Household", description: "楼道堆放纸箱，堵塞通道。"});
		cur_frm.set_value("household", household);
		const row = cur_frm.add_child("photos", {photo: url, caption: "楼道"});
		cur_frm.refresh_field("photos");
		""",
		household.name,
		url,
	)
	wait(driver, lambda d: d.execute_script("return $.active === 0"))
	driver.find_element(By.TAG_NAME, "body").send_keys(Keys.CONTROL, "s")
	wait(driver, lambda d: not d.execute_script("return cur_frm.is_new() || cur_frm.is_dirty()"))
	name = driver.execute_script("return cur_frm.docname")
	assert committed_value("File", {"file_url": url}, "attached_to_name") == name

	# The photo column of the saved hazard shows the picture, which the worker's browser loads.
	open_desk(driver, base_url, f"/app/safety-hazard/{name}")
	picture = wait(
		driver,
		lambda d: [
			e
			for e in d.find_elements(By.CSS_SELECTOR, '[data-fieldname="photos"] .grid-row img')
			if e.get_attribute("src").endswith(url)
		],
	)[0]
	wait(driver, lambda d: d.execute_script("return arguments[0].complete", picture))
	assert driver.execute_script("return arguments[0].naturalWidth", picture) == 1
	# The household link shows its title, fetched by the desk's get_link_title.
	title = driver.execute_script(
		"return frappe.utils.get_link_title('Household', arguments[0])", household.name
	)
	if not title:
		driver.execute_script(
			"return frappe.utils.fetch_link_title('Household', arguments[0])", household.name
		)
	wait(
		driver,
		lambda d: (
			d.execute_script("return frappe.utils.get_link_title('Household', arguments[0])", household.name)
			== household.address
		),
	)
	assert error_dialogs(driver) == []
