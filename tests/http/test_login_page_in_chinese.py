"""Issue 22, item 4: the login page a Chinese browser opens is in Chinese, and names the app."""

import re

import requests

COMMENT = re.compile(r"<!--.*?-->", re.S)


def test_the_login_page_is_in_chinese(base_url):
	page = requests.get(
		base_url + "/login",
		headers={"Accept": "text/html", "Accept-Language": "zh-CN,zh;q=0.9"},
		timeout=60,
	)
	assert page.status_code == 200
	shown = COMMENT.sub("", page.text)
	assert "登录网格化治理" in shown
	# Frappe's own Chinese called the framework a frappé (果汁刨冰).
	for english in ("Login to", "Login with Email Link", "Built on", "果汁刨冰"):
		assert english not in shown, english
