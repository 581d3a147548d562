"""Party building in the desk: a central household moved through its workflow buttons
by the grid party branch secretary and the community party committee."""

import frappe
import pytest
from selenium.webdriver.common.by import By

from tests.browser.desk import committed_value, log_in, open_desk, run_workflow_action, translated, wait
from wangge_app.test_utils import (
	make_community_tree,
	make_household,
	make_party_member_household,
	make_resident,
	make_user,
	scope_user_to_grid,
)

SECRETARY = "browser-secretary@example.com"
COMMITTEE = "browser-committee@example.com"
PASSWORD = "Wangge-Browser-2026"


@pytest.fixture(scope="module")
def application():
	"""A committed application (state Applied) for a party member serving ten neighbours."""
	make_user(SECRETARY, ["Grid Party Branch Secretary"], language="zh", new_password=PASSWORD)
	make_user(COMMITTEE, ["Community Party Committee"], language="zh", new_password=PASSWORD)
	_, grid, micro_grid = make_community_tree()
	scope_user_to_grid(SECRETARY, grid.name)
	party_member = make_resident(make_household(grid.name).name, full_name="旦增", is_party_member=1)
	neighbours = [make_household(micro_grid.name).name for _ in range(10)]
	doc = make_party_member_household(party_member.name, neighbours)
	frappe.db.commit()
	return doc


def test_secretary_and_committee_move_the_application_with_the_buttons(
	driver, base_url, application, console
):
	log_in(driver, base_url, SECRETARY, PASSWORD)
	run_workflow_action(driver, base_url, application, "Pass Branch Review")
	wait(
		driver,
		lambda d: committed_value(application.doctype, application.name, "status") == "Branch Approved",
	)

	log_in(driver, base_url, COMMITTEE, PASSWORD)
	run_workflow_action(driver, base_url, application, "Approve")
	wait(driver, lambda d: committed_value(application.doctype, application.name, "status") == "Designated")
	open_desk(driver, base_url, f"/app/party-member-household/{application.name}")
	indicator = wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, ".page-head .indicator-pill").text)
	assert indicator == translated("Designated")
