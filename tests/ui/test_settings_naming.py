"""Settings and data follow one naming (lower-case ``crosscheck``); the old settings file moves once;
the window identifies itself to the desktop (desktop file name, icon)."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QApplication

from desktop.core import db
from desktop.core.preferences import ANALYST, ORGANISATION, Preferences, read_preferences, settings_path
from desktop.core.workspace import default_analyst
from desktop.resources import APP_ID
from desktop.ui import app
from desktop.ui.settings import app_settings, migrate_old_settings


def test_settings_data_and_log_share_one_name(tmp_path: Path) -> None:
    from desktop import logs

    assert settings_path().parent.name == "crosscheck" and settings_path().name == "crosscheck.ini"
    assert db.default_workspace_path().parent.name == "crosscheck"
    assert logs.log_folder().parent.name == "crosscheck"
    assert Path(app_settings().fileName()) == settings_path()


def test_the_old_settings_file_moves_to_the_new_name_once() -> None:
    old = Path(QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, "Crosscheck", "Crosscheck").fileName())
    old.parent.mkdir(parents=True, exist_ok=True)
    old.write_text("[window]\nfilter=status:contested\n", encoding="utf-8")
    assert migrate_old_settings() == old
    assert not old.exists() and not old.parent.exists()
    assert app_settings().value("window/filter") == "status:contested"
    old.parent.mkdir()
    old.write_text("[window]\nfilter=stale\n", encoding="utf-8")
    assert migrate_old_settings() is None  # the new file wins; the old one is left alone
    assert app_settings().value("window/filter") == "status:contested"


def test_the_core_reads_the_preferences_the_window_wrote(qapp: QApplication) -> None:
    settings = app_settings()
    settings.setValue(ANALYST, "Анна, OSINT desk")
    settings.setValue(ORGANISATION, 'Verification "Desk"')
    settings.sync()
    assert read_preferences() == Preferences("Анна, OSINT desk", 'Verification "Desk"', "system")


def test_the_analyst_name_comes_from_the_preferences_then_the_environment_then_the_login(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert default_analyst() == "tester"  # no name in the preferences: CROSSCHECK_ANALYST (the test session's)
    settings = app_settings()
    settings.setValue(ANALYST, "anna")
    settings.sync()
    assert default_analyst() == "anna"  # the preferences come first (DESIGN §4)
    settings.setValue(ANALYST, "")
    settings.sync()
    monkeypatch.delenv("CROSSCHECK_ANALYST")
    monkeypatch.setattr("getpass.getuser", lambda: "login-name")
    assert default_analyst() == "login-name"


def test_the_application_names_its_desktop_entry_and_icon(qapp: QApplication) -> None:
    app._configure(qapp)
    assert QGuiApplication.desktopFileName() == APP_ID
    assert not qapp.windowIcon().isNull()
    assert not qapp.windowIcon().pixmap(64, 64).isNull()
