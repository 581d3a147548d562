"""The test site run as `make demo` runs a site, with dev/Procfile under `bench start` (nginx in front
of gunicorn, the realtime server, the background-job worker and the scheduler): work that a request
enqueues, and a job the scheduler finds due, are run by the worker.

A new case registered over HTTP is assigned to its grid worker; the web process only enqueues the
assignment's notification, which the worker writes (Notification Log). The case was discovered three
hours ago, so it has missed its arrival target; the scheduler enqueues the due check of every case's
due times (mark_missed_due_times_of_all_cases, every 10 minutes), the worker runs it, and the case is
marked overdue.
(The grid worker's alert that the job enqueues waits behind the other jobs the scheduler found due
on its first round, every daily and hourly job of a site that never ran them: not waited for here.)

The scheduler skips sites whose scheduler is off (the test site's is: `bench run-tests` and the pytest
plugin switch it off), and sites that are "dormant": no Activity Log entry in the last four days, as
on a site nobody has used yet. The test switches the scheduler on with `bench scheduler enable`, as
an admin does, and the manager's login over HTTP is the site's activity. It runs after the other
tests of the session (dev/test.sh), and leaves its records on the test site, which every run recreates.
"""

import re
import time

import frappe
import pytest
import requests
from frappe.utils import add_to_date, now_datetime

from tests.bench.bench_cli import LOGS, TEST_SITE, bench, procfile_started
from wangge_app.test_utils import make_community_tree, make_user

MANAGER = "jobs-manager@example.com"
WORKER = "jobs-worker@example.com"
PASSWORD = "Wangge-Jobs-2026"
OVERDUE_JOB = "wangge_app.overdue.mark_missed_due_times_of_all_cases"
# The scheduler looks for due jobs once a minute (scheduler_tick_interval), after a first minute.
SCHEDULER_WAIT = 300


def wait_until(condition, seconds: float, what: str):
	deadline = time.monotonic() + seconds
	while time.monotonic() < deadline:
		frappe.db.rollback()  # read what the site's processes committed since
		result = condition()
		if result:
			return result
		time.sleep(1)
	pytest.fail(f"{what} did not happen within {seconds} s; see {LOGS / 'bench-start.log'}")


@pytest.fixture(scope="module")
def community():
	frappe.set_user("Administrator")
	make_user(MANAGER, ["Community Manager"], new_password=PASSWORD)
	make_user(WORKER, ["Grid Worker"])
	# No mail server here: the notifications stay in the desk.
	frappe.db.set_value("Notification Settings", WORKER, "enable_email_notifications", 0)
	_, grid, _ = make_community_tree(workers=[WORKER])
	# Due at once: as if the last check had run an hour ago.
	frappe.db.set_value(
		"Scheduled Job Type", {"method": OVERDUE_JOB}, "last_execution", add_to_date(now_datetime(), hours=-1)
	)
	frappe.db.commit()
	return grid.name


@pytest.fixture(scope="module")
def served_site(community):
	"""The processes of dev/Procfile, started by `bench start` in the bench; the address of nginx."""
	bench("--site", TEST_SITE, "scheduler", "enable", log_name="scheduler-enable")
	# The bench's queues hold what was enqueued while no worker ran: the earlier tests' server's
	# notifications about records their fixtures have deleted since, the sample data's welcome jobs
	# on other sites of the bench. Purged, so that the worker starts on this test's work.
	bench("purge-jobs", log_name="purge-jobs")
	try:
		with procfile_started(TEST_SITE, log_name="bench-start") as served:
			yield f"http://127.0.0.1:{served.web_port}"
	finally:
		bench("--site", TEST_SITE, "scheduler", "disable", log_name="scheduler-disable")


@pytest.fixture(scope="module")
def new_case(served_site, community):
	"""A case registered over HTTP by the manager, discovered three hours ago."""
	session = requests.Session()
	# nginx finds the site by the name asked for (the test site's name resolves nowhere).
	session.headers.update({"Accept": "application/json", "Host": TEST_SITE})
	login = session.post(served_site + "/api/method/login", data={"usr": MANAGER, "pwd": PASSWORD})
	assert login.ok, login.text
	response = session.post(
		served_site + "/api/resource/Dispute Case",
		json={
			"subject": "楼道堆放杂物引发邻里纠纷",
			"grid": community,
			"category": "Neighbours",
			"case_source": "Resident Report",
			"discovered_at": str(add_to_date(now_datetime(), hours=-3)),
			"description": "三楼住户在楼道堆放杂物，邻居多次协商未果。",
			"parties": [
				{"party_role": "Applicant", "party_name": "住户 次仁"},
				{"party_role": "Respondent", "party_name": "住户 白玛"},
			],
		},
	)
	assert response.ok, response.text
	return response.json()["data"]["name"]


def notifications(case: str, kind: str) -> list[str]:
	return frappe.get_all(
		"Notification Log",
		{"document_type": "Dispute Case", "document_name": case, "for_user": WORKER, "type": kind},
		pluck="subject",
	)


def test_the_worker_runs_what_a_request_enqueued(new_case):
	# The web process assigned the case and enqueued the notification; only the worker writes it.
	assert frappe.db.get_value(
		"ToDo", {"reference_type": "Dispute Case", "reference_name": new_case, "allocated_to": WORKER}
	)
	assert wait_until(lambda: notifications(new_case, "Assignment"), 120, "the assignment notification")
	# The worker's log names the job (RQ cuts the method's name short) and its success.
	worker_output = (LOGS / "bench-start.log").read_text()
	job = re.search(
		rf"^\S+ worker\.1 .*notification_log\.make_notification_lo.*site='{re.escape(TEST_SITE)}'.*"
		rf"\(({re.escape(TEST_SITE)}::[0-9a-f-]+)\)$",
		worker_output,
		re.MULTILINE,
	)
	assert job, worker_output[-2000:]
	wait_until(
		lambda: f"Job OK ({job.group(1)})" in (LOGS / "bench-start.log").read_text(), 30, "the job's success"
	)


def test_the_scheduler_has_the_worker_run_the_due_job(new_case):
	started = frappe.utils.get_datetime(frappe.db.get_value("Dispute Case", new_case, "creation"))
	job_log = wait_until(
		lambda: frappe.get_all(
			"Scheduled Job Log",
			{"scheduled_job_type": "overdue.mark_missed_due_times_of_all_cases", "creation": (">", started)},
			pluck="status",
		),
		SCHEDULER_WAIT,
		"the scheduled overdue check",
	)
	completed = {
		"scheduled_job_type": "overdue.mark_missed_due_times_of_all_cases",
		"creation": (">", started),
		"status": "Complete",
	}
	wait_until(
		lambda: frappe.db.get_value("Scheduled Job Log", completed),
		60,
		f"the overdue check's completion (so far: {job_log})",
	)
	assert frappe.db.get_value("Dispute Case", new_case, "is_overdue")
	missed = frappe.get_all("Dispute Case Overdue", {"parent": new_case}, pluck="target")
	assert missed == ["Arrival on Site"]
