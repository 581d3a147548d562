# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""Sample data for a demonstration site: the fictional 幸福社区 of 城关区, Lhasa.

Run it once on a freshly created site with the app installed:

	bench --site SITE execute wangge_app.demo.make_demo

(`make demo` does this on the site wangge.localhost and then serves it.) Everything it
creates is synthetic: names, ID numbers and mobile numbers belong to nobody.

Logins (all demo users share the password DEMO_PASSWORD, "demo123"; Administrator keeps the
password given when the site was created, "admin" in the dev harness):

- admin@xingfu.example: System Manager (the site's administrator, beside Administrator)
- manager@xingfu.example: Community Manager only (customises forms and workflows too)
- gridworker1@xingfu.example … gridworker5@xingfu.example: full-time Grid Worker of 第一 … 第五网格
- gridworker1-1@xingfu.example …: part-time Grid Worker of one micro-grid
- partysecretary@xingfu.example: Grid Party Branch Secretary; partycommittee@xingfu.example:
  Community Party Committee
- mediator@xingfu.example: Community Mediator (dispute cases of the whole community)
- district@xingfu.example: District Manager of 城关区 (above 八廓街道 and the community): every
  community's figures and records, personal data masked
- merchant@xingfu.example: Partner Merchant (website user, no desk access) of 拉萨康宁健康体检中心;
  merchant02@ … merchant25@xingfu.example act for the other partner merchants

Each capability adds its own module with a generator taking the shared PersonFactory, and
appends it to GENERATORS: they run in that order, so earlier data never changes when a later
generator is added.
"""

import frappe
from frappe import _
from frappe.utils import getdate

from wangge_app import roles
from wangge_app.demo.synthetic import PersonFactory
from wangge_app.site_setup import mark_setup_complete

DEMO_SEED = 20260101
DEMO_PASSWORD = "demo123"
EMAIL_DOMAIN = "xingfu.example"
ADMIN_FULL_NAME = "系统管理员"

LANGUAGE = "zh"
TIME_ZONE = "Asia/Shanghai"
COUNTRY = "China"
CURRENCY = "CNY"

# One generator per capability, called in this order with the shared PersonFactory.
GENERATORS = [
	"wangge_app.demo.grid.make_sample_community",
	"wangge_app.demo.departments.make_partner_departments",
	"wangge_app.demo.party_building.make_sample_party_building",
	"wangge_app.demo.volunteer.make_volunteer_service",
	"wangge_app.demo.mediation.make_sample_disputes",
	"wangge_app.demo.redemption.make_points_redemption",
	"wangge_app.demo.resident_services.make_sample_resident_services",
	"wangge_app.demo.community_life.make_community_life",
	"wangge_app.demo.safety.make_sample_safety",
	"wangge_app.demo.district.make_district",
]


def make_demo(seed: int = DEMO_SEED) -> dict:
	"""Fill a fresh site with the sample community, committing after each capability: until a commit
	Frappe keeps a realtime message per saved document and compares each new one with all it keeps,
	so one transaction for the whole demo took time quadratic in its size. A demo that fails halfway
	is rebuilt on a fresh site, as the check below asks."""
	from wangge_app.demo.grid import COMMUNITY_CODE

	if frappe.db.exists("Grid", COMMUNITY_CODE):
		frappe.throw(
			_("This site already has the sample community {0}: create a fresh site for the demo.").format(
				frappe.bold(COMMUNITY_CODE)
			)
		)

	frappe.flags.mute_emails = True
	complete_setup()
	# Ages and the flags derived from them are computed on the site's date.
	factory = PersonFactory(seed, getdate())

	summary = {"users": make_demo_users(factory)}
	for generator in GENERATORS:
		summary[generator.rsplit(".", 1)[-1]] = frappe.get_attr(generator)(factory)
		frappe.db.commit()
	return summary


def complete_setup() -> None:
	"""Do what the setup wizard would, so that the desk opens on the workspace and in Chinese."""
	settings = frappe.get_single("System Settings")
	settings.update(
		{
			"language": LANGUAGE,
			"time_zone": TIME_ZONE,
			"country": COUNTRY,
			"date_format": frappe.db.get_value("Country", COUNTRY, "date_format") or "yyyy-mm-dd",
			"time_format": "HH:mm",
			"number_format": "#,###.##",
			"first_day_of_the_week": "Monday",
			"float_precision": "3",
			"rounding_method": "Banker's Rounding",
		}
	)
	settings.save()
	frappe.db.set_default("currency", CURRENCY)
	mark_setup_complete()
	# Administrator and Guest were created with the time zone the site had at install.
	for name in frappe.get_all("User", {"time_zone": ("!=", TIME_ZONE)}, pluck="name"):
		user = frappe.get_doc("User", name)
		user.time_zone = TIME_ZONE
		user.save()
	frappe.clear_cache()


def demo_email(local_part: str) -> str:
	return f"{local_part}@{EMAIL_DOMAIN}"


def make_user(email: str, full_name: str, roles: list[str], mobile: str | None = None, **fields):
	"""A demo user with the demo password; the full name is a Chinese name, kept whole in first_name."""
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": email,
			"username": email.split("@")[0],
			"first_name": full_name,
			"mobile_no": mobile,
			"send_welcome_email": 0,
			"new_password": DEMO_PASSWORD,
			"roles": [{"role": role} for role in roles],
			**fields,
		}
	)
	# The site's password policy would refuse the easy-to-type demo password.
	user.flags.ignore_password_policy = True
	return user.insert()


def make_demo_users(factory: PersonFactory) -> list[str]:
	"""Users that belong to no single capability; grid workers come with their grids."""
	manager = factory.person(min_age=35, max_age=52)
	merchant = factory.person(min_age=30, max_age=55)
	users = [
		# First: Frappe makes the first user of a set-up site a System Manager unless another one exists,
		# and the community manager works, as on a real site, with Community Manager alone.
		make_user(demo_email("admin"), ADMIN_FULL_NAME, [roles.SYSTEM_MANAGER]),
		make_user(demo_email("manager"), manager.full_name, [roles.COMMUNITY_MANAGER], manager.mobile),
		make_user(
			demo_email("merchant"),
			merchant.full_name,
			[roles.PARTNER_MERCHANT],
			merchant.mobile,
			user_type="Website User",
		),
	]
	return [user.name for user in users]
