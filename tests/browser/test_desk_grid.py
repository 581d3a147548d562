"""The grid worker's main flows in the desk: log in, home workspace, households of their
own grid only, a new household through the form, the contact card's print preview."""

import frappe
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.browser.desk import log_in, open_desk, wait
from wangge_app.test_utils import make_community_tree, make_grid, make_household, make_user

WORKER = "browser-worker@example.com"
PASSWORD = "Wangge-Browser-2026"


@pytest.fixture(scope="module")
def registry():
	"""Committed data: the server runs in another process and sees only what is committed."""
	make_user(WORKER, ["Grid Worker"], first_name="次仁", language="zh", new_password=PASSWORD)
	community, grid, micro_grid = make_community_tree(workers=[WORKER])
	other_grid = make_grid("Grid", community.name)
	data = frappe._dict(
		community=community,
		grid=grid,
		micro_grid=micro_grid,
		own=[make_household(grid.name).name, make_household(micro_grid.name).name],
		foreign=make_household(other_grid.name).name,
	)
	frappe.db.commit()
	return data


@pytest.fixture(scope="module")
def logged_in(driver, base_url, registry):
	return log_in(driver, base_url, WORKER, PASSWORD)


def test_grid_worker_logs_in_to_the_workspace_in_chinese(logged_in, base_url, console):
	driver = logged_in
	open_desk(driver, base_url, "/app")
	wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".desk-sidebar .sidebar-item-label"))
	labels = [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".desk-sidebar .sidebar-item-label")]
	assert "网格治理" in labels
	assert driver.execute_script("return frappe.boot.lang") == "zh"


def test_household_list_shows_only_own_grids(logged_in, base_url, registry, console):
	driver = logged_in
	open_desk(driver, base_url, "/app/household?limit=500")
	wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".list-row-container"))
	shown = {
		e.get_attribute("data-name")
		for e in driver.find_elements(By.CSS_SELECTOR, ".list-row-container .list-row-checkbox")
	}
	assert set(registry.own) <= shown
	assert registry.foreign not in shown
	expected = frappe.get_all(
		"Household", {"grid": ("in", [registry.grid.name, registry.micro_grid.name])}, pluck="name"
	)
	assert shown == set(expected)


def test_new_household_through_the_form(logged_in, base_url, registry, console):
	driver = logged_in
	open_desk(driver, base_url, "/app/household/new")
	wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, '[data-fieldname="building"] input'))

	grid_input = driver.find_element(By.CSS_SELECTOR, '.frappe-control[data-fieldname="grid"] input')
	grid_input.send_keys(registry.micro_grid.name)
	option = wait(
		driver,
		lambda d: [
			e
			for e in d.find_elements(By.CSS_SELECTOR, '[data-fieldname="grid"] .awesomplete [role="option"]')
			if e.is_displayed()
		],
	)
	option[0].click()
	for fieldname, value in (("building", "8"), ("unit", "2"), ("room", "602")):
		driver.find_element(
			By.CSS_SELECTOR, f'.frappe-control[data-fieldname="{fieldname}"] input'
		).send_keys(value)
	wait(driver, lambda d: d.execute_script("return cur_frm.doc.grid") == registry.micro_grid.name)
	driver.find_element(By.TAG_NAME, "body").send_keys(Keys.CONTROL, "s")

	wait(driver, lambda d: d.execute_script("return !cur_frm.is_new() && !cur_frm.is_dirty()"))
	name = driver.execute_script("return cur_frm.doc.name")
	frappe.db.rollback()  # a fresh snapshot, to see the server's commit
	saved = frappe.db.get_value("Household", name, ["grid", "address", "owner"], as_dict=True)
	assert saved == {"grid": registry.micro_grid.name, "address": "8栋2单元602室", "owner": WORKER}


def test_contact_card_print_preview(logged_in, base_url, registry, console):
	driver = logged_in
	open_desk(driver, base_url, f"/app/print/Household/{registry.own[0]}")
	frame = wait(
		driver,
		lambda d: d.find_elements(By.CSS_SELECTOR, ".print-preview iframe, iframe.print-format-container"),
	)
	if frame:
		driver.switch_to.frame(frame[0])
	try:
		wait(driver, lambda d: "网格便民服务联络卡" in d.find_element(By.TAG_NAME, "body").text)
		assert "0891-6888888" in driver.find_element(By.TAG_NAME, "body").text
	finally:
		driver.switch_to.default_content()


def test_grid_tree_starts_at_own_grid(logged_in, base_url, registry, console):
	driver = logged_in
	open_desk(driver, base_url, "/app/grid/view/tree")
	labels = wait(
		driver, lambda d: [e.text for e in d.find_elements(By.CSS_SELECTOR, ".tree-label") if e.text]
	)
	assert any(registry.grid.grid_name in label or registry.grid.name in label for label in labels)
	assert not any(registry.community.name in label for label in labels)
