"""Browser tests: the desk in headless Chromium, against the test site served over HTTP.

Run by `make test` after the app's own tests, against the site that tests/conftest.py
serves (`base_url`); Chromium and chromedriver are Debian's. Screenshots
and console logs of failed tests are kept in dev/bench/logs/browser/.
"""

import json
import os
from pathlib import Path

import pytest

from tests.browser.desk import start_chromium

ARTIFACTS = Path(os.environ["WANGGE_SITES_PATH"]).parent / "logs" / "browser"
# The desk works without the realtime server, which the harness does not run; the
# browser asks for a favicon on the JSON page that logging out shows.
IGNORED_CONSOLE_ERRORS = ("socket.io", "/favicon.ico")


@pytest.fixture(scope="session")
def driver():
	browser = start_chromium("--lang=zh-CN")
	yield browser
	browser.quit()


@pytest.fixture
def console(driver, request):
	"""Fails the test on JavaScript errors in the browser console, other than the realtime server's."""
	driver.get_log("browser")  # drop what earlier tests left
	yield
	errors = [
		entry
		for entry in driver.get_log("browser")
		if entry["level"] == "SEVERE"
		and not any(ignored in entry["message"] for ignored in IGNORED_CONSOLE_ERRORS)
	]
	request.node.console_errors = errors
	assert not errors, "JavaScript errors in the browser console:\n" + "\n".join(e["message"] for e in errors)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
	outcome = yield
	report = outcome.get_result()
	browser = item.funcargs.get("driver") if hasattr(item, "funcargs") else None
	if report.failed and browser is not None:
		ARTIFACTS.mkdir(parents=True, exist_ok=True)
		name = item.nodeid.replace("/", "_").replace(":", "_")
		browser.save_screenshot(str(ARTIFACTS / f"{name}.png"))
		(ARTIFACTS / f"{name}.console.json").write_text(
			json.dumps(browser.get_log("browser"), ensure_ascii=False, indent=1)
		)
		(ARTIFACTS / f"{name}.html").write_text(browser.page_source)
