"""The Qt window of Crosscheck: widgets, models and actions over desktop.core."""

from desktop.ui import pyside_import

pyside_import.install()  # before the window's modules are imported (see the module)
