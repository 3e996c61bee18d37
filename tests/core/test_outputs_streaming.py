"""Exports that stream: a brief and a STIX bundle are written piece by piece, each claim made when it is written,
the same bytes as a whole render; a failure half way leaves no file; Markdown escaping equals its definition."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.core.atomic_write import atomic_file
from desktop.core.outputs import Options, build_brief, gather, render, write
from desktop.core.outputs.brief import md
from desktop.core.workspace import Workspace

ORG = Options(organisation="Desk", organisation_url="https://desk.example")


@pytest.mark.parametrize("fmt", ["markdown", "html", "stix", "claimreview", "csv", "json"])
def test_streamed_export_is_the_rendered_one(sample_workspace: Workspace, fmt: str) -> None:
    selection = gather(sample_workspace.engine)
    out = io.BytesIO()
    writes: list[int] = []
    original = out.write

    def counting(data: bytes) -> int:
        writes.append(len(data))
        return original(data)

    out.write = counting  # type: ignore[method-assign]
    write(selection, fmt, out, ORG)
    assert out.getvalue() == render(selection, fmt, ORG)
    if fmt in ("markdown", "html", "stix"):  # streamed: many small pieces, none of them the whole
        assert len(writes) > 5 and max(writes) < len(out.getvalue()) / 2


def test_a_brief_makes_each_claim_when_it_is_read(sample_workspace: Workspace) -> None:
    selection = gather(sample_workspace.engine)
    brief = build_brief(selection)
    contested = brief.groups["contested"]
    assert len(contested) == len(list(contested)) and contested[0] == list(contested)[0]
    assert contested[0:2] == list(contested)[:2]
    assert contested[0].explanation == tuple(selection.explanations[contested[0].id])
    assert len(selection.explanations) == len(selection.document["claims"])
    assert brief.suggested  # the sample has claims graded by the evidence only


def test_progress_reaches_the_writing_and_a_cancel_there_leaves_no_file(
    sample_workspace: Workspace, tmp_path: Path
) -> None:
    selection = gather(sample_workspace.engine)
    seen: list[str] = []

    def cancel_while_writing(step: str, fraction: float) -> None:
        seen.append(step)
        if step == "writing the brief":
            raise KeyboardInterrupt

    target = tmp_path / "out" / "brief.md"
    target.parent.mkdir()
    with pytest.raises(KeyboardInterrupt), atomic_file(target) as out:
        write(selection, "markdown", out, ORG, cancel_while_writing)
    assert "writing the brief" in seen
    assert list(target.parent.iterdir()) == []  # neither the brief nor its .partial


def test_a_refused_write_is_one_line_and_leaves_nothing(tmp_path: Path) -> None:
    from desktop.core.errors import UserError

    with pytest.raises(UserError, match="cannot write"), atomic_file(tmp_path / "missing" / "brief.md") as out:
        out.write(b"x")
    assert list(tmp_path.iterdir()) == []


_SPECIAL = re.compile(r"([\\`*_\[\]<>!|~&])")


def _md_by_definition(text: str) -> str:
    """The escaping as specified, with regular expressions (slow, plain): the fast ``md`` must equal it."""
    escaped = _SPECIAL.sub(r"\\\1", " ".join(text.split()))
    escaped = re.sub(r"^[#+=-]", lambda m: "\\" + m.group(), escaped)
    return re.sub(r"^(\d+)([.)])", r"\1\\\2", escaped)


@given(st.text(alphabet=st.sampled_from("ab 1.)#+=-\\`*_[]<>!|~&\n\tЖ"), max_size=30))
def test_markdown_escaping_equals_its_definition(text: str) -> None:
    assert md(text) == _md_by_definition(text)
