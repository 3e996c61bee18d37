"""Preferences: the analyst's name, the organisation named in exports, the theme.

The analyst's name is what audit rows and judgements carry on a SQLite
workspace (on PostgreSQL the database login is the analyst, and the field says
so). Saved in the settings file (``desktop.core.preferences``), where the
command line reads the same values.
"""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

from desktop.core import preferences as prefs
from desktop.core.validate import check_text
from desktop.ui.dialogs._base import FormDialog
from desktop.ui.settings import app_settings

THEME_LABELS = {"system": "As the system", "light": "Light", "dark": "Dark"}


class PreferencesDialog(FormDialog):
    def __init__(self, *, analyst_from_login: bool, parent: QWidget | None = None) -> None:
        super().__init__("Preferences", parent, ok_text="Save")
        current = prefs.read_preferences(prefs.settings_path())
        self.analyst = QLineEdit(current.analyst)
        self.analyst.setObjectName("analyst")
        self.analyst.setPlaceholderText("your login name is used when this is empty")
        self.organisation = QLineEdit(current.organisation)
        self.organisation.setObjectName("organisation")
        self.organisation.setPlaceholderText("the newsroom or team your exports name as their author")
        self.theme = QComboBox()
        self.theme.setObjectName("theme")
        for key, label in THEME_LABELS.items():
            self.theme.addItem(label, key)
        self.theme.setCurrentIndex(list(THEME_LABELS).index(current.theme))
        self.form.addRow("&Analyst name:", self.analyst)
        if analyst_from_login:
            self.analyst.setEnabled(False)
            note = QLabel("This workspace is on PostgreSQL: the analyst is your database login.")
            note.setWordWrap(True)
            self.form.addRow("", note)
        self.form.addRow("&Organisation:", self.organisation)
        self.form.addRow("&Theme:", self.theme)
        self.resize(520, self.sizeHint().height())
        self.analyst.setFocus()

    def values(self) -> prefs.Preferences:
        return prefs.Preferences(
            " ".join(self.analyst.text().split()),
            " ".join(self.organisation.text().split()),
            str(self.theme.currentData()),
        )

    def apply(self) -> bool:
        chosen = self.values()
        for label, value in (("analyst name", chosen.analyst), ("organisation", chosen.organisation)):
            problem = check_text(value, limit=200, multiline=False)
            if problem:
                self.show_problem(f"The {label} {problem}.")
                return False
        settings = app_settings()
        settings.setValue(prefs.ANALYST, chosen.analyst)
        settings.setValue(prefs.ORGANISATION, chosen.organisation)
        settings.setValue(prefs.THEME, chosen.theme)
        settings.sync()
        return True
