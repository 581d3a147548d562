"""Workflows, their states and actions, and the stock station services were fixtures, re-imported on
every migrate; now they are install data. Sites installed before have them all: this creates only
what is missing and changes nothing a manager has set."""

from wangge_app.party_building.install import make_standard_station_services
from wangge_app.workflows import make_workflows


def execute():
	make_workflows()
	make_standard_station_services()
