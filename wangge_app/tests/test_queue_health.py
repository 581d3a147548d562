# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Queue health (issue 23, finding 12): the figures of the background queue, read from Redis, and the
System Managers' alert when it falls behind, once, and once when it has caught up.

The jobs wait in a queue of the bench's that only the test knows: the bench's workers read the queues
of its config, so nothing runs them and the figures stay as the test makes them."""

from contextlib import contextmanager
from datetime import timedelta

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils.background_jobs import generate_qname, get_redis_conn
from rq import Queue
from rq.job import Job
from rq.utils import utcnow

from wangge_app import queue_health
from wangge_app.queue_health import (
	MAX_WAIT_MINUTES,
	MAX_WAITING_JOBS,
	QueueHealth,
	check_queue_health,
	get_oldest_wait_minutes,
	get_waiting_jobs,
	measure,
)
from wangge_app.test_utils import make_user

SYSTEM_MANAGER = "queue-system-manager@example.com"
COMMUNITY_MANAGER = "queue-community-manager@example.com"


@contextmanager
def private_queue():
	"""A new queue of the bench that no worker reads (they read the queues of the bench's config), and
	removed afterwards with its jobs."""
	queue = Queue(
		generate_qname(f"wangge_test_queue_{frappe.generate_hash(length=8)}"), connection=get_redis_conn()
	)
	try:
		yield queue
	finally:
		queue.delete(delete_jobs=True)


def enqueue_jobs(queue: Queue, count: int, waited_minutes: int = 0) -> list[Job]:
	"""`count` jobs; the first as if enqueued `waited_minutes` ago."""
	jobs = [queue.enqueue("frappe.ping") for _ in range(count)]
	if jobs and waited_minutes:
		jobs[0].enqueued_at = utcnow() - timedelta(minutes=waited_minutes, seconds=30)
		jobs[0].save()
	return jobs


def alerts(user: str) -> list[str]:
	return frappe.get_all(
		"Notification Log",
		{"for_user": user, "link": queue_health.PAGE_ROUTE},
		pluck="subject",
		order_by="creation asc, name asc",
	)


class TestQueueHealth(FrappeTestCase):
	def setUp(self):
		frappe.set_user("Administrator")
		make_user(SYSTEM_MANAGER, ["System Manager"], language="zh")
		make_user(COMMUNITY_MANAGER, ["Community Manager"], language="zh")
		for user in (SYSTEM_MANAGER, COMMUNITY_MANAGER):
			frappe.db.set_value("Notification Settings", user, "enable_email_notifications", 0)
		frappe.db.delete("Notification Log", {"link": queue_health.PAGE_ROUTE})
		frappe.db.set_global(queue_health.ALERT_SENT, None)

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.set_global(queue_health.ALERT_SENT, None)

	def test_figures_are_read_from_the_queue(self):
		with private_queue() as queue:
			self.assertEqual(measure([queue]), QueueHealth(0, 0))
			jobs = enqueue_jobs(queue, 3)
			self.assertEqual(measure([queue]), QueueHealth(3, 0))
			self.assertFalse(measure([queue]).behind)

			jobs[0].enqueued_at = utcnow() - timedelta(minutes=MAX_WAIT_MINUTES + 5, seconds=30)
			jobs[0].save()
			health = measure([queue])
			self.assertEqual(health, QueueHealth(3, MAX_WAIT_MINUTES + 5))
			self.assertTrue(health.behind)

			# The site's own figures (its number cards) take in every queue of the site, this one too.
			site_wide = measure()
			self.assertGreaterEqual(site_wide.waiting_jobs, 3)
			self.assertGreaterEqual(site_wide.oldest_wait_minutes, MAX_WAIT_MINUTES + 5)

	def test_the_number_cards_are_the_system_managers(self):
		with private_queue() as queue:
			enqueue_jobs(queue, 4, waited_minutes=MAX_WAIT_MINUTES + 3)
			frappe.set_user(SYSTEM_MANAGER)
			self.assertGreaterEqual(get_waiting_jobs()["value"], 4)
			self.assertGreaterEqual(get_oldest_wait_minutes()["value"], MAX_WAIT_MINUTES + 3)
			for card in ("Background Jobs Waiting", "Oldest Job Wait Minutes"):
				self.assertTrue(frappe.has_permission("Number Card", doc=card))

			frappe.set_user(COMMUNITY_MANAGER)
			for figure in (get_waiting_jobs, get_oldest_wait_minutes):
				with self.assertRaises(frappe.PermissionError):
					figure()
			for card in ("Background Jobs Waiting", "Oldest Job Wait Minutes"):
				self.assertFalse(frappe.has_permission("Number Card", doc=card))

	def test_alert_once_while_behind_and_once_when_caught_up(self):
		with private_queue() as queue:
			enqueue_jobs(queue, MAX_WAITING_JOBS)
			check_queue_health([queue])
			self.assertEqual(alerts(SYSTEM_MANAGER), [], "at the threshold the queue is not behind")

			enqueue_jobs(queue, 1)
			for _ in range(3):
				check_queue_health([queue])
			self.assertEqual(
				alerts(SYSTEM_MANAGER),
				[
					f"后台作业积压：{MAX_WAITING_JOBS + 1} 个作业在排队，最早的已等待 0 分钟"
					f"（超过 {MAX_WAITING_JOBS} 个作业或 {MAX_WAIT_MINUTES} 分钟即提醒）。"
					"请增加后台进程，或查找拖住队列的作业。"
				],
			)
			self.assertIn(frappe.utils.now()[:10], frappe.db.get_global(queue_health.ALERT_SENT))
			self.assertEqual(alerts(COMMUNITY_MANAGER), [], "only System Managers hear of the queue")
			self.assertEqual(len(alerts("Administrator")), 1)

			queue.empty()
			for _ in range(2):
				check_queue_health([queue])
			self.assertEqual(len(alerts(SYSTEM_MANAGER)), 2)
			self.assertEqual(
				alerts(SYSTEM_MANAGER)[-1], "后台作业已恢复正常：0 个作业在排队，最早的已等待 0 分钟。"
			)
			self.assertFalse(frappe.db.get_global(queue_health.ALERT_SENT))

			# A few jobs, but one waiting too long: behind again, and told again.
			enqueue_jobs(queue, 2, waited_minutes=MAX_WAIT_MINUTES + 1)
			check_queue_health([queue])
			check_queue_health([queue])
			self.assertEqual(len(alerts(SYSTEM_MANAGER)), 3)
			self.assertIn(
				f"2 个作业在排队，最早的已等待 {MAX_WAIT_MINUTES + 1} 分钟", alerts(SYSTEM_MANAGER)[-1]
			)

	def test_the_check_is_scheduled(self):
		self.assertTrue(
			frappe.db.exists(
				"Scheduled Job Type", {"method": "wangge_app.queue_health.check_queue_health", "stopped": 0}
			)
		)
