"""Builders for the tests of residents' requests and assisted services."""

import datetime
import random

import frappe
from frappe.utils import add_to_date, now_datetime

from wangge_app import workflows as wf
from wangge_app.test_utils import apply_workflow_as
from wangge_app.utils.identity import id_check_character


def random_id_number(born: datetime.date | None = None) -> str:
	"""A valid ID number unlikely to collide with other tests' records, committed ones included."""
	born = born or datetime.date(1940, 1, 1) + datetime.timedelta(days=random.randrange(25000))
	first17 = f"540102{born:%Y%m%d}{random.randrange(1000):03d}"
	return first17 + id_check_character(first17)


def make_request(grid: str | None = None, **fields):
	return frappe.get_doc(
		{
			"doctype": "Resident Request",
			"subject": fields.pop("subject", "楼道灯坏了"),
			"grid": grid,
			"channel": fields.pop("channel", "Contact Card Call"),
			"category": fields.pop("category", "Public Facilities"),
			"received_at": fields.pop("received_at", None) or add_to_date(now_datetime(), hours=-1),
			"description": fields.pop("description", "3栋2单元楼道灯坏了一个星期，晚上老人上下楼看不见。"),
			**fields,
		}
	).insert()


def add_follow_up(request, user: str, satisfaction: str = "Satisfied", **fields):
	caller = frappe.session.user
	frappe.set_user(user)
	try:
		doc = frappe.get_doc("Resident Request", request.name)
		doc.append(
			"follow_ups",
			{
				"follow_up_date": frappe.utils.today(),
				"reached": 1,
				"contacted": 1,
				"resolved": int(satisfaction != "Not Satisfied"),
				"satisfaction": satisfaction,
				**fields,
			},
		)
		doc.save()
		return doc
	finally:
		frappe.set_user(caller)


def resolve_in_grid(request, user: str, level: str = "In the Grid"):
	"""Take a new request through contact, visit and coordination to its resolution."""
	apply_workflow_as(user, request, wf.CONTACT_RESIDENT)
	apply_workflow_as(user, request, wf.RECORD_VISIT)
	apply_workflow_as(user, request, wf.START_COORDINATING, handling_level=level)
	return apply_workflow_as(user, request, wf.RESOLVE_REQUEST, resolution="物业当天更换了灯泡。")


def close_request(request, user: str, satisfaction: str = "Satisfied"):
	"""Follow up a resolved request and close it."""
	add_follow_up(request, user, satisfaction)
	apply_workflow_as(user, request, wf.COMPLETE_FOLLOW_UP)
	return apply_workflow_as(user, request, wf.CLOSE_REQUEST)


def start_assisted_service(resident: str, worker: str):
	"""An elder's pension certification done at home by `worker`: authorised and started."""
	from wangge_app.test_utils import apply_workflow_as

	service = frappe.get_doc(
		{
			"doctype": "Assisted Service Request",
			"resident": resident,
			"service_type": "Pension Eligibility Certification",
			"mode": "At Home",
			"authoriser_name": "格桑老人",
			"authoriser_id_number": random_id_number(),
			"authorisation_scope": "代为办理养老金资格认证",
			"authorised_on": frappe.utils.getdate(),
		}
	).insert()
	service = apply_workflow_as(worker, service, wf.RECORD_AUTHORISATION)
	return apply_workflow_as(worker, service, wf.START_SERVICE)
