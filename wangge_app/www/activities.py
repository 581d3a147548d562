# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""/activities: the community's upcoming activities, in Chinese (default) or Tibetan (?lang=bo), for
the noticeboard screen and residents' phones; on a district's site ?community=<its grid> shows one
community's. Open to guests, so it shows what a notice would and nothing personal: no sign-ups,
volunteers or names of residents."""

import frappe
from frappe import _
from frappe.utils import cint, format_datetime, now_datetime

no_cache = 1
LANGUAGES = ("zh", "bo")
MAX_ACTIVITIES = 60
# The only fields of an activity the page reads.
PUBLIC_FIELDS = (
	"name",
	"title",
	"title_bo",
	"series",
	"target_group",
	"start_time",
	"end_time",
	"space",
	"place",
	"organiser",
	"capacity",
	"waiting_list",
	"signed_up_count",
	"waiting_count",
)


def get_context(context):
	lang = frappe.form_dict.get("lang")
	lang = lang if lang in LANGUAGES else "zh"
	context.no_breadcrumbs = True
	context.page_lang = lang
	context.labels = labels(lang)
	context.community = chosen_community()
	context.title = context.labels["title"]
	if context.community:
		context.community_name = frappe.db.get_value("Grid", context.community, "grid_name")
	context.activities = [public_activity(row, lang) for row in upcoming_activities(context.community)]
	return context


def chosen_community() -> str | None:
	"""The community asked for, if it is one (anything else shows every community's activities)."""
	community = frappe.form_dict.get("community")
	if isinstance(community, str) and frappe.db.get_value("Grid", community, "grid_level") == "Community":
		return community
	return None


def labels(lang: str) -> dict:
	return {
		"title": _("Community Activities", lang=lang),
		"subtitle": _("Upcoming activities of the community. Sign up with your grid worker.", lang=lang),
		"time": _("Time", lang=lang),
		"place": _("Place", lang=lang),
		"for": _("For", lang=lang),
		"series": _("Activity Series", lang=lang),
		"organiser": _("Organiser", lang=lang),
		"places": _("Places", lang=lang),
		"places_left": _("{0} places left", lang=lang),
		"full": _("Full", lang=lang),
		"waiting_list": _("Full, waiting list open", lang=lang),
		"no_limit": _("Open to all", lang=lang),
		"none": _("No upcoming activities.", lang=lang),
	}


def upcoming_activities(community: str | None = None) -> list:
	filters = {"docstatus": 0, "status": "Planned", "end_time": (">=", now_datetime())}
	if community:
		filters["community"] = community
	return frappe.get_all(
		"Community Activity",
		filters=filters,
		fields=list(PUBLIC_FIELDS),
		order_by="start_time asc",
		limit_page_length=MAX_ACTIVITIES,
	)


def public_activity(row, lang: str) -> dict:
	capacity = cint(row.capacity)
	# Free places are offered to waiting residents at once: while anyone waits, none is left.
	left = max(capacity - cint(row.signed_up_count), 0) if capacity else None
	if left and cint(row.waiting_count):
		left = 0
	text = labels(lang)
	if left is None:
		places = text["no_limit"]
	elif left:
		places = text["places_left"].format(left)
	else:
		places = text["waiting_list"] if row.waiting_list else text["full"]
	return {
		"title": (row.title_bo if lang == "bo" and row.title_bo else row.title),
		"series": row.series,
		"target_group": _(row.target_group, lang=lang),
		"time": f"{format_datetime(row.start_time, 'yyyy-MM-dd HH:mm')}–{format_datetime(row.end_time, 'HH:mm')}",
		"place": row.space or row.place or "",
		"organiser": row.organiser,
		"places": places,
		"full": left == 0,
	}
