"""Mediation in the desk: the grid worker takes a dispute case through its workflow
buttons, on site, joint handling, and an agreement whose terms are typed into the form."""

import frappe
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser.desk import committed_value, log_in, open_desk, run_workflow_action, wait
from wangge_app.mediation.doctype.dispute_case.test_dispute_case import make_dispute_case
from wangge_app.test_utils import make_community_tree, make_user

WORKER = "browser-mediation-worker@example.com"
PASSWORD = "Wangge-Browser-2026"
TERMS = "物业公司三日内完成维修；租户按期缴纳物业费。"


@pytest.fixture(scope="module")
def case():
	make_user(WORKER, ["Grid Worker"], first_name="卓玛", language="zh", new_password=PASSWORD)
	# Assignment mails are not what this test is about.
	frappe.db.set_value("Notification Settings", WORKER, "enable_email_notifications", 0)
	_, grid, _ = make_community_tree(workers=[WORKER])
	doc = make_dispute_case(grid.name)
	frappe.db.commit()
	return doc


def state(case):
	return committed_value("Dispute Case", case.name, "workflow_state")


def test_grid_worker_mediates_a_case_with_the_workflow_buttons(driver, base_url, case, console):
	log_in(driver, base_url, WORKER, PASSWORD)
	run_workflow_action(driver, base_url, case, "Arrive On Site")
	wait(driver, lambda d: state(case) == "On Site")
	run_workflow_action(driver, base_url, case, "Start Joint Handling")
	wait(driver, lambda d: state(case) == "Joint Handling")

	open_desk(driver, base_url, f"/app/dispute-case/{case.name}")
	terms = wait(
		driver, lambda d: d.find_element(By.CSS_SELECTOR, '[data-fieldname="agreement_terms"] textarea')
	)
	terms.send_keys(TERMS)
	wait(driver, lambda d: d.execute_script("return cur_frm.is_dirty()"))
	driver.find_element(By.TAG_NAME, "body").send_keys(Keys.CONTROL, "s")
	wait(driver, lambda d: committed_value("Dispute Case", case.name, "agreement_terms") == TERMS)

	run_workflow_action(driver, base_url, case, "Reach Agreement")
	wait(driver, lambda d: state(case) == "Agreement Reached")
	assert committed_value("Dispute Case", case.name, "outcome") == "Agreement Reached"
