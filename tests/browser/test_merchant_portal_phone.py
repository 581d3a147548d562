"""The merchant portal on a phone: a 375-px-wide window, log in, check a voucher and redeem it."""

import frappe
import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait


def wait(driver, condition, seconds=30):
	return WebDriverWait(driver, seconds).until(condition)


@pytest.fixture
def phone(driver, base_url):
	size = driver.get_window_size()
	# Cookies are deleted for the page's own site only: end the last test's session on the server first.
	driver.get(base_url + "/api/method/logout")
	driver.delete_all_cookies()
	driver.set_window_size(375, 812)
	yield driver
	driver.delete_all_cookies()
	driver.set_window_size(size["width"], size["height"])


def test_merchant_redeems_a_voucher_on_a_phone(phone, base_url, merchant_portal, console):
	driver = phone
	voucher = merchant_portal.voucher()
	frappe.db.commit()
	driver.get(base_url + "/merchant")
	wait(driver, lambda d: "/login" in d.current_url)
	wait(driver, lambda d: d.find_element(By.ID, "login_email").is_displayed())
	driver.find_element(By.ID, "login_email").send_keys(merchant_portal.users.clinic)
	driver.find_element(By.ID, "login_password").send_keys(merchant_portal.password + Keys.ENTER)
	wait(driver, lambda d: d.current_url.rstrip("/").endswith("/merchant"))
	wait(driver, lambda d: d.find_elements(By.ID, "voucher-code"))
	assert driver.execute_script("return window.innerWidth") <= 375
	# Nothing wider than the screen: no sideways scrolling at the counter.
	assert driver.execute_script("return document.documentElement.scrollWidth") <= driver.execute_script(
		"return window.innerWidth"
	)
	assert "幸福口腔诊所" in driver.find_element(By.TAG_NAME, "body").text

	driver.find_element(By.ID, "voucher-code").send_keys(voucher.voucher_code.lower() + Keys.ENTER)
	wait(driver, lambda d: d.find_element(By.ID, "redeem-button").is_displayed())
	assert driver.find_element(By.ID, "voucher-member").text == "次*白玛"
	assert driver.find_element(By.ID, "voucher-item").text == "专业洗牙"
	button = driver.find_element(By.ID, "redeem-button")
	assert button.size["width"] <= 375 and button.location["x"] >= 0
	button.click()
	wait(driver, lambda d: "核销成功" in d.find_element(By.ID, "voucher-message").text)
	assert voucher.voucher_code in driver.find_element(By.ID, "recent").text
	frappe.db.rollback()
	assert frappe.db.get_value("Points Redemption", voucher.name, "status") == "Used"

	# The same voucher again: a clear message, and no button.
	driver.find_element(By.ID, "voucher-code").clear()
	driver.find_element(By.ID, "voucher-code").send_keys(voucher.voucher_code + Keys.ENTER)
	wait(driver, lambda d: "已核销" in d.find_element(By.ID, "voucher-message").text)
	assert not driver.find_element(By.ID, "redeem-button").is_displayed()
