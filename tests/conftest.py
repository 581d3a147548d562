"""Shared by the tests that talk to the test site over HTTP (tests/browser, tests/http): the site
served with Frappe's own server on WANGGE_BROWSER_PORT, once for the whole session (by dev/test.sh,
or here when pytest runs on its own).

The server runs in another process, so it sees only what the tests commit.
"""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import frappe
import pytest


@pytest.fixture(scope="session")
def base_url():
	port = os.environ.get("WANGGE_BROWSER_PORT", "8009")
	url = f"http://127.0.0.1:{port}"
	if os.environ.get("WANGGE_SITE_SERVED"):
		# dev/test.sh serves the site for the whole run.
		yield url
		return
	log = open(Path(os.environ["WANGGE_SITES_PATH"]).parent / "logs" / "browser-server.log", "w")
	server = subprocess.Popen(
		[sys.executable, "-m", "frappe.utils.bench_helper", "frappe", "--site", frappe.local.site]
		+ ["serve", "--port", port, "--noreload"],
		cwd=os.environ["WANGGE_SITES_PATH"],
		stdout=log,
		stderr=subprocess.STDOUT,
	)
	try:
		wait_for_server(url, server)
		yield url
	finally:
		server.terminate()
		server.wait(timeout=10)
		log.close()


def wait_for_server(
	url: str, server: subprocess.Popen, seconds: int = 60, log_name: str = "browser-server.log"
):
	deadline = time.monotonic() + seconds
	while time.monotonic() < deadline:
		if server.poll() is not None:
			raise RuntimeError(f"the site server exited with {server.returncode}; see logs/{log_name}")
		try:
			with urllib.request.urlopen(url + "/api/method/ping", timeout=2) as response:
				if b"pong" in response.read():
					return
		except OSError:
			time.sleep(0.3)
	raise RuntimeError(f"the site server did not answer at {url} within {seconds} s")


# Workers of the multi-worker server: one per core, and one more to answer while another waits on
# the database.
SERVER_WORKERS = int(os.environ.get("WANGGE_SERVER_WORKERS", "3"))


@pytest.fixture(scope="session")
def multi_worker_url(base_url):
	"""The test site served by gunicorn with several workers, as production serves it (dev/Procfile),
	for the tests that send many requests at once (the permission matrix): Frappe's development server
	(`base_url`) answers them in one process, on one core. It serves the same site and database, on a
	free port, for the session."""
	import socket

	with socket.socket() as probe:
		probe.bind(("127.0.0.1", 0))
		port = probe.getsockname()[1]
	url = f"http://127.0.0.1:{port}"
	sites_path = Path(os.environ["WANGGE_SITES_PATH"]).resolve()
	log_name = f"multi-worker-server-{frappe.local.site}.log"
	log = open(sites_path.parent / "logs" / log_name, "w")
	server = subprocess.Popen(
		[sys.executable, "-m", "gunicorn", "--chdir", str(sites_path), "--bind", f"127.0.0.1:{port}"]
		+ ["--workers", str(SERVER_WORKERS), "--timeout", "120", "--preload"]
		# By its file's folder: the bench's env has a package named tests of its own.
		+ ["--pythonpath", str(Path(__file__).resolve().parent), "served_site:application"],
		env={**os.environ, "WANGGE_SERVED_SITE": frappe.local.site},
		stdout=log,
		stderr=subprocess.STDOUT,
	)
	try:
		wait_for_server(url, server, log_name=log_name)
		yield url
	finally:
		server.terminate()
		server.wait(timeout=30)
		log.close()


MERCHANT_PASSWORD = "Wangge-Merchant-2026"


@pytest.fixture(scope="session")
def merchant_portal():
	"""Two partner merchants with their website users, offers and issued vouchers, and a desk user;
	committed for the served site, and removed at the end of the session."""
	from frappe.model.workflow import apply_workflow

	from wangge_app.test_utils import make_user
	from wangge_app.volunteer.test_utils import (
		make_adjustment,
		make_merchant,
		make_offer,
		make_party_member,
		make_redemption,
		make_work_unit,
	)

	frappe.set_user("Administrator")
	users = frappe._dict(
		clinic="portal-clinic@example.com",
		clinic_counter="portal-clinic-counter@example.com",
		teahouse="portal-teahouse@example.com",
		worker="portal-worker@example.com",
	)
	for key, email in users.items():
		roles, user_type = (
			(["Grid Worker"], "System User") if key == "worker" else (["Partner Merchant"], "Website User")
		)
		make_user(
			email,
			roles,
			first_name="测试",
			language="zh",
			user_type=user_type,
			new_password=MERCHANT_PASSWORD,
		)
	clinic = make_merchant("幸福口腔诊所", users=[users.clinic, users.clinic_counter], address="北京东路8号")
	teahouse = make_merchant("阳光甜茶馆", users=[users.teahouse], category="Dining")
	cleaning = make_offer(clinic.name, 5, item_name="专业洗牙", market_value=300)
	tea = make_offer(teahouse.name, 2, item_name="甜茶两壶")
	work_unit = make_work_unit()
	member = make_party_member(work_unit.name, full_name="次仁白玛").name
	make_adjustment(member, 200)

	def voucher(offer=cleaning.name):
		return make_redemption(member, offer)

	data = frappe._dict(
		users=users,
		password=MERCHANT_PASSWORD,
		clinic=clinic.name,
		teahouse=teahouse.name,
		member=member,
		work_unit=work_unit.name,
		voucher=voucher,
		tea_voucher=voucher(tea.name),
		cancelled=apply_workflow(voucher(), "Cancel Voucher"),
		expired=voucher(),
	)
	frappe.db.set_value("Points Redemption", data.expired.name, "valid_until", "2025-01-01")
	from wangge_app.volunteer.redemption import expire_vouchers

	expire_vouchers()
	data.expired.reload()
	frappe.db.commit()
	yield data

	frappe.db.rollback()
	merchants = (clinic.name, teahouse.name)
	frappe.db.delete("Points Redemption", {"merchant": ("in", merchants)})
	frappe.db.delete("Redemption Offer", {"merchant": ("in", merchants)})
	frappe.db.delete("Partner Merchant User", {"parent": ("in", merchants)})
	frappe.db.delete("Partner Merchant", {"name": ("in", merchants)})
	frappe.db.delete("Volunteer Points Entry", {"member": member})
	frappe.db.delete("Points Adjustment", {"member": member})
	frappe.db.delete("In-service Party Member", {"name": member})
	frappe.db.delete("Work Unit", {"name": work_unit.name})
	frappe.db.commit()
