"""Each role's desk is in Chinese: the pages a grid worker and a community manager use, walked in
Chromium, show no English word (codes, numbers, names and e-mail addresses aside); each role opens on
its own page, and Frappe's own workspaces are not in their sidebar."""

import re

import frappe
import pytest
from selenium.webdriver.common.by import By

from tests.browser.desk import desk_ready, log_in, open_desk, wait
from tests.http.two_grids import random_id_number
from wangge_app.desk_setup import CORE_WORKSPACE_ROLES
from wangge_app.mediation.doctype.dispute_case.test_dispute_case import make_dispute_case
from wangge_app.overview import MY_GRID, OVERVIEW
from wangge_app.test_utils import (
	make_grid,
	make_household,
	make_resident,
	make_user,
	scope_user_to_grid,
	unique_code,
)

PASSWORD = "Wangge-Chinese-2026"
WORKER = "chinese-worker@example.com"
MANAGER = "chinese-manager@example.com"
MEDIATOR = "chinese-mediator@example.com"
DISTRICT = "chinese-district@example.com"
# A word of Latin letters that is not a code (codes are capitals and digits, like G-7KQM3XRT).
ENGLISH_WORD = re.compile(r"\b[A-Za-z]*[a-z][A-Za-z]*\b")
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Names of keys on the keyboard, as Frappe's Chinese shows them too (Ctrl + Enter以添加评论).
KEYS = re.compile(r"\b(Ctrl|Shift|Alt|Enter|Esc|Tab)\b")
# The name the test data's records were created by, and time zone names (Asia/Shanghai).
# Other tests' grids are named after their level and a code (Community-7AAE6092).
NAMES = re.compile(
	r"\bAdministrator\b|\b[A-Z][a-z]+/[A-Z][A-Za-z_]+\b"
	r"|\b(Community|Grid|Micro-grid|Sub-district|District)-[0-9A-F]{8}\b"
)


@pytest.fixture(scope="module")
def community():
	frappe.set_user("Administrator")
	make_user(WORKER, ["Grid Worker"], first_name="次仁", language="zh", new_password=PASSWORD)
	make_user(MANAGER, ["Community Manager"], first_name="卓玛", language="zh", new_password=PASSWORD)
	make_user(MEDIATOR, ["Community Mediator"], first_name="白玛", language="zh", new_password=PASSWORD)
	make_user(DISTRICT, ["District Manager"], first_name="多吉", language="zh", new_password=PASSWORD)
	frappe.db.delete("User Permission", {"user": ("in", (WORKER, MANAGER, MEDIATOR, DISTRICT))})
	# Names as a community writes them (the test helpers' defaults are English level names).
	root = make_grid("Community", grid_name=unique_code("幸福社区"), service_hotline="0891-6888888")
	grid = make_grid("Grid", root.name, workers=[WORKER], grid_name=unique_code("第一网格"))
	micro = make_grid("Micro-grid", grid.name, grid_name=unique_code("一号微网格"))
	scope_user_to_grid(MANAGER, root.name)
	scope_user_to_grid(MEDIATOR, root.name)
	household = make_household(micro.name, elderly_living_alone=1)
	resident = make_resident(household.name, full_name="央金", id_number=random_id_number())
	# As a community's staff do it: in Chinese (the assignment's note and timeline are written so).
	lang, frappe.local.lang = frappe.local.lang, "zh"
	try:
		case = make_dispute_case(grid.name, subject="邻里漏水纠纷", description="楼上漏水殃及楼下。")
	finally:
		frappe.local.lang = lang
	frappe.db.commit()
	return frappe._dict(grid=grid.name, household=household.name, resident=resident.name, case=case.name)


def english_words(driver) -> set[str]:
	"""The lines of the page that show a Latin word: text a reader sees (not text only screen readers
	get, nor tooltips) and the placeholders of visible inputs."""
	text = driver.execute_script(
		"""
		const seen = (el) => el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true })
			&& el.getBoundingClientRect().width > 1 && el.getBoundingClientRect().height > 1;
		const lines = [];
		const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
		while (walker.nextNode()) {
			const node = walker.currentNode;
			const parent = node.parentElement;
			if (!node.textContent.trim() || !parent || ['SCRIPT', 'STYLE', 'TEMPLATE'].includes(parent.tagName)) continue;
			// A search box's status line is for screen readers only (awesomplete's, in English).
			if (parent.closest('[role=status]')) continue;
			if (seen(parent)) lines.push(node.textContent);
		}
		for (const el of document.querySelectorAll('input, textarea')) {
			if (seen(el) && el.getAttribute('placeholder')) lines.push(el.getAttribute('placeholder'));
		}
		return lines.join('\\n');
		"""
	)
	return {
		line.strip()
		for line in EMAIL.sub(" ", text).splitlines()
		if ENGLISH_WORD.search(NAMES.sub(" ", KEYS.sub(" ", line)))
	}


def settle(driver, selector: str):
	wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, selector) and desk_ready(d))
	# Number cards and charts load after the page: wait until none is still loading (leaving a page
	# while a chart still draws makes the chart library fail on the next page).
	wait(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, ".number-card-loading"))
	wait(
		driver,
		lambda d: (
			not [e for e in d.find_elements(By.CSS_SELECTOR, ".chart-loading-state") if e.is_displayed()]
		),
	)


def sidebar(driver) -> list[str]:
	wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".desk-sidebar .sidebar-item-label"))
	return [e.text for e in driver.find_elements(By.CSS_SELECTOR, ".desk-sidebar .sidebar-item-label")]


def translated(text: str) -> str:
	return frappe._(text, lang="zh")


def fresh_login(driver, base_url, user):
	# The desk reopens the workspace last shown on this browser: forget it, as on a new machine.
	# (On the logout's answer, a page of the site that starts no desk requests of the previous user.)
	driver.get(base_url + "/api/method/logout")
	driver.execute_script("localStorage.clear()")
	log_in(driver, base_url, user, PASSWORD)


def test_grid_worker_opens_on_my_grid_in_chinese(driver, base_url, community, console):
	fresh_login(driver, base_url, WORKER)
	open_desk(driver, base_url, "/app")
	settle(driver, ".number-widget-box")
	labels = sidebar(driver)
	assert labels[0] == translated(MY_GRID), labels
	assert not {translated(name) for name in CORE_WORKSPACE_ROLES} & set(labels), labels
	assert not (shown := english_words(driver)), f"{driver.current_url}: {sorted(shown)}"


@pytest.mark.parametrize(
	"path, ready",
	[
		("/app/household", ".list-row-container"),
		("/app/dispute-case", ".list-row-container"),
		("/app/resident", ".list-row-container"),
		("/app/grid/view/tree", ".tree-label"),
	],
)
def test_grid_worker_pages_are_in_chinese(driver, base_url, community, console, path, ready):
	open_desk(driver, base_url, path)
	settle(driver, ready)
	assert not (shown := english_words(driver)), f"{path}: {sorted(shown)}"


def test_grid_worker_forms_are_in_chinese(driver, base_url, community, console):
	for path in (f"/app/household/{community.household}", f"/app/dispute-case/{community.case}"):
		open_desk(driver, base_url, path)
		settle(driver, ".form-layout")
		assert not (shown := english_words(driver)), f"{path}: {sorted(shown)}"


def test_community_manager_opens_on_the_overview_in_chinese(driver, base_url, community, console):
	fresh_login(driver, base_url, MANAGER)
	open_desk(driver, base_url, "/app")
	settle(driver, ".number-widget-box")
	labels = sidebar(driver)
	assert labels[0] == translated(OVERVIEW), labels
	assert not {translated(name) for name in CORE_WORKSPACE_ROLES} & set(labels), labels
	assert not (shown := english_words(driver)), f"{driver.current_url}: {sorted(shown)}"


def test_community_manager_scorecard_is_in_chinese(driver, base_url, community, console):
	open_desk(driver, base_url, "/app/query-report/Grid Scorecard")
	settle(driver, ".dt-row")
	assert not (shown := english_words(driver)), sorted(shown)


@pytest.mark.parametrize("user", [MEDIATOR, DISTRICT])
def test_mediator_and_district_manager_open_on_the_overview_in_chinese(
	driver, base_url, community, console, user
):
	fresh_login(driver, base_url, user)
	open_desk(driver, base_url, "/app")
	settle(driver, ".number-widget-box")
	labels = sidebar(driver)
	assert labels[0] == translated(OVERVIEW), labels
	assert not {translated(name) for name in CORE_WORKSPACE_ROLES} & set(labels), labels
	assert not (shown := english_words(driver)), f"{driver.current_url}: {sorted(shown)}"
	pages = ["/app/dispute-case"] if user == MEDIATOR else ["/app/query-report/Grid Scorecard"]
	for path in pages:
		open_desk(driver, base_url, path)
		settle(driver, ".list-row-container, .dt-row")
		assert not (shown := english_words(driver)), f"{path}: {sorted(shown)}"
