"""A grid worker on a phone (390×844) with the field app (/field): the page opens, is kept by its service
worker, and with the network cut (Chromium's offline emulation) records a visit and a request with two
photos each and the phone's coordinates, and a hazard for a household that has meanwhile left the
worker's grid; reloaded offline, the queue is still there; back online, each record reaches the server
exactly once with its photos and coordinates, and the hazard is refused and shown with the worker's
text kept. The same queue sent again makes nothing more. Logging out clears the phone's copy."""

import random

import frappe
import pytest
from PIL import Image
from selenium.common.exceptions import StaleElementReferenceException
from selenium.webdriver.common.by import By

from tests.browser.desk import wait
from tests.browser.test_desk_in_chinese import english_words
from wangge_app.test_utils import make_community_tree, make_grid, make_household, make_user

WORKER = "field-phone-worker@example.com"
OTHER_WORKER = "field-phone-other@example.com"
PASSWORD = "Wangge-Field-2026"
LATITUDE, LONGITUDE, ACCURACY = 29.652491, 91.172112, 9.0
FINDINGS = "独居老人身体尚好，厨房水管渗水。"
SUBJECT = "楼道灯不亮"
HAZARD = "燃气软管老化开裂"


@pytest.fixture
def grids(tmp_path):
	frappe.set_user("Administrator")
	make_user(WORKER, ["Grid Worker"], first_name="拉姆", language="zh", new_password=PASSWORD)
	make_user(OTHER_WORKER, ["Grid Worker"], first_name="次旦", language="zh", new_password=PASSWORD)
	for user in (WORKER, OTHER_WORKER):
		frappe.db.set_value("Notification Settings", user, "enable_email_notifications", 0)
	community, _grid, micro_grid = make_community_tree(workers=[WORKER])
	grid_b = make_grid("Grid", community.name, workers=[OTHER_WORKER])
	# A building of its own: the worker keeps the grids of earlier runs, with their households.
	building = str(random.randrange(100, 10000))
	household = make_household(micro_grid.name, building=building, room="301", elderly_living_alone=1)
	# In the worker's grid when the phone keeps its Today list; moved to grid B before the queue is sent.
	leaving = make_household(micro_grid.name, building=building, room="402")
	photos = []
	for number in (1, 2):
		path = tmp_path / f"photo-{number}.jpg"
		# A camera-sized photo, far above 300 KB before the phone shrinks it.
		Image.effect_noise((2400, 1800), 80).convert("RGB").save(path, quality=95)
		photos.append(str(path))
	frappe.db.commit()
	data = frappe._dict(
		household=household.name,
		address=household.address,
		leaving=leaving.name,
		leaving_address=leaving.address,
		grid_b=grid_b.name,
		photos=photos,
	)
	yield data
	frappe.db.rollback()
	households = (household.name, leaving.name)
	made = {
		doctype: frappe.get_all(doctype, {"household": ("in", households)}, pluck="name") or [""]
		for doctype in ("Household Visit", "Resident Request", "Safety Hazard")
	}
	for doctype, names in made.items():
		frappe.db.delete("File", {"attached_to_doctype": doctype, "attached_to_name": ("in", names)})
		frappe.db.delete("ToDo", {"reference_type": doctype, "reference_name": ("in", names)})
		frappe.db.delete(doctype, {"name": ("in", names)})
	frappe.db.delete("Resident Request Step", {"parent": ("in", made["Resident Request"])})
	frappe.db.delete("Safety Photo", {"parent": ("in", made["Safety Hazard"])})
	frappe.db.delete("Field Submission", {"owner": WORKER})
	frappe.db.commit()


@pytest.fixture
def phone(driver, base_url):
	size = driver.get_window_size()
	driver.get(base_url + "/api/method/logout")
	driver.delete_all_cookies()
	driver.set_window_size(390, 844)
	driver.execute_cdp_cmd("Browser.grantPermissions", {"origin": base_url, "permissions": ["geolocation"]})
	driver.execute_cdp_cmd(
		"Emulation.setGeolocationOverride",
		{"latitude": LATITUDE, "longitude": LONGITUDE, "accuracy": ACCURACY},
	)
	driver.execute_cdp_cmd("Network.enable", {})
	yield driver
	set_offline(driver, False)
	driver.execute_cdp_cmd("Emulation.clearGeolocationOverride", {})
	driver.execute_script(
		"return navigator.serviceWorker.getRegistrations()"
		".then((all) => Promise.all(all.map((registration) => registration.unregister())))"
	)
	driver.set_window_size(size["width"], size["height"])


def set_offline(driver, offline: bool):
	driver.execute_cdp_cmd(
		"Network.emulateNetworkConditions",
		{"offline": offline, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1},
	)


def log_in(driver, base_url):
	driver.get(base_url + "/login")
	status = driver.execute_async_script(
		"const done = arguments[arguments.length - 1];"
		"fetch('/api/method/login', {method: 'POST', headers: {'Content-Type': 'application/json',"
		" Accept: 'application/json'}, body: JSON.stringify({usr: arguments[0], pwd: arguments[1]})})"
		".then((response) => done(response.status), () => done(0));",
		WORKER,
		PASSWORD,
	)
	assert status == 200


def queue(driver) -> list[dict]:
	return driver.execute_async_script(
		"const done = arguments[arguments.length - 1];"
		"fieldApp.allItems().then((items) => done(items.map((item) => ({key: item.client_key,"
		" kind: item.kind, status: item.status, photos: item.photos.length, result: item.result || null,"
		" values: item.values}))));"
	)


def choose_household(driver, form: str, address: str):
	section = driver.find_element(By.ID, f"form-{form}")
	section.find_element(By.CSS_SELECTOR, ".household-search").send_keys(address)

	def click_the_household(d):
		# The results are drawn again as the search answers: look them up afresh until one is clicked.
		try:
			for item in section.find_elements(By.CSS_SELECTOR, ".household-results li.choice"):
				if address in item.text:
					item.click()
					return True
		except StaleElementReferenceException:
			pass
		return False

	wait(driver, click_the_household)
	assert address in section.find_element(By.CSS_SELECTOR, ".household-chosen").text


def shown_refusal(driver) -> dict | None:
	"""The refused item of the outbox as shown (read in one go: the list is redrawn as answers come)."""
	return driver.execute_script(
		"const item = document.querySelector('.queue-item.refused');"
		"return item && {text: item.innerText, reason: item.querySelector('.reason').innerText,"
		" kept: item.querySelector('.kept').innerText};"
	)


def fill_and_save(driver, form: str, address: str, fields: dict, photos: list[str]):
	driver.find_element(By.CSS_SELECTOR, f'.tabs button[data-tab="{form}"]').click()
	section = driver.find_element(By.ID, f"form-{form}")
	choose_household(driver, form, address)
	for name, value in fields.items():
		section.find_element(By.NAME, name).send_keys(value)
	if photos:
		section.find_element(By.CSS_SELECTOR, ".photo-input").send_keys("\n".join(photos))
		wait(driver, lambda d: len(section.find_elements(By.CSS_SELECTOR, ".photos img")) == len(photos))
	wait(driver, lambda d: "位置已记录" in section.find_element(By.CSS_SELECTOR, ".location").text)
	count = len(queue(driver))
	section.find_element(By.CSS_SELECTOR, "button.primary").click()
	wait(driver, lambda d: len(queue(d)) == count + 1)


def shown_stamp(driver) -> str:
	return driver.execute_script("return document.querySelector('meta[name=field-shell]').content")


def on_server(grids) -> dict:
	frappe.db.rollback()  # a fresh snapshot: the served site committed them
	return {
		"visits": frappe.get_all(
			"Household Visit",
			{"household": grids.household},
			["name", "latitude", "longitude", "location_accuracy"],
		),
		"requests": frappe.get_all(
			"Resident Request", {"household": grids.household}, ["name", "photo", "latitude"]
		),
		"hazards": frappe.get_all(
			"Safety Hazard", {"household": ("in", (grids.household, grids.leaving))}, pluck="name"
		),
	}


def files_of(doctype: str, name: str) -> list[dict]:
	return frappe.get_all(
		"File", {"attached_to_doctype": doctype, "attached_to_name": name}, ["is_private", "file_size"]
	)


def test_recorded_offline_sent_once_refusal_shown(phone, base_url, grids, console):
	driver = phone
	log_in(driver, base_url)
	driver.get(base_url + "/field")
	wait(driver, lambda d: d.find_element(By.ID, "network-state").text == "在线")
	# The Today list, kept for offline: both households of the grid, the elderly one first.
	wait(driver, lambda d: grids.address in d.find_element(By.ID, "today-households").text)
	assert grids.leaving_address in driver.find_element(By.ID, "today-households").text
	assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")
	assert not (shown := english_words(driver)), sorted(shown)
	for form in ("visit", "request", "hazard"):
		driver.find_element(By.CSS_SELECTOR, f'.tabs button[data-tab="{form}"]').click()
		assert not (shown := english_words(driver)), (form, sorted(shown))
	driver.find_element(By.CSS_SELECTOR, '.tabs button[data-tab="today"]').click()
	# The service worker keeps the page for opening offline.
	wait(driver, lambda d: d.execute_script("return !!navigator.serviceWorker.controller"))
	wait(
		driver,
		lambda d: d.execute_async_script(
			"const done = arguments[arguments.length - 1];"
			"caches.keys().then((names) => Promise.all(names.map((name) => caches.open(name)"
			".then((cache) => cache.match('/field'))))).then((found) => done(found.some(Boolean)));"
		),
	)

	# The household leaves the worker's grid on the server meanwhile.
	frappe.db.set_value("Household", grids.leaving, "grid", grids.grid_b)
	frappe.db.commit()

	set_offline(driver, True)
	wait(driver, lambda d: d.find_element(By.ID, "network-state").text == "离线")
	fill_and_save(driver, "visit", grids.address, {"findings": FINDINGS}, grids.photos)
	assert "联网后自动发送" in driver.find_element(By.ID, "notice").text
	fill_and_save(
		driver,
		"request",
		grids.address,
		{"subject": SUBJECT, "description": "三单元楼道灯坏了一周。"},
		grids.photos,
	)
	fill_and_save(
		driver,
		"hazard",
		grids.leaving_address,
		{"hazard_title": HAZARD, "description": "厨房燃气软管开裂。"},
		[],
	)
	items = queue(driver)
	assert [(item["kind"], item["status"], item["photos"]) for item in items] == [
		("visit", "waiting", 2),
		("request", "waiting", 2),
		("hazard", "waiting", 0),
	]
	assert items[0]["values"]["latitude"] == LATITUDE and items[0]["values"]["location_accuracy"] == ACCURACY
	# Each photo shrunk on the phone to 300 KB at most.
	sizes = driver.execute_async_script(
		"const done = arguments[arguments.length - 1];"
		"fieldApp.allItems().then((items) => done(items.flatMap((item) => item.photos.map((p) => p.size))));"
	)
	assert sizes and all(0 < size <= 300 * 1024 for size in sizes), sizes

	# Reloaded with no network: the page opens from the service worker's kept copy (Chromium's offline
	# emulation does not reach the service worker's own requests, so the copy is told by its stamp),
	# and the queue is still there.
	kept_stamp = driver.execute_async_script(
		"const done = arguments[arguments.length - 1];"
		"caches.match('/field').then((kept) => kept.text()).then((html) =>"
		" done(new DOMParser().parseFromString(html, 'text/html')"
		".querySelector('meta[name=field-shell]').content));"
	)
	assert kept_stamp != shown_stamp(driver)  # the page shown first came from the network
	driver.refresh()
	wait(driver, lambda d: d.find_elements(By.ID, "queue-count"))
	assert shown_stamp(driver) == kept_stamp
	wait(
		driver,
		lambda d: d.find_elements(By.ID, "queue-count") and d.find_element(By.ID, "queue-count").text == "3",
	)
	assert driver.find_element(By.ID, "network-state").text == "离线"
	assert grids.address in driver.find_element(By.ID, "today-households").text  # the kept Today list
	assert on_server(grids) == {"visits": [], "requests": [], "hazards": []}

	# Back online: the queue is sent in order; each record once, the hazard refused and shown.
	set_offline(driver, False)
	wait(driver, lambda d: all(item["status"] != "waiting" for item in queue(d)), seconds=90)
	items = queue(driver)
	assert [item["status"] for item in items] == ["sent", "sent", "refused"], items
	server = on_server(grids)
	assert len(server["visits"]) == 1 and len(server["requests"]) == 1 and server["hazards"] == []
	visit, request = server["visits"][0], server["requests"][0]
	assert (visit.latitude, visit.longitude, visit.location_accuracy) == (LATITUDE, LONGITUDE, ACCURACY)
	assert request.latitude == LATITUDE and request.photo.startswith("/private/files/")
	for doctype, name in (("Household Visit", visit.name), ("Resident Request", request.name)):
		files = files_of(doctype, name)
		assert len(files) == 2 and all(file.is_private and file.file_size <= 300 * 1024 for file in files), (
			files
		)
	assert [item["result"]["name"] for item in items[:2]] == [visit.name, request.name]

	driver.find_element(By.CSS_SELECTOR, '.tabs button[data-tab="queue"]').click()
	wait(driver, shown_refusal)
	refused = shown_refusal(driver)
	assert "被退回" in refused["text"] and "原因：" in refused["reason"]
	assert "网格" in refused["reason"]  # the server's message, in Chinese
	assert HAZARD in refused["kept"]  # the worker's text kept
	assert not (shown := english_words(driver)), sorted(shown)

	# The same queue sent again (answers lost on the way, say): the server answers the same records.
	driver.execute_async_script(
		"const done = arguments[arguments.length - 1];"
		"fieldApp.allItems().then(async (items) => { for (const item of items) {"
		" item.status = 'waiting'; delete item.result; await fieldApp.putItem(item); }"
		# (A sync of the page's own may be running: send until nothing waits.)
		" for (let round = 0; round < 20; round++) { await fieldApp.sync();"
		" if (!(await fieldApp.allItems()).some((item) => item.status === 'waiting')) break;"
		" await new Promise((resolve) => setTimeout(resolve, 500)); } done(); });"
	)
	again = queue(driver)
	assert [item["status"] for item in again] == ["sent", "sent", "refused"]
	assert [item["result"]["name"] for item in again[:2]] == [visit.name, request.name]
	server_again = on_server(grids)
	assert (len(server_again["visits"]), len(server_again["requests"]), server_again["hazards"]) == (1, 1, [])
	assert len(files_of("Household Visit", visit.name)) == 2

	# Logging out clears the phone's copy: the queue and the kept pages.
	driver.find_element(By.ID, "logout").click()
	wait(driver, lambda d: "/login" in d.current_url)
	kept = driver.execute_async_script(
		"const done = arguments[arguments.length - 1];"
		"Promise.all([indexedDB.databases(), caches.keys()]).then(([databases, names]) =>"
		" done({databases: databases.map((db) => db.name), caches: names}));"
	)
	assert "wangge-field" not in kept["databases"]
	assert not [name for name in kept["caches"] if name.startswith("wangge-field")]
