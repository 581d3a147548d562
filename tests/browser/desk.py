"""Helpers for driving Frappe's desk with selenium."""

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait


def wait(driver, condition, seconds=30):
	return WebDriverWait(driver, seconds).until(condition)


def desk_ready(driver):
	"""The desk has booted and finished its page's requests."""
	return driver.execute_script(
		"return !!(window.frappe && frappe.boot && frappe.boot.user && frappe.container"
		" && !frappe.dom.freeze_count && $.active === 0 && document.readyState === 'complete')"
	)


def open_desk(driver, base_url, path):
	driver.get(base_url + path)
	wait(driver, desk_ready)


def log_in(driver, base_url, user, password):
	"""Log in through the login page, as a fresh session."""
	driver.delete_all_cookies()
	driver.get(base_url + "/login")
	wait(driver, lambda d: d.find_element(By.ID, "login_email").is_displayed())
	driver.find_element(By.ID, "login_email").send_keys(user)
	driver.find_element(By.ID, "login_password").send_keys(password + Keys.ENTER)
	wait(driver, lambda d: "/app" in d.current_url)
	wait(driver, desk_ready)
	return driver
