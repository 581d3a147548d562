"""A resident on a phone (375 px wide) opens the request page from the contact card's QR code, sends a
request, gets a tracking code; the grid worker finds the request in their desk."""

from urllib.parse import urlparse

import frappe
import pytest
from selenium.webdriver.common.by import By

from tests.browser.desk import log_in, open_desk, wait
from wangge_app.resident_services.doctype.contact_card_token.contact_card_token import active_token
from wangge_app.test_utils import make_community_tree, make_household, make_user

WORKER = "phone-request-worker@example.com"
PASSWORD = "Wangge-Request-2026"
DESCRIPTION = "5栋门口的垃圾桶满了三天没人清运"


@pytest.fixture
def card(base_url):
	frappe.set_user("Administrator")
	make_user(WORKER, ["Grid Worker"], first_name="次仁", language="zh", new_password=PASSWORD)
	frappe.db.set_value("Notification Settings", WORKER, "enable_email_notifications", 0)
	_community, grid, micro_grid = make_community_tree(workers=[WORKER])
	household = make_household(micro_grid.name, building="5", room="102")
	token = active_token(household.name)
	frappe.db.commit()
	yield frappe._dict(household=household.name, url=token.request_url())
	frappe.db.rollback()
	names = frappe.get_all("Resident Request", {"household": household.name}, pluck="name")
	frappe.db.delete("ToDo", {"reference_type": "Resident Request", "reference_name": ("in", names or [""])})
	frappe.db.delete("Resident Request", {"name": ("in", names or [""])})
	frappe.db.delete("Contact Card Token", {"household": household.name})
	frappe.db.commit()


@pytest.fixture
def phone(driver, base_url):
	size = driver.get_window_size()
	driver.get(base_url + "/api/method/logout")
	driver.delete_all_cookies()
	driver.set_window_size(375, 812)
	yield driver
	driver.set_window_size(size["width"], size["height"])


def test_a_resident_sends_a_request_from_the_card_and_the_worker_finds_it(phone, base_url, card, console):
	driver = phone
	# The QR code holds the site's address; the test site is served here.
	scanned = urlparse(card.url)
	driver.get(f"{base_url}{scanned.path}?{scanned.query}")
	wait(driver, lambda d: d.find_elements(By.ID, "request-form"))
	assert driver.execute_script("return window.innerWidth") <= 375
	assert driver.execute_script("return document.documentElement.scrollWidth") <= driver.execute_script(
		"return window.innerWidth"
	)
	assert "向网格员反映诉求" in driver.find_element(By.TAG_NAME, "h1").text

	choice = next(
		label
		for label in driver.find_elements(By.CSS_SELECTOR, "label.choice")
		if label.text.strip() == "环境卫生"
	)
	choice.click()
	driver.find_element(By.ID, "description").send_keys(DESCRIPTION)
	driver.find_element(By.ID, "phone").send_keys("13908907711")
	button = driver.find_element(By.ID, "send-button")
	assert button.size["width"] <= 375 and button.location["x"] >= 0
	button.click()
	wait(driver, lambda d: d.find_element(By.ID, "sent").is_displayed())
	code = driver.find_element(By.ID, "tracking-code").text.strip()
	assert len(code) == 10

	frappe.db.rollback()
	(request,) = frappe.get_all(
		"Resident Request", {"household": card.household}, ["name", "tracking_code", "subject", "category"]
	)
	assert (request.tracking_code, request.category) == (code, "Environment and Sanitation")

	# The status link shows the progress.
	driver.find_element(By.ID, "status-link").click()
	wait(driver, lambda d: d.find_elements(By.ID, "status"))
	assert "已受理" in driver.find_element(By.ID, "status-state").text

	# The grid worker, at the desk, finds the request assigned to them.
	driver.set_window_size(1366, 900)
	log_in(driver, base_url, WORKER, PASSWORD)
	open_desk(driver, base_url, f"/app/resident-request?_assign=%5B%22like%22%2C%22%25{WORKER}%25%22%5D")
	wait(driver, lambda d: request.subject in d.find_element(By.CSS_SELECTOR, ".layout-main-section").text)
	open_desk(driver, base_url, f"/app/resident-request/{request.name}")
	wait(driver, lambda d: DESCRIPTION in d.find_element(By.CSS_SELECTOR, ".page-head .title-text").text)
