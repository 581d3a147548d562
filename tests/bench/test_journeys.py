"""Each role's working day, clicked through in Chromium on the demo as `make demo` serves it (issue 22):
the demo the bench tests share (tests/bench/conftest.py, with the demo's own settings: Chinese, the
HH:mm time format, the demo users and their roles), served by dev/Procfile's processes (nginx in front
of gunicorn, the realtime server, the worker and the scheduler) and reached at its `*.localhost` name.

One test per role, one login each. After every step the person's page is checked (Journey.check) and
kept as a screenshot in dev/bench/logs/journeys/<role>/NN-step.png; a step fails on
- a JavaScript error in the browser console (SEVERE; the only exclusion is the favicon the browser
  asks for on the JSON page that logging out shows, which Frappe does not have),
- a refused desk call: an /api/ request answered 403 or 417, or a dialog saying 不支持 or 没有权限,
- an English word on the visible page, dialogs included (english_words; ALLOWED_WORDS lists the
  exceptions),
- a request slower than REQUEST_BUDGET_SECONDS (the Performance API's resource timings).
"""

import json
import re
import struct
import tempfile
import zlib
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from tests.bench.bench_cli import ADMIN_PASSWORD, BENCH_DIR, procfile_started, site_tool
from tests.browser.desk import desk_ready, pick_workflow_action, start_chromium, translated, wait
from wangge_app.demo.grid import COMMUNITY_CODE

DEMO_PASSWORD = "demo123"  # wangge_app.demo.DEMO_PASSWORD
SCREENSHOTS = BENCH_DIR / "logs" / "journeys"
# Any one request the page makes, through nginx on this shared 2-core machine; `make benchmark`
# holds the tighter budgets of the home pages.
REQUEST_BUDGET_SECONDS = 3.0
# A role page's figures, from the page's start to their one request's answer (dev/bench_home_pages.py
# holds the 1.5 s budget of that request alone).
HOME_FIGURES_BUDGET_SECONDS = 6.0
# ASCII words a Chinese page may show: what Chinese writes in Latin letters too, the key named in
# the search box's hint (Ctrl + G), the sample community's code, and Administrator, the login of the
# site's administrator, shown as who created the sample records.
ALLOWED_WORDS = {"PDF", "ID", "QR", "CSV", "Excel", "Ctrl", COMMUNITY_CODE, "Administrator"}
PHONE_VIEWPORT = (390, 844)
AGREEMENT_TERMS = "双方同意共同修缮院墙，费用各半。"

# The text a person sees on the page and its open dialogs: text drawn at least 2 px wide and high
# (screen-reader-only text is clipped to 1 px), and the hints of empty inputs.
VISIBLE_TEXT_JS = """
const seen = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
const range = document.createRange();
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
	const text = node.textContent.trim();
	const element = node.parentElement;
	if (!text || !element || ["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE"].includes(element.tagName)) continue;
	if (!element.checkVisibility({opacityProperty: true, visibilityProperty: true})) continue;
	// Text for screen readers only, clipped away.
	if (element.closest(".visually-hidden, .sr-only")) continue;
	const frame = element.getBoundingClientRect();
	range.selectNodeContents(node);
	const box = range.getBoundingClientRect();
	if (Math.min(box.width, box.height, frame.width, frame.height) >= 2) seen.push(text);
}
for (const input of document.querySelectorAll("input[placeholder], textarea[placeholder]")) {
	if (!input.value && input.checkVisibility() && input.getBoundingClientRect().width >= 2) {
		seen.push(input.placeholder);
	}
}
return seen.join("\\n");
"""
# Resource timings since the last check: where, how long, and the answer's status.
RESOURCES_JS = """
const entries = performance.getEntriesByType('resource').map(e => ({
	name: e.name, duration: e.duration, status: e.responseStatus || 0, answered_at: e.responseEnd}));
performance.clearResourceTimings();
return entries;
"""


def english_words(text: str) -> list[str]:
	"""ASCII words of two letters or more in the text, other than ALLOWED_WORDS, e-mail addresses,
	addresses of pages, file names and codes (words with digits: record numbers such as HH-00041,
	tracking and voucher codes)."""
	text = re.sub(r"[\w.+-]+@[\w-]+(\.[\w-]+)+", " ", text)
	text = re.sub(r"https?://\S+|/\S+", " ", text)
	text = re.sub(r"[^\s/]+\.(png|jpe?g|pdf)\b", " ", text)  # names of uploaded files
	text = re.sub(r"\b[\w-]*\d[\w-]*\b", " ", text)
	text = re.sub(r"\b[A-Z]{8,}\b", " ", text)  # tracking codes, all letters at times
	text = re.sub(r"\b[A-Z0-9]{4}(-[A-Z0-9]{4}){2}\b", " ", text)  # voucher codes, all letters at times
	return [word for word in re.findall(r"[A-Za-z]{2,}", text) if word not in ALLOWED_WORDS]


class Journey:
	"""One person's day in the browser: steps, each checked and kept as a screenshot."""

	def __init__(self, driver, base_url: str, role: str):
		self.driver, self.base_url, self.step_number = driver, base_url, 0
		self.folder = SCREENSHOTS / role
		self.folder.mkdir(parents=True, exist_ok=True)
		for old in self.folder.glob("*.png"):
			old.unlink()
		driver.get_log("browser")  # what an earlier journey left
		self.problems: list[str] = []
		# The requests the page made since the check before the last one (resource timings).
		self.step_resources: list[dict] = []

	def __enter__(self):
		return self

	def __exit__(self, exc_type, exc, traceback):
		"""What the steps met fails the journey at its end, so that one run reports every step's; a
		step that could not go on fails it at once, and the problems met before are printed with it."""
		report = "\n\n".join(self.problems)
		if exc is not None:
			self.driver.save_screenshot(str(self.folder / f"{self.step_number + 1:02d}-failed.png"))
			print(
				f"The page at the failure ({self.driver.current_url}):\n"
				+ self.driver.execute_script(VISIBLE_TEXT_JS)
			)
			if report:
				print(f"Before the failure, the journey met:\n{report}")
			return False
		assert not report, report

	def fail_if(self, found, message: str):
		if found:
			self.problems.append(message)

	def check(self, step: str) -> str:
		"""Screenshot the page, then fail on what a person must not meet; return the visible text."""
		driver = self.driver
		self.step_number += 1
		driver.save_screenshot(str(self.folder / f"{self.step_number:02d}-{step}.png"))
		where = f"{self.folder.name} step {self.step_number:02d}-{step} ({driver.current_url})"
		errors = [
			entry["message"]
			for entry in driver.get_log("browser")
			if entry["level"] == "SEVERE" and "/favicon.ico" not in entry["message"]
		]
		self.fail_if(errors, f"{where}: JavaScript errors:\n" + "\n".join(errors))
		resources = self.step_resources = driver.execute_script(RESOURCES_JS)
		refused = [r["name"] for r in resources if "/api/" in r["name"] and r["status"] in (403, 417)]
		self.fail_if(refused, f"{where}: refused desk calls: {refused}")
		slow = [(r["name"], round(r["duration"])) for r in resources]
		slow = [(name, ms) for name, ms in slow if ms > REQUEST_BUDGET_SECONDS * 1000]
		self.fail_if(slow, f"{where}: requests slower than {REQUEST_BUDGET_SECONDS} s (ms): {slow}")
		text = driver.execute_script(VISIBLE_TEXT_JS)
		refusals = [line for line in text.splitlines() if "不支持" in line or "没有权限" in line]
		self.fail_if(refusals, f"{where}: refused: {refusals}")
		english = english_words(text)
		self.fail_if(english, f"{where}: English on the page: {sorted(set(english))}")
		return text

	def log_in(self, user: str, password: str = DEMO_PASSWORD, expect_path: str = "/app"):
		driver = self.driver
		driver.get(self.base_url + "/api/method/logout")
		driver.delete_all_cookies()
		driver.get(self.base_url + "/login")
		self.fill_login(user, password, expect_path)

	def fill_login(self, user: str, password: str, expect_path: str = "/app"):
		driver = self.driver
		wait(driver, lambda d: d.find_element(By.ID, "login_email").is_displayed())
		driver.find_element(By.ID, "login_email").send_keys(user)
		driver.find_element(By.ID, "login_password").send_keys(password + Keys.ENTER)
		wait(driver, lambda d: expect_path in d.current_url)
		if expect_path == "/app":
			wait(driver, desk_ready)

	def open(self, path: str, step: str, expect: str | None = None) -> str:
		"""Open a desk page by its address and wait until it shows `expect`."""
		self.driver.get(self.base_url + path)
		return self.shows(step, expect)

	def shows(self, step: str, expect: str | None = None) -> str:
		driver = self.driver
		if path_is_desk(driver.current_url):
			wait(driver, desk_ready)
		if expect:
			wait(driver, lambda d: expect in d.execute_script(VISIBLE_TEXT_JS), seconds=30)
		# Figures and lists fill in after the page is drawn: the step shows them, not "载入中…".
		wait(driver, lambda d: "载入中" not in d.execute_script(VISIBLE_TEXT_JS), seconds=30)
		return self.check(step)

	def figures_in_time(self):
		"""The role page the last step showed asked for its figures once, and had them within
		HOME_FIGURES_BUDGET_SECONDS of the page's start."""
		answers = [
			resource["answered_at"]
			for resource in self.step_resources
			if "/api/method/wangge_app.overview.get_figures" in resource["name"]
		]
		where = f"{self.folder.name} step {self.step_number:02d}"
		assert len(answers) == 1, f"{where}: the figures were asked for {len(answers)} times"
		assert answers[0] / 1000 <= HOME_FIGURES_BUDGET_SECONDS, (
			f"{where}: the figures came {answers[0] / 1000:.1f} s after the page started"
		)

	def shows_in_print_view(self, step: str, expect: str) -> str:
		"""The print view's preview (a frame of its own) shows `expect`; then the page is checked."""
		driver = self.driver
		wait(driver, desk_ready)
		frame = self.shown(".print-preview iframe, iframe.print-format-container")
		driver.switch_to.frame(frame)
		try:
			wait(driver, lambda d: expect in d.find_element(By.TAG_NAME, "body").text)
			preview = driver.execute_script(VISIBLE_TEXT_JS)
		finally:
			driver.switch_to.default_content()
		english = english_words(preview)
		self.fail_if(
			english, f"{self.folder.name} {step}: English in the print preview: {sorted(set(english))}"
		)
		return self.check(step)

	def shown(self, selector: str):
		"""The element the person sees: the desk keeps the pages opened before in the page, hidden."""
		return wait(
			self.driver,
			lambda d: next((e for e in d.find_elements(By.CSS_SELECTOR, selector) if e.is_displayed()), None),
		)

	def click_text(self, selector: str, text: str):
		"""Click the visible element matching the selector whose text holds `text`."""
		element = wait(
			self.driver,
			lambda d: next(
				(
					e
					for e in d.find_elements(By.CSS_SELECTOR, selector)
					if e.is_displayed() and text in e.text
				),
				None,
			),
		)
		element.click()
		wait(self.driver, desk_ready)

	def first_list_row(self):
		"""Open the first record of the list on the page."""
		row = wait(
			self.driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".list-row-container .list-subject a")
		)
		self.driver.execute_script("arguments[0].click()", row[0])
		wait(
			self.driver,
			lambda d: d.execute_script("return !!(window.cur_frm && cur_frm.doc && !cur_frm.is_new())"),
		)
		wait(self.driver, desk_ready)

	def set_values(self, values: dict):
		"""Fill in the form's fields as the person types them, through the form's own controls."""
		for fieldname, value in values.items():
			self.driver.execute_script(
				"return cur_frm.set_value(arguments[0], arguments[1])", fieldname, value
			)
			wait(self.driver, lambda d, f=fieldname: d.execute_script("return cur_frm.doc[arguments[0]]", f))
		wait(self.driver, desk_ready)

	def save(self):
		"""Ctrl+S, and wait until the form is saved (a dialog instead fails with its text)."""
		driver = self.driver
		driver.find_element(By.TAG_NAME, "body").send_keys(Keys.CONTROL, "s")
		wait(
			driver,
			lambda d: d.execute_script("return !cur_frm.is_dirty() && !cur_frm.is_new()") or self.dialog(),
		)
		message = self.dialog()
		assert not message, f"saving was refused: {message}"
		wait(driver, desk_ready)

	def dialog(self) -> str:
		return " ".join(
			e.text
			for e in self.driver.find_elements(By.CSS_SELECTOR, ".modal.show .modal-body")
			if e.is_displayed()
		)

	def workflow_action(self, action: str, next_state: str):
		"""Pick an action from the form's 操作 menu and wait for the record to reach the next state."""
		driver = self.driver
		pick_workflow_action(driver, action)
		state_field = driver.execute_script("return frappe.workflow.get_state_fieldname(cur_frm.doctype)")
		wait(
			driver,
			lambda d: (
				d.execute_script("return cur_frm.doc[arguments[0]]", state_field) == next_state
				or self.dialog()
			),
		)
		message = self.dialog()
		assert not message, f"{action} was refused: {message}"
		wait(driver, desk_ready)
		# The form's status shows the new state, in Chinese.
		state_label = translated(next_state)
		wait(driver, lambda d: state_label in self.shown(".page-head .indicator-pill").text)

	def attach_before_saving(self, fieldname: str, table: str | None = None):
		"""Take a photo into an Attach Image field of a form not yet saved, through the upload dialog."""
		driver = self.driver
		if table:
			driver.execute_script(
				"cur_frm.add_child(arguments[0]); cur_frm.refresh_field(arguments[0]);", table
			)
			row = wait(
				driver,
				lambda d: d.find_elements(
					By.CSS_SELECTOR, f'[data-fieldname="{table}"] .grid-row[data-idx="1"] .btn-open-row'
				),
			)
			row[0].click()
			button_selector = f'.grid-row-open [data-fieldname="{fieldname}"] button'
		else:
			button_selector = f'.frappe-control[data-fieldname="{fieldname}"] button'
		# (An open row's form dims the page as a freeze does: the desk is ready once its calls are done.)
		wait(driver, lambda d: d.execute_script("return $.active === 0"))
		button = wait(
			driver,
			lambda d: [e for e in d.find_elements(By.CSS_SELECTOR, button_selector) if e.is_displayed()],
		)[0]
		# The row's form scrolls into place as it opens: a click by position could land beside it.
		driver.execute_script("arguments[0].click()", button)
		upload = wait(driver, lambda d: d.find_elements(By.CSS_SELECTOR, ".modal.show input[type=file]"))
		photo = Path(tempfile.mkdtemp(prefix="wangge-photo-")) / "现场照片.png"
		photo.write_bytes(tiny_png())
		upload[0].send_keys(str(photo))
		self.check("upload-dialog")
		wait(
			driver,
			lambda d: [
				e for e in d.find_elements(By.CSS_SELECTOR, ".modal.show .btn-primary") if e.is_displayed()
			],
		)[0].click()
		wait(driver, lambda d: not d.find_elements(By.CSS_SELECTOR, ".modal.show input[type=file]"))
		wait(driver, lambda d: d.execute_script("return $.active === 0"))
		if table:
			wait(driver, lambda d: d.execute_script(f"return !!cur_frm.doc.{table}[0].{fieldname}"))
			driver.execute_script("cur_frm.cur_grid && cur_frm.cur_grid.hide_form()")
		wait(driver, desk_ready)


def tiny_png() -> bytes:
	"""A 1×1 PNG: the photo a worker takes."""

	def chunk(kind: bytes, data: bytes) -> bytes:
		return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

	header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
	pixels = zlib.compress(b"\x00\xcc\x44\x22")
	return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def path_is_desk(url: str) -> bool:
	return "/app" in url


@pytest.fixture(scope="module")
def served(demo_site):
	with procfile_started(demo_site.name, log_name="journeys", ports=demo_site.ports) as processes:
		yield processes


@pytest.fixture(scope="module")
def base_url(served, demo_site):
	return served.url(demo_site.name)


@pytest.fixture(scope="module")
def admin(base_url) -> requests.Session:
	"""Administrator over REST, to look up what a journey starts from (a voucher, a contact card)."""
	session = requests.Session()
	login = session.post(
		base_url + "/api/method/login", data={"usr": "Administrator", "pwd": ADMIN_PASSWORD}, timeout=60
	)
	assert login.ok, login.text
	return session


def call(admin: requests.Session, base_url: str, method: str, **params):
	response = admin.get(f"{base_url}/api/method/{method}", params=params, timeout=60)
	assert response.ok, response.text[-2000:]
	return response.json()["message"]


@pytest.fixture(scope="module")
def driver():
	browser = start_chromium("--lang=zh-CN")
	# The browser keeps 250 resource timings by default: the desk's first page alone makes more, and
	# the later requests (the figures among them) would escape the budget checks.
	browser.execute_cdp_cmd(
		"Page.addScriptToEvaluateOnNewDocument",
		{"source": "performance.setResourceTimingBufferSize(100000);"},
	)
	yield browser
	browser.quit()


@pytest.fixture
def desk_size(driver):
	driver.set_window_size(1366, 900)
	return driver


@pytest.fixture
def phone(driver):
	driver.set_window_size(*PHONE_VIEWPORT)
	yield driver
	driver.set_window_size(1366, 900)


def test_grid_worker(desk_size, base_url):
	with Journey(desk_size, base_url, "grid-worker") as journey:
		journey.log_in("gridworker1@xingfu.example")
		journey.shows("home", "在办民意诉求")
		journey.figures_in_time()

		journey.open("/app/household", "households", "户")
		journey.first_list_row()
		household = journey.driver.execute_script("return cur_frm.doc.name")
		journey.check("household")

		journey.open(f"/app/household-visit/new?household={household}", "visit-new")
		journey.set_values({"household": household, "findings": "入户了解情况，家中老人身体良好。"})
		journey.save()
		journey.check("visit-saved")

		journey.open("/app/resident-request/new", "request-new", "诉求")
		journey.set_values(
			{
				"subject": "楼道灯坏了",
				"channel": "Contact Card Call",
				"household": household,
				"description": "三单元楼道灯不亮，老人夜间出行不便。",
			}
		)
		category, grade = journey.driver.execute_script(
			"return Promise.all([frappe.db.get_value('Request Category', {}, 'name'),"
			" frappe.db.get_value('Request Grade', {}, 'name')]).then(r => [r[0].message.name, r[1].message.name])"
		)
		journey.set_values({"category": category, "grade": grade})
		journey.attach_before_saving("photo")
		journey.save()
		journey.check("request-saved")
		for action, state in (
			("Contact Resident", "Acknowledged"),
			("Record Visit", "Visited"),
		):
			journey.workflow_action(action, state)
			journey.check(f"request-{state.lower()}")
		journey.set_values({"handling_level": "In the Grid"})
		journey.save()
		journey.workflow_action("Start Coordinating", "Coordinating")
		journey.check("request-coordinating")
		journey.set_values({"resolution": "已更换灯泡。"})
		journey.save()
		journey.workflow_action("Resolve Request", "Resolved")
		journey.check("request-resolved")
		journey.driver.execute_script(
			"cur_frm.add_child('follow_ups', {follow_up_date: frappe.datetime.get_today(),"
			" follow_up_method: 'Phone', reached: 1, resolved: 1, satisfaction: 'Satisfied'});"
			" cur_frm.dirty(); cur_frm.refresh_field('follow_ups');"
		)
		journey.set_values({"satisfaction": "Satisfied"})
		journey.save()
		journey.workflow_action("Complete Follow-up", "Followed Up")
		journey.check("request-followed-up")

		journey.open("/app/safety-hazard/new", "hazard-new")
		journey.set_values(
			{
				"hazard_title": "楼道堆放杂物",
				"category": "Fire",
				"risk_level": "General",
				"place_kind": "Household",
				"household": household,
				"description": "楼道堆放纸箱，堵塞消防通道。",
			}
		)
		journey.attach_before_saving("photo", table="photos")
		journey.save()
		journey.check("hazard-saved")
		journey.open(
			"/app/safety-inspection?inspection_date=%5B%22is%22%2C%22not%20set%22%5D",
			"inspections-due",
			"安检-",
		)


def test_part_time_grid_worker(desk_size, base_url):
	with Journey(desk_size, base_url, "part-time-grid-worker") as journey:
		journey.log_in("gridworker1-1@xingfu.example")
		journey.shows("home", "在办民意诉求")
		journey.figures_in_time()
		journey.open("/app/household", "households", "户")
		journey.first_list_row()
		journey.check("household")
		journey.open("/app/resident-request", "requests")


def test_community_manager(desk_size, base_url):
	"""Overview, a drill-down, the scorecard; then, with Community Manager only, customise a form and
	change a workflow transition."""
	with Journey(desk_size, base_url, "community-manager") as journey:
		journey.log_in("manager@xingfu.example")
		roles = journey.driver.execute_script("return frappe.user_roles")
		assert "Community Manager" in roles and "System Manager" not in roles, roles
		journey.shows("overview", "在办民意诉求")
		journey.figures_in_time()
		# A figure's "查看记录" opens the records behind it.
		journey.click_text(".layout-main-section a", "查看记录")
		journey.shows("drill-down", "党员中心户")
		journey.open("/app/query-report/Grid Scorecard", "scorecard")

		driver = journey.driver
		journey.open("/app/household", "households")
		journey.shown(".page-actions .menu-btn-group > button").click()
		journey.click_text(
			".menu-btn-group .dropdown-item", translated("Customize", context="Button in list view menu")
		)
		wait(
			driver,
			lambda d: d.execute_script(
				"return window.cur_frm && cur_frm.doctype === 'Customize Form'"
				" && cur_frm.doc.doc_type === 'Household' && cur_frm.doc.fields.length > 0"
			),
		)
		journey.check("customize-form")
		journey.click_text(".form-tabs .nav-link", translated("Form"))
		builder_field = '.form-builder-container .field[title="building"]'
		wait(driver, lambda d: d.find_element(By.CSS_SELECTOR, builder_field).is_displayed())
		driver.find_element(By.CSS_SELECTOR, builder_field).click()
		label = wait(
			driver,
			lambda d: [
				e
				for e in d.find_elements(
					By.CSS_SELECTOR, '.form-builder-container .control-data [data-fieldname="label"] input'
				)
				if e.is_displayed()
			],
		)[0]
		label.clear()
		label.send_keys("楼栋号")
		journey.check("form-builder")
		journey.shown(".page-actions .primary-action").click()
		# Saved, and the form drawn again for the household once the desk has reloaded it.
		wait(
			driver,
			lambda d: d.execute_script(
				"return !cur_frm.is_dirty() && !frappe.dom.freeze_count && cur_frm.doc.doc_type === 'Household'"
				" && cur_frm.doc.fields.some(f => f.fieldname === 'building' && f.label === '楼栋号')"
				" && document.querySelector('.form-builder-container .field[title=\"building\"]')"
			),
		)
		journey.check("form-customised")

		journey.open("/app/workflow/Resident Request Workflow", "workflow", "吹哨")
		# Calling in departments may also wait until the request was coordinated for a while: a condition.
		driver.execute_script(
			"const row = cur_frm.doc.transitions.find(t => t.action === 'Blow the Whistle');"
			" frappe.model.set_value(row.doctype, row.name, 'condition', 'doc.whistle_count < 5');"
		)
		journey.save()
		journey.check("workflow-changed")


def test_mediator(desk_size, base_url, admin):
	"""An escalated case: the agreement reached, and its PDF."""
	with Journey(desk_size, base_url, "mediator") as journey:
		journey.log_in("mediator@xingfu.example")
		journey.shows("home", "在办矛盾纠纷")
		journey.open("/app/dispute-case?workflow_state=Escalated%20to%20Community", "escalated-cases")
		journey.first_list_row()
		journey.check("case")
		journey.set_values(
			{"outcome": "Agreement Reached", "agreement_terms": "双方同意共同修缮院墙，费用各半。"}
		)
		journey.save()
		journey.workflow_action("Reach Agreement", "Agreement Reached")
		journey.check("agreement")
		name = journey.driver.execute_script("return cur_frm.doc.name")
		formats = call(
			admin, base_url, "frappe.client.get_list", doctype="Print Format",
			filters=json.dumps({"doc_type": "Dispute Case"}), fields='["name"]',
		)  # fmt: skip
		agreement = next(f["name"] for f in formats if "Agreement" in f["name"] or "协议" in f["name"])
		# The print view, with the agreement reached on the case's registration form.
		journey.driver.get(f"{base_url}/app/print/Dispute Case/{name}")
		journey.shows_in_print_view("print-view", AGREEMENT_TERMS)
		pdf = journey.driver.execute_script(
			"return fetch('/api/method/frappe.utils.print_format.download_pdf?doctype=Dispute%20Case&name='"
			" + encodeURIComponent(arguments[0]) + '&format=' + encodeURIComponent(arguments[1]))"
			".then(r => [r.status, r.headers.get('Content-Type')])",
			name,
			agreement,
		)
		assert pdf == [200, "application/pdf"], pdf


def test_party_branch_secretary(desk_size, base_url):
	with Journey(desk_size, base_url, "party-branch-secretary") as journey:
		journey.log_in("partysecretary@xingfu.example")
		journey.shows("home", "党员中心户")
		journey.open("/app/party-member-household", "party-member-households")
		journey.first_list_row()
		journey.check("party-member-household")


def test_district_manager(desk_size, base_url):
	with Journey(desk_size, base_url, "district-manager") as journey:
		journey.log_in("district@xingfu.example")
		journey.shows("home", "党建引领")
		journey.open("/app/seven-in-the-grid", "overview", "在办民意诉求")
		journey.open("/app/resident-request", "requests")


def test_merchant_on_a_phone(phone, base_url, admin):
	"""Scan a voucher's QR code while logged out, log in, and redeem it at the counter."""
	# A voucher issued and not yet redeemed, and the demo merchant user of its merchant.
	(voucher,) = call(
		admin, base_url, "frappe.client.get_list", doctype="Points Redemption",
		filters=json.dumps({"status": "Issued"}), fields='["voucher_code", "merchant"]', limit_page_length=1,
	)  # fmt: skip
	merchant_user = call(
		admin, base_url, "frappe.client.get_list", doctype="Partner Merchant User",
		filters=json.dumps({"parent": voucher["merchant"]}), fields='["user"]', parent="Partner Merchant",
	)[0]["user"]  # fmt: skip
	code = voucher["voucher_code"]
	with Journey(phone, base_url, "merchant") as journey:
		phone.get(base_url + "/api/method/logout")
		phone.delete_all_cookies()
		phone.get(f"{base_url}/merchant?code={code}")
		wait(phone, lambda d: d.find_element(By.ID, "login_email").is_displayed())
		journey.check("scanned-logged-out")
		journey.fill_login(merchant_user, DEMO_PASSWORD, expect_path="/merchant")
		wait(phone, lambda d: d.find_element(By.ID, "voucher-code").get_attribute("value") == code)
		journey.check("code-kept")
		assert phone.execute_script("return document.documentElement.scrollWidth") <= PHONE_VIEWPORT[0]
		phone.find_element(By.ID, "voucher-code").send_keys(Keys.ENTER)
		wait(phone, lambda d: d.find_element(By.ID, "redeem-button").is_displayed())
		journey.check("voucher-checked")
		phone.find_element(By.ID, "redeem-button").click()
		wait(phone, lambda d: "核销成功" in d.find_element(By.ID, "voucher-message").text)
		assert code in journey.check("redeemed")


def send_request(journey: Journey, description: str, sent: str) -> str:
	"""Fill in the request page from the contact card, send it; return the tracking code."""
	driver = journey.driver
	driver.find_elements(By.CSS_SELECTOR, "label.choice")[0].click()
	driver.find_element(By.ID, "description").send_keys(description)
	driver.find_element(By.ID, "phone").send_keys("13908907711")
	driver.find_element(By.ID, "send-button").click()
	wait(driver, lambda d: d.find_element(By.ID, "sent").is_displayed())
	code = driver.find_element(By.ID, "tracking-code").text.strip()
	assert len(code) == 10, code
	journey.check(sent)
	return code


def test_resident_on_a_phone(phone, base_url, demo_site):
	"""The contact card's QR code opens the request page: a request in Chinese, one in Tibetan, and the
	status page of each."""
	card = site_tool(demo_site.name, "contact-card-address")
	scanned = urlsplit(card["address"])
	with Journey(phone, base_url, "resident") as journey:
		phone.get(base_url + "/api/method/logout")
		phone.delete_all_cookies()
		phone.get(f"{base_url}{scanned.path}?{scanned.query}")
		journey.shows("request-page", "向网格员反映诉求")
		assert phone.execute_script("return document.documentElement.scrollWidth") <= PHONE_VIEWPORT[0]
		send_request(journey, "5栋门口的垃圾桶满了三天没人清运", "sent-in-chinese")
		phone.find_element(By.ID, "status-link").click()
		journey.shows("status-in-chinese", "已受理")

		phone.get(f"{base_url}{scanned.path}?{scanned.query}&_lang=bo")
		wait(phone, lambda d: d.find_elements(By.ID, "request-form"))
		assert phone.execute_script("return document.documentElement.lang") == "bo"
		journey.check("request-page-in-tibetan")
		send_request(journey, "ཁྱིམ་ཚང་གི་ཆུ་ཡོང་གི་མེད།", "sent-in-tibetan")
		phone.find_element(By.ID, "status-link").click()
		wait(phone, lambda d: d.find_elements(By.ID, "status"))
		journey.check("status-in-tibetan")
