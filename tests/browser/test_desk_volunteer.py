"""Volunteering in the desk: a community manager submits a volunteer activity with the
Submit button, and every attendee's points reach the ledger and their balance."""

import frappe
import pytest
from selenium.webdriver.common.by import By

from tests.browser.desk import log_in, open_desk, wait
from wangge_app.test_utils import make_user
from wangge_app.volunteer.test_utils import make_activity, make_party_member, make_work_unit

MANAGER = "browser-manager@example.com"
PASSWORD = "Wangge-Browser-2026"


@pytest.fixture(scope="module")
def draft_activity():
	make_user(MANAGER, ["Community Manager"], language="zh", new_password=PASSWORD)
	unit = make_work_unit()
	members = [make_party_member(unit.name, full_name=name).name for name in ("格桑", "央金", "罗布")]
	activity = make_activity(members, points=3, submit=False)
	frappe.db.commit()
	return activity


def test_manager_submits_an_activity_and_points_are_earned(driver, base_url, draft_activity, console):
	log_in(driver, base_url, MANAGER, PASSWORD)
	open_desk(driver, base_url, f"/app/volunteer-activity/{draft_activity.name}")
	wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, ".page-actions .primary-action").is_displayed())
	driver.find_element(By.CSS_SELECTOR, ".page-actions .primary-action").click()
	# Frappe asks to confirm a submission.
	confirm = wait(
		driver,
		lambda d: [
			e for e in d.find_elements(By.CSS_SELECTOR, ".modal.show .btn-primary") if e.is_displayed()
		],
	)
	confirm[0].click()

	def submitted(_):
		frappe.db.rollback()  # a fresh snapshot, to see the server's commit
		return frappe.db.get_value("Volunteer Activity", draft_activity.name, "docstatus") == 1

	wait(driver, submitted)
	members = [row.member for row in draft_activity.participants]
	entries = frappe.get_all(
		"Volunteer Points Entry",
		{"voucher_type": "Volunteer Activity", "voucher_no": draft_activity.name},
		["member", "points"],
	)
	assert sorted((e.member, e.points) for e in entries) == sorted((m, 3) for m in members)
	for member in members:
		assert frappe.db.get_value("In-service Party Member", member, "points_balance") == 3
