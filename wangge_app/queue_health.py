# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Queue health (issue 23, finding 12): whether the background workers keep up.

Background jobs (notifications, the clean-up after a deletion, scheduled jobs) wait in the bench's
RQ queues in Redis until a worker (`bench worker`) runs them; the queues belong to the bench and are
shared by its sites. Two figures say whether the workers keep up: how many jobs wait, and how long the
oldest has waited. The System Manager reads them on the workspace *Queue Health* (its two number
cards), and `check_queue_health` (every ten minutes, hooks.py) notifies the System Managers when the
queue falls behind, once, and once more when it has caught up.
"""

from dataclasses import dataclass

import frappe
from frappe import _
from frappe.desk.doctype.notification_log.notification_log import make_notification_logs
from frappe.translate import get_user_lang
from frappe.utils.background_jobs import generate_qname, get_redis_conn
from frappe.utils.user import get_users_with_role
from rq import Queue
from rq.utils import utcnow

from wangge_app.roles import SYSTEM_MANAGER

# The queue is behind when more jobs wait than this, or the oldest has waited longer.
MAX_WAITING_JOBS = 100
MAX_WAIT_MINUTES = 10

VIEWER_ROLE = SYSTEM_MANAGER
# Frappe's background jobs, which only System Managers read: the number cards' document type (Frappe
# shows a card to the readers of its document type), and what their figures check.
JOBS_DOCTYPE = "RQ Job"
PAGE_ROUTE = "/app/queue-health"
# When the alert was sent; empty while the queue keeps up. In the database, so that clearing the
# cache does not send the alert again.
ALERT_SENT = "wangge_queue_behind_alert_sent"
# Jobs join a queue at its tail, so the oldest is at its head; Frappe's health check pushes its ping
# to the front, so the first few are read.
HEAD_JOBS = 10


@dataclass(frozen=True)
class QueueHealth:
	waiting_jobs: int
	oldest_wait_minutes: int

	@property
	def behind(self) -> bool:
		return self.waiting_jobs > MAX_WAITING_JOBS or self.oldest_wait_minutes > MAX_WAIT_MINUTES


def bench_queues() -> list[Queue]:
	"""Every queue of the bench in Redis: Frappe's, and any the bench's config adds (`workers`), read
	afresh (Frappe's own list is cached for the life of the process)."""
	prefix = generate_qname("")
	return [queue for queue in Queue.all(connection=get_redis_conn()) if queue.name.startswith(prefix)]


def measure(queues: list[Queue] | None = None) -> QueueHealth:
	"""The bench's queues as they are now (or the queues given)."""
	queues = bench_queues() if queues is None else queues
	waiting_jobs = 0
	oldest = None
	for queue in queues:
		waiting_jobs += queue.count
		for job in queue.get_jobs(0, HEAD_JOBS):
			if job.enqueued_at and (oldest is None or job.enqueued_at < oldest):
				oldest = job.enqueued_at
	# RQ stamps jobs in UTC.
	minutes = int((utcnow() - oldest).total_seconds() // 60) if oldest else 0
	return QueueHealth(waiting_jobs, max(minutes, 0))


@frappe.whitelist()
def get_waiting_jobs(filters=None) -> dict:
	"""Number card *Background Jobs Waiting*."""
	frappe.has_permission(JOBS_DOCTYPE, "read", throw=True)
	return {"value": measure().waiting_jobs, "fieldtype": "Int"}


@frappe.whitelist()
def get_oldest_wait_minutes(filters=None) -> dict:
	"""Number card *Oldest Job Wait Minutes*."""
	frappe.has_permission(JOBS_DOCTYPE, "read", throw=True)
	return {"value": measure().oldest_wait_minutes, "fieldtype": "Int"}


def check_queue_health(queues: list[Queue] | None = None) -> None:
	"""Scheduled: tell the System Managers when the queue falls behind and when it has caught up, each
	once, however many runs it stays so."""
	health = measure(queues)
	values = (health.waiting_jobs, health.oldest_wait_minutes, MAX_WAITING_JOBS, MAX_WAIT_MINUTES)
	alert_sent = frappe.db.get_global(ALERT_SENT)
	if health.behind and not alert_sent:
		notify_system_managers(
			lambda lang: _(
				"Background jobs are falling behind: {0} jobs waiting, the oldest for {1} minutes (the alert is raised above {2} jobs or {3} minutes). Start more workers, or look for a job that holds them up.",
				lang=lang,
			).format(*values)
		)
		frappe.db.set_global(ALERT_SENT, frappe.utils.now())
	elif alert_sent and not health.behind:
		notify_system_managers(
			lambda lang: _(
				"Background jobs have caught up: {0} jobs waiting, the oldest for {1} minutes.", lang=lang
			).format(*values)
		)
		frappe.db.set_global(ALERT_SENT, None)


def notify_system_managers(subject_in) -> None:
	"""A notification (the desk's bell, and e-mail where the user wants it) to each System Manager, in
	their language. Written here, not enqueued: the queue is what is late."""
	users = frappe.get_all(
		"User", {"name": ("in", [*get_users_with_role(VIEWER_ROLE), "Administrator"])}, ["name", "email"]
	)
	for user in users:
		# Frappe's notification log names its users by e-mail address (Administrator's is not its name).
		subject = subject_in(get_user_lang(user.name))
		make_notification_logs(frappe._dict(type="Alert", subject=subject, link=PAGE_ROUTE), [user.email])
