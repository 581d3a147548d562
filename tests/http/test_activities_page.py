"""The public activity page /activities on the served site, as a guest: upcoming activities in Chinese
and in Tibetan, and nothing personal (no resident who signed up, no volunteer, no phone or ID number)."""

import datetime

import frappe
import pytest
import requests
from frappe.utils import now_datetime

from tests.http.two_grids import random_id_number
from wangge_app.community_life.doctype.community_activity.community_activity import call_off
from wangge_app.community_life.test_utils import make_community_activity, make_space, sign_up
from wangge_app.test_utils import make_community_tree, make_household, make_resident, unique_code
from wangge_app.volunteer.test_utils import make_party_member, make_work_unit

TIBETAN_TITLE = "རྒན་འཁོགས་ཀྱི་གནམ་གཤིས་སྐྱོང་ཐབས།"


@pytest.fixture(scope="module")
def activities(base_url):
	frappe.set_user("Administrator")
	community, grid, _micro = make_community_tree()
	household = make_household(grid.name, phone="13908931234")
	resident = make_resident(
		household.name, full_name="页面测试居民", mobile="13908935678", id_number=random_id_number()
	)
	member = make_party_member(make_work_unit().name, full_name="页面测试党员", grid=grid.name)
	space = make_space(unique_code("阅览室"), capacity=30, community=community.name)
	soon = (now_datetime() + datetime.timedelta(days=3)).replace(hour=15, minute=0, second=0, microsecond=0)
	upcoming = make_community_activity(
		soon,
		title=unique_code("老年人冬季养生讲座"),
		title_bo=TIBETAN_TITLE,
		space=space.name,
		capacity=20,
		target_group="Elderly",
		organiser="社区卫生服务站",
		points_per_volunteer=1,
		volunteers=[{"member": member.name, "task": "签到"}],
	)
	held = sign_up(upcoming.name, resident.name)
	hostile = make_community_activity(
		soon + datetime.timedelta(days=1), title="<script>alert('activity')</script>", capacity=0
	)
	past = make_community_activity(soon - datetime.timedelta(days=30), title=unique_code("已结束的活动"))
	called_off = make_community_activity(soon + datetime.timedelta(days=2), title=unique_code("已取消的活动"))
	call_off(called_off.name)
	frappe.db.commit()
	data = frappe._dict(
		base_url=base_url,
		community=community.name,
		upcoming=upcoming,
		hostile=hostile,
		past=past,
		called_off=called_off,
		space=space.name,
		resident=resident,
		member=member,
		sign_up=held.name,
		personal=[
			resident.full_name,
			resident.name,
			resident.id_number,
			resident.mobile,
			"13908931234",
			member.full_name,
			member.name,
			member.mobile,
			held.name,
			household.name,
		],
	)
	yield data
	frappe.db.rollback()
	activities = [upcoming.name, hostile.name, past.name, called_off.name]
	frappe.db.delete("Activity Sign-up", {"activity": ("in", activities)})
	frappe.db.delete("Space Booking Occurrence", {"parent": upcoming.space_booking})
	frappe.db.delete("Space Booking", {"community_activity": ("in", activities)})
	frappe.db.delete("Community Activity Volunteer", {"parent": ("in", activities)})
	frappe.db.delete("Community Activity", {"name": ("in", activities)})
	frappe.db.delete("Community Space", {"name": space.name})
	frappe.db.delete("In-service Party Member", {"name": member.name})
	frappe.db.delete("Resident", {"name": resident.name})
	frappe.db.delete("Household", {"name": household.name})
	frappe.db.commit()


def page(data, **params):
	response = requests.get(f"{data.base_url}/activities", params=params, timeout=60)
	assert response.status_code == 200, response.text[:500]
	return response.text


def test_guests_see_upcoming_activities_in_chinese(activities):
	html = page(activities)
	assert "社区活动" in html
	assert activities.upcoming.title in html
	assert activities.space in html
	assert "社区卫生服务站" in html
	assert "剩余 19 个名额" in html
	assert "面向" in html
	assert activities.past.title not in html
	assert activities.called_off.title not in html


def test_the_tibetan_page(activities):
	html = page(activities, lang="bo")
	assert 'lang="bo"' in html
	assert "སྡོད་ཁུལ་གྱི་བྱ་འགུལ།" in html
	assert TIBETAN_TITLE in html
	assert "རྒན་འཁོགས།" in html  # for the elderly
	assert "མི་གྲངས་ 19 ལྷག་ཡོད།" in html
	assert activities.upcoming.title not in html  # the Tibetan title replaces the Chinese one
	assert "社区活动" not in html


@pytest.mark.parametrize("lang", ["zh", "bo"])
def test_no_personal_data(activities, lang):
	html = page(activities, lang=lang)
	for secret in activities.personal:
		assert secret and secret not in html, f"/activities shows {secret}"


def test_values_are_escaped_and_an_unknown_language_falls_back_to_chinese(activities):
	html = page(activities, lang="<img src=x onerror=alert(1)>")
	# Frappe stores the title's markup as entities; the page escapes them once more.
	assert "<script>alert(" not in html
	assert "&amp;lt;script&amp;gt;alert(" in html
	assert "onerror=alert(1)" not in html
	assert "社区活动" in html


def test_one_communitys_activities(activities):
	"""On a district's site the noticeboard of one community shows that community's activities only."""
	html = page(activities, community=activities.community)
	assert activities.upcoming.title in html
	# The hostile activity is another community's (the tests'), on the page of every community only.
	assert html.count('<li class="activity">') == 1
	assert page(activities).count('<li class="activity">') >= 2
	assert frappe.db.get_value("Grid", activities.community, "grid_name") in html
	assert f"community={activities.community}" in html  # the language links keep the community
	# Anything but a community shows every community's.
	assert activities.upcoming.title in page(activities, community="<b>")
