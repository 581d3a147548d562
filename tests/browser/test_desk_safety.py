"""Safety inspections in the desk: a grid worker opens the inspection the daily job assigned to
them, answers the checklist with one failed item, submits it, fills in the hazard's 五落实 and
issues the rectification notice with the workflow button."""

import datetime

import frappe
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

from tests.browser.desk import committed_value, log_in, open_desk, run_workflow_action, wait
from wangge_app.safety.schedule import create_plan_inspections
from wangge_app.safety.test_utils import FIVE_IMPLEMENTATIONS, make_plan
from wangge_app.test_utils import make_community_tree, make_household, make_user
from wangge_app.workflows import ISSUE_NOTICE, NOTICE_ISSUED

WORKER = "browser-safety-worker@example.com"
PASSWORD = "Wangge-Browser-2026"
FINDING = "燃气灶使用橡胶软管，已老化龟裂。"


@pytest.fixture(scope="module")
def inspection():
	make_user(WORKER, ["Grid Worker"], first_name="次仁", language="zh", new_password=PASSWORD)
	frappe.db.set_value("Notification Settings", WORKER, "enable_email_notifications", 0)
	_, grid, micro_grid = make_community_tree(workers=[WORKER])
	make_household(micro_grid.name, building="7", unit="1", room="202")
	plan = make_plan(grid.name, frequency="Monthly", start_date="2026-01-01")
	[name] = create_plan_inspections(plan, datetime.date.today())
	frappe.db.commit()
	return frappe.get_doc("Safety Inspection", name)


def row_field(driver, idx: int, fieldname: str):
	"""Open the checklist row for editing and return its field's input."""
	selector = f'[data-fieldname="items"] .grid-row[data-idx="{idx}"]'
	row = wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, selector))
	row.find_element(By.CSS_SELECTOR, f'.grid-static-col[data-fieldname="{fieldname}"]').click()
	return wait(
		driver,
		lambda d: [
			e
			for e in d.find_elements(
				By.CSS_SELECTOR,
				f'{selector} [data-fieldname="{fieldname}"] select, '
				f'{selector} [data-fieldname="{fieldname}"] textarea, {selector} [data-fieldname="{fieldname}"] input',
			)
			if e.is_displayed()
		],
	)[0]


def save(driver, doctype, name):
	wait(driver, lambda d: d.execute_script("return cur_frm.is_dirty()"))
	driver.find_element(By.TAG_NAME, "body").send_keys(Keys.CONTROL, "s")
	wait(driver, lambda d: not d.execute_script("return cur_frm.is_dirty()"))


def test_worker_records_an_inspection_with_a_failed_item_and_issues_the_notice(
	driver, base_url, inspection, console
):
	log_in(driver, base_url, WORKER, PASSWORD)
	open_desk(driver, base_url, f"/app/safety-inspection/{inspection.name}")

	for row in inspection.items:
		failed = row.idx == 1
		Select(row_field(driver, row.idx, "result")).select_by_value("Fail" if failed else "Pass")
		if failed:
			row_field(driver, row.idx, "note").send_keys(FINDING)
	date = driver.find_element(By.CSS_SELECTOR, '.frappe-control[data-fieldname="inspection_date"] input')
	date.click()
	date.send_keys(frappe.utils.formatdate(frappe.utils.today()) + Keys.ESCAPE)
	person = driver.find_element(By.CSS_SELECTOR, '.frappe-control[data-fieldname="person_met"] input')
	person.send_keys("次仁多吉")
	save(driver, "Safety Inspection", inspection.name)
	assert committed_value("Safety Inspection", inspection.name, "person_met") == "次仁多吉"

	# The checklist scrolled the page: back to the top, where the sticky header does not cover Submit.
	driver.execute_script("window.scrollTo(0, 0)")
	wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, ".page-actions .primary-action").is_displayed())
	driver.find_element(By.CSS_SELECTOR, ".page-actions .primary-action").click()
	confirm = wait(
		driver,
		lambda d: [
			e for e in d.find_elements(By.CSS_SELECTOR, ".modal.show .btn-primary") if e.is_displayed()
		],
	)
	confirm[0].click()
	wait(driver, lambda d: committed_value("Safety Inspection", inspection.name, "docstatus") == 1)

	hazard_name = frappe.db.get_value(
		"Safety Inspection Item", {"parent": inspection.name, "idx": 1}, "hazard"
	)
	assert hazard_name
	hazard = frappe.get_doc("Safety Hazard", hazard_name)
	assert hazard.description.endswith(FINDING)

	open_desk(driver, base_url, f"/app/safety-hazard/{hazard_name}")
	for fieldname, value in FIVE_IMPLEMENTATIONS.items():
		control = wait(
			driver,
			lambda d, f=fieldname: d.find_element(
				By.CSS_SELECTOR,
				f'.frappe-control[data-fieldname="{f}"] input, .frappe-control[data-fieldname="{f}"] textarea',
			),
		)
		driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", control)
		control.send_keys(value)
	save(driver, "Safety Hazard", hazard_name)
	assert committed_value("Safety Hazard", hazard_name, "funds") == FIVE_IMPLEMENTATIONS["funds"]

	run_workflow_action(driver, base_url, hazard, ISSUE_NOTICE)
	wait(driver, lambda d: committed_value("Safety Hazard", hazard_name, "workflow_state") == NOTICE_ISSUED)
