"""The backup drill: a populated site, the demo the bench tests share (tests/bench/conftest.py), is
backed up with `bench backup --with-files` and restored into a new site with `bench restore`, and the
new site has every record, the same points, and the files (README, "Backup and restore"). It runs
before the journeys (tests/bench/test_journeys.py), on the demo as built.
"""

from pathlib import Path

from tests.bench.bench_cli import ADMIN_PASSWORD, DB_ADMIN, SITES, TEST_SITE, bench, new_site, site_tool

RESTORED = f"{TEST_SITE}_restored"


def newest_backup(site: str, suffix: str) -> Path:
	files = sorted(
		(SITES / site / "private" / "backups").glob(f"*{suffix}"), key=lambda path: path.stat().st_mtime
	)
	assert files, f"no backup file *{suffix} for {site}"
	return files[-1]


def test_a_site_backed_up_with_its_files_restores_into_a_new_site_with_everything(demo_site):
	source = demo_site.name
	# The sample data's notifications wait in the bench's queues for a worker; none may write into the
	# site between the snapshot and the backup (`make demo` of the same bench runs one).
	bench("purge-jobs", "--site", source, log_name=f"purge-jobs-{source}")
	attachment = site_tool(source, "add-private-file")
	before = site_tool(source, "snapshot")

	bench("--site", source, "backup", "--with-files", log_name=f"backup-{source}")
	database = newest_backup(source, "-database.sql.gz")
	public_files = newest_backup(source, "-files.tar")
	private_files = newest_backup(source, "-private-files.tar")

	# Restoring replaces a site's database: the new site, as on a fresh bench, has only Frappe.
	new_site(RESTORED, install_app=False)
	# --force: the engine's check against restoring an older Frappe reads the Installed Application
	# rows of the dump, which it cannot parse in a MariaDB 10.11 dump; both sites run the same bench.
	bench(
		"--site", RESTORED, "restore", str(database), "--with-public-files", str(public_files),
		"--with-private-files", str(private_files), *DB_ADMIN, "--admin-password", ADMIN_PASSWORD, "--force",
		log_name=f"restore-{RESTORED}",
	)  # fmt: skip
	after = site_tool(RESTORED, "snapshot")
	# The app runs on the restored site: it reads a member's balance, and its check of every kept
	# balance against the ledger finds no difference (it prints the differences, here none).
	member, balance = max(before["kept_balances"].items(), key=lambda item: item[1])
	read = bench("--site", RESTORED, "execute", "wangge_app.volunteer.points.get_points_balance",
		"--kwargs", repr({"member": member}), log_name=f"points-balance-{RESTORED}")  # fmt: skip
	assert float(read.strip().splitlines()[-1]) == balance > 0
	check = bench("--site", RESTORED, "execute", "wangge_app.volunteer.points.check_kept_balances",
		log_name=f"check-balances-{RESTORED}")  # fmt: skip
	assert "member" not in check, check

	# A site worth backing up: the whole sample community, its points, the attachment.
	assert before["counts"]["Resident"] > 100 and before["counts"]["Volunteer Points Entry"] > 100
	assert before["ledger_total"] > 0
	assert before["private_files"][attachment["file_url"]] == attachment["sha256"]

	assert after["counts"] == before["counts"]
	assert after["ledger_total"] == before["ledger_total"]
	assert after["ledger_by_member"] == before["ledger_by_member"]
	assert after["kept_balances"] == before["kept_balances"]
	assert after["private_files"] == before["private_files"]
