"""Helpers for driving Frappe's desk with selenium."""

import tempfile

import frappe
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait


def start_chromium(*arguments: str):
	"""Debian's headless Chromium, driven by its chromedriver, with the flags this machine needs (no
	network beyond loopback), a fresh profile and the browser's console kept."""
	options = webdriver.ChromeOptions()
	options.binary_location = "/usr/bin/chromium"
	for argument in (
		"--headless=new",
		"--no-sandbox",
		"--disable-gpu",
		"--disable-quic",
		"--no-first-run",
		"--disable-background-networking",
		"--disable-component-update",
		"--disable-sync",
		"--window-size=1366,900",
		f"--user-data-dir={tempfile.mkdtemp(prefix='wangge-chromium-')}",
		*arguments,
	):
		options.add_argument(argument)
	# Headless Chromium sends Accept-Language: en-US whatever --lang says; the page a guest sees
	# (login, merchant, request pages) follows that header, as on a phone set to the language.
	for argument in arguments:
		if argument.startswith("--lang="):
			language = argument.split("=", 1)[1]
			options.add_experimental_option(
				"prefs", {"intl.accept_languages": f"{language},{language.split('-')[0]}"}
			)
	options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
	browser = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
	browser.set_page_load_timeout(60)
	return browser


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
	# End the previous session on the server too: a response still in flight may set its
	# cookie again after the cookies are cleared.
	driver.get(base_url + "/api/method/logout")
	driver.delete_all_cookies()
	driver.get(base_url + "/login")
	wait(driver, lambda d: d.find_element(By.ID, "login_email").is_displayed())
	driver.find_element(By.ID, "login_email").send_keys(user)
	driver.find_element(By.ID, "login_password").send_keys(password + Keys.ENTER)
	wait(driver, lambda d: "/app" in d.current_url)
	wait(driver, desk_ready)
	return driver


def translated(text: str, context: str | None = None) -> str:
	"""The desk's Chinese for a label, as the users see it."""
	lang, frappe.local.lang = frappe.local.lang, "zh"
	try:
		return frappe._(text, context=context)
	finally:
		frappe.local.lang = lang


def run_workflow_action(driver, base_url, doc, action):
	"""Open the document's form and pick a workflow action from its Actions menu."""
	open_desk(driver, base_url, f"/app/{frappe.scrub(doc.doctype).replace('_', '-')}/{doc.name}")
	pick_workflow_action(driver, action)


def pick_workflow_action(driver, action):
	"""Open the form's Actions menu and pick the workflow action (by its translated label)."""
	label = translated(action)
	# The desk keeps pages opened before in the page, hidden: the menu of the form shown.
	wait(
		driver,
		lambda d: next(
			(
				button
				for button in d.find_elements(By.CSS_SELECTOR, ".page-actions .actions-btn-group > button")
				if button.is_displayed()
			),
			None,
		),
	).click()
	item = wait(
		driver,
		lambda d: [
			e
			for e in d.find_elements(By.CSS_SELECTOR, ".actions-btn-group .dropdown-item")
			if e.is_displayed() and e.text.strip() == label
		],
	)
	item[0].click()


def committed_value(doctype, name, fieldname):
	"""A field as the server committed it (a fresh snapshot of this test's connection)."""
	frappe.db.rollback()
	return frappe.db.get_value(doctype, name, fieldname)
