"""Community grid governance (网格化治理) for Frappe."""

__version__ = "0.1.0"

# Close a gap in the engine's field-level read check of list queries (see the module).
from wangge_app.utils import fieldlevel as _fieldlevel

_fieldlevel.install()
