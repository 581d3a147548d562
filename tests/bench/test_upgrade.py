"""The upgrade path: a site made with an earlier version of the app (upgrade_from.txt) and filled
with that version's sample data is updated to the working tree's code with `bench migrate`, and
nothing is lost: every record of the app's DocTypes (renamed ones under their new names), the
records of people and their work in Frappe's own DocTypes, and the points.

The earlier version is `git archive`d into a temporary folder, and the bench commands of the old
site run with PYTHONPATH pointing at it, so they import that app instead of the bench's
apps/wangge_app; dropping PYTHONPATH is the update, as `git pull` in apps/wangge_app is on a
real bench. The bench's other sites keep running the current code meanwhile.
"""

import json
import subprocess
import tarfile
import tempfile
from pathlib import Path

import pytest

from tests.bench.bench_cli import ROOT, SITES, TEST_SITE, bench, new_site, site_tool

SITE = f"{TEST_SITE}_upgrade"
UPGRADE_FROM = Path(__file__).with_name("upgrade_from.txt")

# DocTypes renamed since the recorded commit (old name: new name), by the patches that rename them.
RENAMED_DOCTYPES = {
	"Central Household": "Party Member Household",  # patches/v1/rename_central_household
	"Central Household Contact": "Party Member Household Contact",
}
# Frappe's DocTypes that hold the community's users and their work: an update may add rows to them
# (a patch's log entry, a new role) but never remove one.
FRAMEWORK_RECORDS = [
	"User", "Has Role", "User Permission", "ToDo", "File", "Comment", "Communication", "Version",
	"Notification Log", "Custom Field", "Property Setter", "Workflow", "Workflow Document State",
	"Workflow Transition",
]  # fmt: skip


def recorded_commit() -> str:
	lines = [line.strip() for line in UPGRADE_FROM.read_text().splitlines()]
	return next(line for line in lines if line and not line.startswith("#"))


@pytest.fixture(scope="module")
def old_app():
	"""The app as of the recorded commit, in a temporary folder (importable as wangge_app from it)."""
	commit = recorded_commit()
	with tempfile.TemporaryDirectory(prefix="wangge-app-") as folder:
		archive = Path(folder) / "app.tar"
		try:
			subprocess.run(
				["git", "-C", str(ROOT), "archive", "--format=tar", "-o", str(archive), commit, "wangge_app"],
				check=True,
				capture_output=True,
				text=True,
			)
		except subprocess.CalledProcessError as error:
			pytest.fail(
				f"git archive {commit} failed (is the repository's history complete?): {error.stderr}"
			)
		with tarfile.open(archive) as tar:
			tar.extractall(folder, filter="data")
		yield folder


def forget_the_cached_module_map(site: str) -> None:
	"""Frappe 15 caches the apps' module lists in Redis under the site's database name (a site being
	created has none yet: "None|…"). `new-site` names the database after the site's path when it is not
	told one ("_" + the path's sha1, `frappe.installer._new_site`), so a site made again at the same path,
	by this run over an earlier run's site or by a fresh clone at the same place, takes the earlier
	site's name and what Frappe cached under it, the module list among it. The old app's site must not
	be installed with a module list the current app left there (resident_services and the rest, which
	the old app does not have)."""
	import hashlib
	import os

	import frappe
	import redis

	config = SITES / site / "site_config.json"
	names = {
		"None",
		"_" + hashlib.sha1(os.path.realpath(SITES / site).encode(), usedforsecurity=False).hexdigest()[:16],
	}
	if config.exists():
		names.add(json.loads(config.read_text()).get("db_name"))
	cache = redis.Redis.from_url(frappe.conf.redis_cache)
	# The site is made anew: nothing cached under its name is its own (its hooks, apps, defaults).
	keys = [key for name in names - {None, "None"} for key in cache.scan_iter(match=f"{name}|*")]
	keys += [f"None|{key}" for key in ("app_modules", "installed_app_modules")]
	cache.delete(*keys)


def test_a_site_of_the_recorded_version_updates_to_this_code_without_losing_anything(old_app):
	forget_the_cached_module_map(SITE)
	new_site(SITE, pythonpath=old_app)
	bench("--site", SITE, "execute", "wangge_app.demo.make_demo", log_name=f"make-demo-{SITE}",
		pythonpath=old_app, timeout=1800)  # fmt: skip
	before = site_tool(SITE, "snapshot", pythonpath=old_app)
	# The old site really is the old app.
	assert set(RENAMED_DOCTYPES) <= set(before["app_doctypes"])
	assert before["counts"]["Central Household"] > 0 and before["counts"]["Central Household Contact"] > 0

	bench("--site", SITE, "migrate", log_name=f"migrate-{SITE}", timeout=1800)
	after = site_tool(SITE, "snapshot")

	lost = {}
	for doctype in before["app_doctypes"]:
		now_named = RENAMED_DOCTYPES.get(doctype, doctype)
		if after["counts"].get(now_named) != before["counts"][doctype]:
			lost[doctype] = (before["counts"][doctype], now_named, after["counts"].get(now_named))
	assert not lost, f"rows per DocType before the update, and after under the current name: {lost}"
	assert not set(RENAMED_DOCTYPES) & set(after["counts"]), "a renamed DocType is still there"
	fewer = {
		doctype: (before["counts"][doctype], after["counts"][doctype])
		for doctype in FRAMEWORK_RECORDS
		if after["counts"][doctype] < before["counts"][doctype]
	}
	assert not fewer, f"fewer rows after the update: {fewer}"

	assert before["ledger_total"] > 0
	assert after["ledger_total"] == before["ledger_total"]
	assert after["ledger_by_member"] == before["ledger_by_member"]
	assert after["kept_balances"] == before["kept_balances"]
