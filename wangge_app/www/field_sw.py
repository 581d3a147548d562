# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""/field-sw.js, the field app's service worker (the template beside this module). Rendered on every
request, not from the website cache: its cache name carries the build version, which must follow the
app's updates at once."""

no_cache = 1
