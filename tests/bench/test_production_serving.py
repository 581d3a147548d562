"""A site served as `make demo` serves it, and as `bench setup production` serves one: dev/Procfile under
`bench start` (nginx from dev/nginx.conf in front of gunicorn and the realtime server, the worker
and the scheduler), reached at the site's name, as a browser reaches http://wangge.localhost:8000.

gunicorn serves no files: the login page and the desk are styled only when nginx serves /assets from
the bench's sites/assets (and a site's /files from its public folder, private files after Frappe's
check through X-Accel-Redirect). The test fetches every stylesheet and script the login page and the
desk name, through nginx, and compares them with the files `bench build` wrote; uploads a public and
a private file and reads them back; asks for a PDF, whose stylesheet wkhtmltopdf fetches from the
site's host_name (as demo.sh sets it) through nginx; opens the realtime server's handshake; logs in
through the login page in headless Chromium and checks that the page is styled and the desk boots and
connects to the realtime server (screenshots in dev/bench/logs/browser/); then stops everything
as Ctrl-C does and checks that nothing listens any more.

The site is its own, `<test site>_served.localhost`, recreated on every run: `*.localhost` names this
machine (Chromium, and every program through libnss-myhostname, which dev/setup.sh installs), so the
realtime server and wkhtmltopdf reach the site at the address the browser uses.
"""

import json
import re
import socket
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests
from selenium.webdriver.common.by import By

from tests.bench.bench_cli import (
	ADMIN_PASSWORD,
	BENCH_DIR,
	SITES,
	TEST_SITE,
	bench,
	free_ports,
	new_site,
	procfile_started,
)
from tests.browser.desk import desk_ready, log_in, start_chromium, wait

SITE = f"{TEST_SITE}_served.localhost"
SCREENSHOTS = BENCH_DIR / "logs" / "browser"
CONTENT_TYPES = {"stylesheet": ("text/css",), "script": ("application/javascript", "text/javascript")}


class AssetReferences(HTMLParser):
	"""The /assets/… addresses a page names: stylesheets, scripts, and the rest (icons, images)."""

	def __init__(self):
		super().__init__()
		self.found: dict[str, str] = {}

	def handle_starttag(self, tag, attrs):
		attrs = dict(attrs)
		if tag == "link" and attrs.get("href"):
			kind = "stylesheet" if "stylesheet" in (attrs.get("rel") or "").split() else "other"
			self.add(attrs["href"], kind)
		elif tag == "script" and attrs.get("src"):
			self.add(attrs["src"], "script")
		elif tag == "img" and attrs.get("src"):
			self.add(attrs["src"], "other")

	def add(self, address: str, kind: str):
		parts = urlsplit(address)
		if parts.path.startswith("/assets/") and parts.hostname in (None, SITE):
			self.found[parts.path] = kind


def asset_references(html: str) -> dict[str, str]:
	parser = AssetReferences()
	parser.feed(html)
	return parser.found


@pytest.fixture(scope="module")
def served():
	"""The site, made for this test, served by dev/Procfile's processes on free ports."""
	try:
		socket.getaddrinfo(SITE, 80)
	except socket.gaierror:
		pytest.fail(f"{SITE} does not resolve: *.localhost needs libnss-myhostname (dev/setup.sh)")
	new_site(SITE)
	bench("--site", SITE, "execute", "wangge_app.site_setup.mark_setup_complete", log_name=f"setup-{SITE}")
	ports = free_ports(3)
	# As dev/demo.sh does: the address PDFs load their stylesheets from.
	bench(
		"--site", SITE, "set-config", "host_name", f"http://{SITE}:{ports[0]}", log_name=f"host-name-{SITE}"
	)
	with procfile_started(SITE, log_name="production-serving", ports=ports) as processes:
		yield processes


@pytest.fixture(scope="module")
def base_url(served):
	return served.url(SITE)


@pytest.fixture(scope="module")
def session(base_url):
	"""Administrator, logged in over HTTP through nginx, as a browser session."""
	session = requests.Session()
	login = session.post(
		base_url + "/api/method/login", data={"usr": "Administrator", "pwd": ADMIN_PASSWORD}, timeout=30
	)
	assert login.ok, login.text
	assert login.json()["message"] == "Logged In"
	# The CSRF token the desk's page carries, which a browser session sends with its POSTs.
	token = re.search(r'frappe.csrf_token = "([^"]+)"', session.get(base_url + "/app", timeout=30).text)
	assert token, "the desk's page carries no CSRF token"
	session.headers["X-Frappe-CSRF-Token"] = token.group(1)
	return session


def check_assets(session: requests.Session, base_url: str, page: str) -> dict[str, str]:
	"""Every /assets/… address of the page answers 200 through nginx with the file `bench build` wrote."""
	response = session.get(base_url + page, timeout=30)
	assert response.status_code == 200, (page, response.status_code)
	assert response.headers["Server"] == "nginx"
	assets = asset_references(response.text)
	assert "stylesheet" in assets.values() and "script" in assets.values(), (page, assets)
	for path, kind in assets.items():
		asset = session.get(base_url + path, timeout=30)
		assert asset.status_code == 200, (page, path, asset.status_code)
		if kind in CONTENT_TYPES:
			assert asset.headers["Content-Type"].split(";")[0] in CONTENT_TYPES[kind], (path, asset.headers)
		# From disk, by nginx's /assets location (gunicorn serves no files).
		assert asset.headers.get("Cache-Control") == "max-age=31536000", (path, asset.headers)
		assert asset.content == (SITES / path.lstrip("/")).read_bytes(), path
	return assets


def test_the_login_page_assets_come_through_nginx(base_url):
	assets = check_assets(requests.Session(), base_url, "/login")
	assert any(re.search(r"/login\.bundle\.\w+\.css$", path) for path in assets), assets


def test_the_desk_assets_come_through_nginx(session, base_url):
	assets = check_assets(session, base_url, "/app")
	assert any(re.search(r"/desk\.bundle\.\w+\.css$", path) for path in assets), assets
	assert any(re.search(r"/desk\.bundle\.\w+\.js$", path) for path in assets), assets


def test_files_come_from_the_site_folders(session, base_url):
	uploaded = {}
	for is_private in (0, 1):
		content = f"网格员联系表 {'private' if is_private else 'public'} {time.time()}\n".encode()
		response = session.post(
			base_url + "/api/method/upload_file",
			files={"file": (f"served-{is_private}.txt", content, "text/plain")},
			data={"is_private": is_private},
			timeout=30,
		)
		assert response.ok, response.text
		uploaded[is_private] = (response.json()["message"]["file_url"], content)

	public_url, public_content = uploaded[0]
	assert public_url.startswith("/files/")
	assert (SITES / SITE / "public" / public_url.lstrip("/")).read_bytes() == public_content
	public = requests.get(base_url + public_url, timeout=30)  # no session: public
	assert public.status_code == 200 and public.content == public_content

	private_url, private_content = uploaded[1]
	assert private_url.startswith("/private/files/")
	# Frappe checks the permission and answers with an X-Accel-Redirect; nginx sends the file.
	private = session.get(base_url + private_url, timeout=30)
	assert private.status_code == 200 and private.content == private_content
	assert "X-Accel-Redirect" not in private.headers
	assert requests.get(base_url + private_url, timeout=30).status_code == 403


def test_a_pdf_loads_its_stylesheet_through_nginx(session, base_url, served):
	pdf = session.get(
		base_url + "/api/method/frappe.utils.print_format.download_pdf",
		params={"doctype": "Role", "name": "System Manager"},
		timeout=120,
	)
	assert pdf.status_code == 200, pdf.text[-2000:]
	assert pdf.headers["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
	access_log = served.nginx_logs["access"].read_text()
	assert re.search(
		r'"GET /assets/frappe/dist/css/print\.bundle\.\w+\.css HTTP/1\.1" 200 .*wkhtmltopdf', access_log
	), access_log[-3000:]


def test_the_realtime_server_answers_through_nginx(base_url):
	handshake = requests.get(base_url + "/socket.io/", params={"EIO": 4, "transport": "polling"}, timeout=30)
	assert handshake.status_code == 200, handshake.text
	assert handshake.text.startswith("0{"), handshake.text
	assert json.loads(handshake.text[1:])["sid"]


@pytest.fixture(scope="module")
def driver():
	browser = start_chromium()
	yield browser
	browser.quit()


def loaded_stylesheets(driver) -> list[dict]:
	return driver.execute_script(
		"return [...document.styleSheets].filter(s => s.href)"
		".map(s => ({href: s.href, rules: s.cssRules.length}))"
	)


def test_the_browser_gets_a_styled_login_page_and_the_desk(driver, base_url):
	SCREENSHOTS.mkdir(parents=True, exist_ok=True)
	driver.get(base_url + "/login")
	wait(driver, lambda d: d.find_element(By.ID, "login_email").is_displayed())
	sheets = loaded_stylesheets(driver)
	assert any("/login.bundle." in sheet["href"] and sheet["rules"] for sheet in sheets), sheets
	assert all(sheet["rules"] for sheet in sheets), sheets
	# The website bundle's typeface and the login button's dark fill: the stylesheets apply.
	assert "Inter" in driver.execute_script("return getComputedStyle(document.body).fontFamily")
	button = driver.execute_script(
		"return getComputedStyle(document.querySelector('.btn-login')).backgroundColor"
	)
	assert button not in ("rgba(0, 0, 0, 0)", "rgb(239, 239, 239)", "rgb(240, 240, 240)"), button
	driver.save_screenshot(str(SCREENSHOTS / "production-serving-login.png"))

	log_in(driver, base_url, "Administrator", ADMIN_PASSWORD)
	assert driver.current_url.startswith(base_url + "/app")
	assert driver.find_element(By.CSS_SELECTOR, "header.navbar").is_displayed()
	sheets = loaded_stylesheets(driver)
	assert any("/desk.bundle." in sheet["href"] and sheet["rules"] for sheet in sheets), sheets
	# The realtime server accepted the desk's session (it asked the site at the browser's address).
	wait(driver, lambda d: d.execute_script("return !!frappe.realtime.socket?.connected"))
	wait(driver, desk_ready)
	driver.save_screenshot(str(SCREENSHOTS / "production-serving-desk.png"))
	# No console errors, the realtime server's included; the browser asks for a favicon on the JSON
	# page that logging out shows (log_in), which Frappe does not have.
	errors = [
		entry
		for entry in driver.get_log("browser")
		if entry["level"] == "SEVERE" and "/favicon.ico" not in entry["message"]
	]
	assert not errors, errors


def test_stopping_stops_every_process(served):
	pid_file = BENCH_DIR / "config" / "nginx" / str(served.web_port) / "nginx.pid"
	nginx = int(pid_file.read_text())
	served.stop()
	for port in (served.web_port, served.gunicorn_port, served.socketio_port):
		with socket.socket() as probe:
			assert probe.connect_ex(("127.0.0.1", port)) != 0, f"port {port} still answers"
	assert process_ends(nginx), f"nginx's master {nginx} still runs"


def process_ends(pid: int, seconds: float = 20) -> bool:
	"""Whether the process is gone (or a zombie left for its parent to reap) within `seconds`: nginx
	finishes its open connections before it exits."""
	deadline = time.monotonic() + seconds
	while time.monotonic() < deadline:
		try:
			state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
		except (FileNotFoundError, ProcessLookupError):
			return True
		if state == "Z":
			return True
		time.sleep(0.2)
	return False
