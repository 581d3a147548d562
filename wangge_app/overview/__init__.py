# Copyright (c) 2026, wangge_app contributors
# For license information, please see license.txt

"""The figures of the seven areas (七在网格) and of a grid worker's day.

- `indicators`: the declarations, one per indicator and trend, with the pages (scopes of roles) they
  show on; `figures`: the figures that are not counts;
- `cards`: the Number Card an indicator makes; `sync`: the cards, charts and workspaces made from the
  declarations on install and migrate;
- `compute`: the figures and trends as each viewer sees them, a page's figures in one request.

The endpoints keep the paths that sites store and the desk calls: Number Cards name
`wangge_app.overview.get_figure`, the chart source `wangge_app.overview.get_trend`, the role pages
`wangge_app.overview.get_figures`.
"""

from wangge_app.overview.cards import FIGURE_METHOD, number_card
from wangge_app.overview.compute import get_figure, get_figures, get_trend
from wangge_app.overview.indicators import (
	INDICATORS,
	MY_GRID,
	OVERVIEW,
	OVERVIEW_REPORTS,
	REPORTS_CARD,
	TRENDS,
	Indicator,
	Trend,
	indicator,
	trend_of,
)
from wangge_app.overview.sync import dashboard_chart, sync_overview, sync_workspace

__all__ = [
	"FIGURE_METHOD",
	"INDICATORS",
	"MY_GRID",
	"OVERVIEW",
	"OVERVIEW_REPORTS",
	"REPORTS_CARD",
	"TRENDS",
	"Indicator",
	"Trend",
	"dashboard_chart",
	"get_figure",
	"get_figures",
	"get_trend",
	"indicator",
	"number_card",
	"sync_overview",
	"sync_workspace",
	"trend_of",
]
