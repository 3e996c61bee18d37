"""Fixtures for widget tests: a WorkspaceSession over a fresh copy of the sample workspace."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from desktop.core.workspace import Workspace
from desktop.ui.session import WorkspaceSession


@pytest.fixture
def session(qapp: object, sample_workspace: Workspace) -> Iterator[WorkspaceSession]:
    opened = WorkspaceSession(sample_workspace)
    yield opened
    opened.undo_stack.clear()


@pytest.fixture
def empty_session(qapp: object, workspace: Workspace) -> Iterator[WorkspaceSession]:
    opened = WorkspaceSession(workspace)
    yield opened
    opened.undo_stack.clear()
