"""``describe``: a parsed filter as a one-line summary for the filter bar."""

from __future__ import annotations

from desktop.core.search.model import FIELDS, FieldTerm, ParsedFilter, Term


def describe(parsed: ParsedFilter) -> str:
    """A one-line summary such as ``status contested · place Bakhmut · words: breach``."""
    parts: list[str] = []
    groups: dict[tuple[str, bool], list[str]] = {}
    for field_term in parsed.fields:
        shown = groups.setdefault((field_term.field, field_term.negated), [])
        for value in _display_values(field_term):
            if value not in shown:
                shown.append(value)
    for (field, negated), shown in groups.items():
        parts.append(f"{'not ' if negated else ''}{FIELDS[field].label} {' or '.join(shown)}")
    words = [_display_term(term) for term in parsed.terms if not term.negated]
    without = [_display_term(term) for term in parsed.terms if term.negated]
    if words:
        parts.append("words: " + ", ".join(words))
    if without:
        parts.append("without: " + ", ".join(without))
    return " · ".join(parts) if parts else "all claims"


def _display_term(term: Term) -> str:
    shown = term.text.strip()
    if term.phrase:
        return f"“{shown}”"
    return shown.rstrip("*") + "…" if term.prefix else shown


def _display_values(field_term: FieldTerm) -> list[str]:
    field, values = field_term.field, field_term.values
    if field in ("status", "verdict", "reviewed"):
        return list(values)
    if field == "kind":
        return [value.replace("source:", "source ") for value in values]
    if field == "cred":
        if "none" in values:
            rest = [value for value in values if value != "none"]
            return ["none", *(_grade_range(rest) if rest else [])]
        return _grade_range(list(values))
    if field in ("side", "group"):
        return [value or "none" for value in values]
    if field in ("after", "before", "on"):
        return [item.strip() for item in field_term.raw.split(",") if item.strip()] or list(values)
    return [field_term.raw.strip().strip('"')]


def _grade_range(grades: list[str]) -> list[str]:
    numbers = sorted(int(grade) for grade in grades)
    if len(numbers) > 1 and numbers == list(range(numbers[0], numbers[-1] + 1)):
        return [f"{numbers[0]}–{numbers[-1]}"]
    return [str(number) for number in numbers]


# --- compiling ------------------------------------------------------------------------------
