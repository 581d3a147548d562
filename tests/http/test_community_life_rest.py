"""Community life over REST on the served site: what a grid worker reads of community activities and
sign-ups, what they may not do to another grid's residents, and two users saving at the same moment
(two bookings of one slot, two sign-ups for the last place): exactly one wins."""

import datetime
import json
import threading

import frappe
import pytest
from frappe.model.naming import make_autoname

from tests.http.two_grids import random_id_number, text
from tests.site_session import log_in
from wangge_app.community_life.test_utils import make_community_activity, make_space, sign_up
from wangge_app.test_utils import make_community_tree, make_grid, make_household, make_resident, make_user
from wangge_app.volunteer.test_utils import make_party_member, make_work_unit

PASSWORD = "Wangge-Life-2026"
WORKER = "life-rest-worker@example.com"
MANAGERS = ("life-rest-manager-1@example.com", "life-rest-manager-2@example.com")
START = datetime.datetime(2027, 9, 14, 9, 30)


@pytest.fixture(scope="module")
def life(base_url):
	frappe.set_user("Administrator")
	make_user(WORKER, ["Grid Worker"], new_password=PASSWORD)
	for manager in MANAGERS:
		make_user(manager, ["Community Manager"], new_password=PASSWORD)
	community, grid_a, _micro = make_community_tree(workers=[WORKER])
	grid_b = make_grid("Grid", community.name)
	residents = {}
	for key, grid, name in (
		("a", grid_a, "甲网格居民"),
		("a2", grid_a, "甲网格居民二"),
		("b", grid_b, "乙网格居民"),
	):
		household = make_household(grid.name)
		residents[key] = make_resident(household.name, full_name=name, id_number=random_id_number())
	member_b = make_party_member(make_work_unit().name, full_name="乙网格志愿党员", grid=grid_b.name)
	space = make_space(community=community.name)
	activity = make_community_activity(
		START,
		community=community.name,
		title="社区象棋比赛",
		capacity=10,
		points_per_volunteer=1,
		volunteers=[{"member": member_b.name, "task": "裁判"}],
	)
	last_place = make_community_activity(
		START + datetime.timedelta(days=1),
		community=community.name,
		title="最后一个名额",
		capacity=1,
		waiting_list=0,
	)
	sign_ups = {key: sign_up(activity.name, residents[key].name).name for key in ("a", "b")}
	make_autoname("AS-.YYYY.-.#####")
	make_autoname("SB-.YYYY.-.#####")
	frappe.db.commit()
	data = frappe._dict(
		base_url=base_url,
		worker=log_in(base_url, WORKER, PASSWORD),
		managers=[log_in(base_url, manager, PASSWORD) for manager in MANAGERS],
		residents=residents,
		member_b=member_b,
		space=space.name,
		activity=activity.name,
		last_place=last_place.name,
		sign_ups=sign_ups,
	)
	yield data
	frappe.db.rollback()
	activities = [activity.name, last_place.name]
	frappe.db.delete("Activity Sign-up", {"activity": ("in", activities)})
	frappe.db.delete("Community Activity Volunteer", {"parent": ("in", activities)})
	frappe.db.delete("Community Activity", {"name": ("in", activities)})
	bookings = frappe.get_all("Space Booking", {"space": space.name}, pluck="name")
	frappe.db.delete("Space Booking Occurrence", {"parent": ("in", bookings or [""])})
	frappe.db.delete("Space Booking", {"space": space.name})
	frappe.db.delete("Community Space", {"name": space.name})
	frappe.db.delete("In-service Party Member", {"name": member_b.name})
	for resident in residents.values():
		frappe.db.delete("Resident", {"name": resident.name})
		frappe.db.delete("Household", {"name": resident.household})
	frappe.db.commit()


def post(session, base_url, method, **params):
	data = {
		key: json.dumps(value) if isinstance(value, list | dict) else value for key, value in params.items()
	}
	return session.post(f"{base_url}/api/method/{method}", data=data, timeout=60)


def test_a_grid_worker_reads_the_activity_without_its_volunteers(life):
	response = life.worker.get(f"{life.base_url}/api/resource/Community Activity/{life.activity}", timeout=60)
	assert response.status_code == 200, response.text[:300]
	data = response.json()["data"]
	assert data["title"] == "社区象棋比赛"
	# Fields the user may not read come back empty.
	assert not data.get("volunteers") and not data.get("points_per_volunteer"), data
	assert "乙网格志愿党员" not in response.text and life.member_b.name not in response.text
	rows = life.worker.get(
		f"{life.base_url}/api/resource/Community Activity Volunteer",
		params={"parent": "Community Activity", "fields": json.dumps(["*"])},
		timeout=60,
	)
	assert rows.status_code < 500, rows.text[:300]
	assert life.member_b.name not in rows.text and "乙网格志愿党员" not in rows.text
	refused = life.worker.get(
		f"{life.base_url}/api/resource/Community Activity Volunteer",
		params={"parent": "Community Activity", "fields": json.dumps(["member", "member_name"])},
		timeout=60,
	)
	assert life.member_b.name not in refused.text and "乙网格志愿党员" not in refused.text


def test_a_grid_worker_sees_the_sign_ups_of_their_grids_only(life):
	response = life.worker.get(
		f"{life.base_url}/api/resource/Activity Sign-up",
		params={
			"filters": json.dumps({"activity": life.activity}),
			"fields": json.dumps(["name", "resident_name"]),
		},
		timeout=60,
	)
	assert response.status_code == 200, response.text[:300]
	assert [row["name"] for row in response.json()["data"]] == [life.sign_ups["a"]]
	assert "乙网格居民" not in response.text


def test_a_grid_worker_cannot_act_for_another_grids_resident(life):
	count = frappe.db.count("Activity Sign-up")
	response = life.worker.post(
		f"{life.base_url}/api/resource/Activity Sign-up",
		json={"activity": life.last_place, "resident": life.residents["b"].name},
		timeout=60,
	)
	assert response.status_code == 403, response.text[:300]
	frappe.db.rollback()
	assert frappe.db.count("Activity Sign-up") == count
	cancel = post(
		life.worker,
		life.base_url,
		"wangge_app.community_life.sign_ups.cancel_sign_up",
		sign_up=life.sign_ups["b"],
	)
	assert cancel.status_code == 403, cancel.text[:300]
	check_in = post(
		life.worker,
		life.base_url,
		"wangge_app.community_life.sign_ups.check_in",
		activity=life.activity,
		resident=life.residents["b"].name,
	)
	assert check_in.status_code in (403, 417), check_in.text[:300]
	assert "乙网格居民" not in text(check_in)
	frappe.db.rollback()
	assert frappe.db.get_value("Activity Sign-up", life.sign_ups["b"], ["status", "checked_in"]) == (
		"Signed Up",
		0,
	)


def at_once(calls) -> list:
	"""Run the calls in threads released together; their responses in call order."""
	barrier = threading.Barrier(len(calls))
	responses = [None] * len(calls)

	def run(index, call):
		barrier.wait(timeout=30)
		responses[index] = call()

	threads = [threading.Thread(target=run, args=(index, call)) for index, call in enumerate(calls)]
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join(timeout=120)
	frappe.db.rollback()  # a fresh snapshot, to read what the server committed
	return responses


def test_two_users_signing_up_for_the_last_place_at_once(life):
	url = f"{life.base_url}/api/resource/Activity Sign-up"
	responses = at_once(
		[
			lambda: life.worker.post(
				url, json={"activity": life.last_place, "resident": life.residents["a"].name}, timeout=60
			),
			lambda: life.managers[0].post(
				url, json={"activity": life.last_place, "resident": life.residents["b"].name}, timeout=60
			),
		]
	)
	assert sorted(response.status_code for response in responses) == [200, 417], [
		r.text[:200] for r in responses
	]
	refused = next(response for response in responses if response.status_code == 417)
	assert "is full" in text(refused)
	assert frappe.db.count("Activity Sign-up", {"activity": life.last_place}) == 1


def test_two_users_booking_one_slot_at_once(life):
	url = f"{life.base_url}/api/resource/Space Booking"
	day = START.date() + datetime.timedelta(days=7)

	def booking(purpose, start_hour):
		return {
			"space": life.space,
			"purpose": purpose,
			"booked_for": "Community Staff",
			"start_time": f"{day} {start_hour}:00:00",
			"end_time": f"{day} {start_hour + 2}:00:00",
		}

	responses = at_once(
		[
			lambda: life.managers[0].post(url, json=booking("党员大会", 14), timeout=60),
			lambda: life.managers[1].post(url, json=booking("健康讲座", 15), timeout=60),
		]
	)
	assert sorted(response.status_code for response in responses) == [200, 417], [
		r.text[:200] for r in responses
	]
	assert "already booked" in text(next(r for r in responses if r.status_code == 417))
	assert frappe.db.count("Space Booking", {"space": life.space}) == 1
