# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""A PDF made without its stylesheet is logged.

wkhtmltopdf loads the print stylesheet from the site's own address (host_name) and, run quietly as
Frappe runs it, makes the PDF without it when the address does not answer: layout lost, and nothing
said. The app's prints hide the print view's links themselves (templates/print/cjk_font.html), but the
administrator must still learn that the address is wrong. So while a print is rendered, the address
the renderer will fetch is tried (once in a few minutes per site), and a failure is written to the
Error Log. Frappe's `pdf_body_html` hook is the print body's rendering: this one tries the address and
then renders as the hook before it did.
"""

import frappe
import requests
from frappe.utils import get_url
from frappe.utils.jinja_globals import bundled_asset

THIS_HOOK = "wangge_app.utils.print_stylesheet.pdf_body_html"
PRINT_STYLESHEET = "print.bundle.css"
TRIED_KEY = "wangge_print_stylesheet_tried"
# How long one answer stands: a broken address is logged once in this time, not on every print.
TRIED_FOR_SECONDS = 300
TIMEOUT_SECONDS = 5
ERROR_TITLE = "Print stylesheet unreachable"


def pdf_body_html(template, args, **kwargs):
	check_print_stylesheet_reachable()
	earlier_hooks = [hook for hook in frappe.get_hooks("pdf_body_html") if hook != THIS_HOOK]
	return frappe.get_attr(earlier_hooks[-1])(template=template, args=args, **kwargs)


def print_stylesheet_url() -> str:
	"""The address wkhtmltopdf loads the print stylesheet from (Frappe expands it with get_url)."""
	return get_url(bundled_asset(PRINT_STYLESHEET))


def check_print_stylesheet_reachable() -> bool:
	"""Try the stylesheet's address unless tried lately; log an error when it does not answer."""
	# expires=True: read Redis, not the request's copy, which keeps a key's absence for the request.
	tried = frappe.cache.get_value(TRIED_KEY, expires=True)
	if tried is not None:
		return bool(tried)
	url = print_stylesheet_url()
	try:
		response = requests.get(url, timeout=TIMEOUT_SECONDS)
		problem = None if response.ok else f"HTTP {response.status_code}"
	except requests.RequestException as error:
		problem = f"{type(error).__name__}: {error}"
	reachable = problem is None
	frappe.cache.set_value(TRIED_KEY, int(reachable), expires_in_sec=TRIED_FOR_SECONDS)
	if not reachable:
		frappe.log_error(
			title=ERROR_TITLE,
			message=(
				f"The PDF renderer loads the print stylesheet from {url}, which did not answer ({problem}). "
				"PDFs are made without it until the site's host_name (bench set-config host_name) names "
				"an address this server reaches."
			),
		)
	return reachable
