"""Issue 22, item 4: the everyday screens a grid worker uses show no English. A resident's request
taken through its workflow (step log, time fields, timeline of changed values, rows added), a list
filtered to nothing, the upload dialog, and the print view, where a format is found by its Chinese
name."""

import re

import frappe
from frappe.utils import today
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser import test_desk_in_chinese as chinese_desk
from tests.browser.desk import open_desk, translated, wait
from tests.browser.test_desk_in_chinese import ENGLISH_WORD, WORKER, english_words, fresh_login, settle
from wangge_app import workflows as wf
from wangge_app.resident_services.test_utils import make_request
from wangge_app.test_utils import apply_workflow_as

# The Chinese desk test's community: a grid worker's grid, a household and a dispute case.
community = chinese_desk.community


# A path of the site a description names (/request/status) is not an English word.
PATH = re.compile(r"/[\w/.-]+")


def english_shown(driver) -> set[str]:
	return {line for line in english_words(driver) if ENGLISH_WORD.search(PATH.sub(" ", line))}


def page_text(driver) -> str:
	return driver.find_element(By.TAG_NAME, "body").text


def save_as(user: str, request, change):
	"""Save a change to the request as `user`, with the version the desk's timeline shows (tests
	save none unless asked)."""
	caller = frappe.session.user
	frappe.set_user(user)
	try:
		doc = frappe.get_doc("Resident Request", request.name)
		change(doc)
		doc.save(ignore_version=False)
	finally:
		frappe.set_user(caller)


def closed_request(grid: str):
	"""A request a grid worker handled in the grid and closed, written in Chinese as on a community's
	site (the assignment's note and comments are written in the writer's language)."""
	lang, frappe.local.lang = frappe.local.lang, "zh"
	try:
		frappe.set_user("Administrator")
		request = make_request(grid)
		apply_workflow_as(WORKER, request, wf.CONTACT_RESIDENT)
		apply_workflow_as(WORKER, request, wf.RECORD_VISIT)
		save_as(WORKER, request, lambda doc: doc.update({"handling_level": "In the Grid"}))
		apply_workflow_as(WORKER, request, wf.START_COORDINATING)
		apply_workflow_as(WORKER, request, wf.RESOLVE_REQUEST, resolution="物业当天更换了灯泡。")
		follow_up = {
			"follow_up_date": today(),
			"reached": 1,
			"contacted": 1,
			"resolved": 1,
			"satisfaction": "Satisfied",
		}
		save_as(WORKER, request, lambda doc: doc.append("follow_ups", follow_up))
		apply_workflow_as(WORKER, request, wf.COMPLETE_FOLLOW_UP)
		apply_workflow_as(WORKER, request, wf.CLOSE_REQUEST)
	finally:
		frappe.local.lang = lang
	frappe.db.commit()
	return request


def test_a_request_form_shows_steps_times_and_timeline_in_chinese(driver, base_url, community, console):
	request = closed_request(community.grid)
	fresh_login(driver, base_url, WORKER)
	open_desk(driver, base_url, f"/app/resident-request/{request.name}")
	settle(driver, ".form-layout")
	wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".timeline-item"))
	text = page_text(driver)
	# Stored English values, shown translated: the step log, the timeline's changed values.
	for stored in ("Received", "Acknowledged", "In the Grid"):
		assert translated(stored) in text, stored
	timeline = "\n".join(e.text for e in driver.find_elements(By.CSS_SELECTOR, ".new-timeline"))
	assert translated("In the Grid") in timeline, timeline
	assert translated("added rows for {0}").format(translated("Follow-ups")) in timeline, timeline
	# The time zone hint is left out where the user's time zone is the system's.
	time_zone = driver.execute_script("return frappe.boot.time_zone.user")
	assert time_zone and time_zone not in text, time_zone
	assert not (shown := english_shown(driver)), sorted(shown)


def test_a_list_filtered_to_nothing_is_in_chinese(driver, base_url, community, console):
	open_desk(driver, base_url, "/app/resident-request")
	settle(driver, ".list-row-container, .no-result")
	driver.execute_script(
		"cur_list.filter_area.add([['Resident Request', 'description', 'like', '%无此诉求%']])"
	)
	settle(driver, ".no-result")
	wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".filter-selector .filter-label"))
	text = page_text(driver)
	assert translated("Filters {0}").format(1) in text.replace("\n", ""), text
	assert not (shown := english_shown(driver)), sorted(shown)


def test_the_upload_dialog_is_in_chinese(driver, base_url, community, console):
	open_desk(driver, base_url, f"/app/household/{community.household}")
	settle(driver, ".form-layout")
	driver.execute_script(
		"new frappe.ui.FileUploader({doctype: cur_frm.doctype, docname: cur_frm.docname, frm: cur_frm})"
	)
	wait(
		driver,
		lambda d: [e for e in d.find_elements(By.CSS_SELECTOR, ".file-upload-area") if e.is_displayed()],
	)
	text = page_text(driver)
	for label in ("My Device", "Library"):
		assert translated(label) in text, label
	assert not (shown := english_shown(driver)), sorted(shown)
	driver.find_element(By.TAG_NAME, "body").send_keys(Keys.ESCAPE)


def preview_heading(driver) -> str:
	frame = driver.find_element(By.CSS_SELECTOR, "iframe.print-format-container")
	driver.switch_to.frame(frame)
	try:
		return " ".join(e.text for e in driver.find_elements(By.TAG_NAME, "h2"))
	finally:
		driver.switch_to.default_content()


def test_the_print_view_finds_a_format_by_its_chinese_name(driver, base_url, community, console):
	fresh_login(driver, base_url, WORKER)
	open_desk(driver, base_url, f"/app/print/Dispute Case/{community.case}")
	selector = wait(
		driver,
		lambda d: [
			e
			for e in d.find_elements(By.CSS_SELECTOR, "input[data-fieldname=print_format]")
			if e.is_displayed()
		],
	)[0]
	# The case's default format, shown by its Chinese name.
	registration = translated("Dispute Registration Form")
	wait(driver, lambda d: selector.get_attribute("value") == registration)
	wait(driver, lambda d: registration in preview_heading(d))
	selector.clear()
	selector.send_keys("调解")
	agreement = translated("People's Mediation Agreement")
	option = wait(
		driver,
		lambda d: [
			e
			for e in d.find_elements(By.CSS_SELECTOR, ".awesomplete [role=option]")
			if e.is_displayed() and agreement in e.text
		],
	)[0]
	option.click()
	# The view prints the chosen record's format, though its selector shows the Chinese name.
	wait(driver, lambda d: agreement in preview_heading(d))
	assert selector.get_attribute("value") == agreement
