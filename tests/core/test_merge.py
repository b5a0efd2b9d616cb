"""Three-way merge by section: what a delegate notices when both sides edited a submission."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from idm_desktop.core.errors import InvalidInputError
from idm_desktop.core.i18n import set_ui_language
from idm_desktop.core.merge import TITLE_KEY, MergeResult, SectionConflict, merge3, normalise, resolve

BASE = {"context": "Our context.", "policy": "Our policy.", "lessons": "Lessons."}


def test_edits_to_different_sections_merge_silently() -> None:
    mine = {**BASE, "context": "Our context, revised here."}
    theirs = {**BASE, "policy": "Our policy, revised there."}
    result = merge3("T", BASE, "T", mine, "T", theirs)
    assert result.clean
    assert result.body == {
        "context": "Our context, revised here.",
        "policy": "Our policy, revised there.",
        "lessons": "Lessons.",
    }


def test_the_same_section_edited_on_both_sides_keeps_all_three_texts() -> None:
    mine = {**BASE, "policy": "Mine."}
    theirs = {**BASE, "policy": "Theirs.", "lessons": "New lessons."}
    result = merge3("T", BASE, "T", mine, "T", theirs)
    assert not result.clean
    assert result.conflicts == (SectionConflict("policy", "Our policy.", "Mine.", "Theirs."),)
    assert result.body["policy"] == "Mine."  # what the user typed stays on screen
    assert result.body["lessons"] == "New lessons."


def test_the_same_edit_on_both_sides_is_not_a_conflict() -> None:
    edited = {**BASE, "policy": "Agreed text."}
    result = merge3("T", BASE, "T", dict(edited), "T", dict(edited))
    assert result.clean
    assert result.body == edited


def test_deleting_a_section_the_other_side_edited_is_a_conflict() -> None:
    mine = {k: v for k, v in BASE.items() if k != "lessons"}
    theirs = {**BASE, "lessons": "Lessons, expanded."}
    result = merge3("T", BASE, "T", mine, "T", theirs)
    assert result.conflicts == (SectionConflict("lessons", "Lessons.", "", "Lessons, expanded."),)

    emptied = {**BASE, "lessons": ""}
    result = merge3("T", BASE, "T", theirs, "T", emptied)
    assert result.conflicts == (SectionConflict("lessons", "Lessons.", "Lessons, expanded.", ""),)
    assert result.body["lessons"] == "Lessons, expanded."


def test_a_deletion_on_one_side_only_is_taken() -> None:
    theirs = {k: v for k, v in BASE.items() if k != "lessons"}
    result = merge3("T", BASE, "T", BASE, "T", theirs)
    assert result.clean
    assert result.body == theirs


def test_a_section_added_on_each_side_merges() -> None:
    result = merge3("T", BASE, "T", {**BASE, "a": "A"}, "T", {**BASE, "b": "B"})
    assert result.clean
    assert result.body == {**BASE, "a": "A", "b": "B"}


def test_the_title_conflicts_like_a_section_and_comes_first() -> None:
    mine = {**BASE, "policy": "Mine."}
    theirs = {**BASE, "policy": "Theirs."}
    result = merge3("Title", BASE, "My title", mine, "Their title", theirs)
    assert [c.key for c in result.conflicts] == [TITLE_KEY, "policy"]
    assert result.conflicts[0] == SectionConflict(TITLE_KEY, "Title", "My title", "Their title")
    assert result.title == "My title"


def test_a_title_changed_on_one_side_is_taken() -> None:
    assert merge3("Title", BASE, "Title", BASE, "New title", BASE).title == "New title"
    assert merge3("Title", BASE, "New title", BASE, "Title", BASE).title == "New title"


def test_conflicts_follow_the_order_of_mine_then_theirs_then_base() -> None:
    base = {"z": "0", "y": "0", "x": "0"}
    mine = {"y": "1", "z": "1", "w": "1"}
    theirs = {"v": "2", "w": "2", "x": "2", "y": "2", "z": "2"}
    result = merge3("T", base, "T", mine, "T", theirs)
    # mine's keys y, z, w first; then theirs' x (deleted in mine, edited in theirs); v was only added
    assert [c.key for c in result.conflicts] == ["y", "z", "w", "x"]
    assert list(result.body) == ["y", "z", "w", "v"]


def test_a_whitespace_only_difference_is_not_a_conflict() -> None:
    base = {"policy": "Line one.\nLine two."}
    mine = {"policy": "Line one.  \r\nLine two.\r\n\r\n"}
    theirs = {"policy": "Line one.\nLine two.\n"}
    result = merge3("T", base, "T", mine, "T", theirs)
    assert result.clean
    assert result.body == mine  # the user's own text, as typed


def test_a_whitespace_only_change_yields_to_a_real_edit() -> None:
    base = {"policy": "Text."}
    result = merge3("T", base, "T", {"policy": "Text.\r\n"}, "T", {"policy": "Better text."})
    assert result.clean
    assert result.body == {"policy": "Better text."}


def test_normalise_ignores_line_endings_and_trailing_spaces_only() -> None:
    assert normalise("a \r\nb\t\rc\n\n") == "a\nb\nc"
    assert normalise("  indented") == "  indented"


def test_resolve_applies_the_users_choices() -> None:
    result = merge3("Title", BASE, "Mine", {**BASE, "policy": "M"}, "Theirs", {**BASE, "policy": "T"})
    title, body = resolve(result, {TITLE_KEY: "Both titles", "policy": "M and T"})
    assert title == "Both titles"
    assert body == {**BASE, "policy": "M and T"}


def test_resolve_restores_a_section_deleted_on_my_side() -> None:
    mine = {k: v for k, v in BASE.items() if k != "lessons"}
    result = merge3("T", BASE, "T", mine, "T", {**BASE, "lessons": "Expanded."})
    assert "lessons" not in result.body
    _title, body = resolve(result, {"lessons": "Expanded."})
    assert body["lessons"] == "Expanded."


def test_resolve_requires_a_choice_for_every_conflict() -> None:
    result = merge3("Title", BASE, "Mine", {**BASE, "policy": "M", "lessons": "M"}, "Theirs",
                    {**BASE, "policy": "T", "lessons": "T"})
    with pytest.raises(InvalidInputError, match="unresolved: the title, lessons") as info:
        resolve(result, {"policy": "M"})
    assert "\n" not in str(info.value)


def test_the_unresolved_message_is_translated() -> None:
    set_ui_language("fr")
    result = merge3("Title", BASE, "Mine", BASE, "Theirs", BASE)
    with pytest.raises(InvalidInputError, match="encore à résoudre : le titre"):
        resolve(result, {})


def test_resolve_rejects_a_choice_for_a_key_not_in_conflict() -> None:
    result = merge3("T", BASE, "T", BASE, "T", BASE)
    with pytest.raises(ValueError, match="not in conflict"):
        resolve(result, {"policy": "x"})


def test_a_clean_result_resolves_to_itself() -> None:
    result = MergeResult("T", {"a": "A"})
    assert resolve(result, {}) == ("T", {"a": "A"})


# -- properties ---------------------------------------------------------------------------------

KEYS = st.sampled_from(["context", "policy", "lessons", "partners"])
TEXTS = st.one_of(
    st.sampled_from(["", "x", "x\n", "x \r\n", "y", "y\n\nz", "y\r\n\r\nz  "]),
    st.text(alphabet="ab \t\r\n", max_size=8),
)
BODIES = st.dictionaries(KEYS, TEXTS, max_size=4)
TITLES = st.sampled_from(["", "Title", "Title ", "Other"])


@given(base_title=TITLES, base=BODIES, title=TITLES, body=BODIES)
def test_an_untouched_side_yields_the_other_exactly(
    base_title: str, base: dict[str, str], title: str, body: dict[str, str]
) -> None:
    for result in (
        merge3(base_title, base, title, body, base_title, base),  # only mine changed
        merge3(base_title, base, base_title, base, title, body),  # only theirs changed
        merge3(base_title, base, title, body, title, body),  # both made the same change
    ):
        assert result.clean
        assert result.title == title
        assert result.body == body


@given(base_title=TITLES, base=BODIES, mine_title=TITLES, mine=BODIES, theirs_title=TITLES, theirs=BODIES)
def test_nothing_i_typed_is_ever_lost(
    base_title: str,
    base: dict[str, str],
    mine_title: str,
    mine: dict[str, str],
    theirs_title: str,
    theirs: dict[str, str],
) -> None:
    result = merge3(base_title, base, mine_title, mine, theirs_title, theirs)
    conflicts = {c.key: c for c in result.conflicts}
    assert len(conflicts) == len(result.conflicts)
    for key in {*base, *mine, *theirs}:
        b, m, t = base.get(key, ""), mine.get(key, ""), theirs.get(key, "")
        merged = result.body.get(key)
        # Always one side's exact text (or absent where that side has no such section).
        assert merged in {mine.get(key), theirs.get(key)}
        if normalise(m) != normalise(b):
            # I changed it: my exact text stays, whether or not it is a conflict.
            assert merged == mine.get(key)
        if key in conflicts:
            assert conflicts[key] == SectionConflict(key, b, m, t)
            assert len({normalise(b), normalise(m), normalise(t)}) == 3
        else:
            assert normalise(merged or "") in {normalise(m), normalise(t)}
    if normalise(mine_title) != normalise(base_title):
        assert result.title == mine_title
    assert (TITLE_KEY in conflicts) == (
        len({normalise(base_title), normalise(mine_title), normalise(theirs_title)}) == 3
    )
    if result.conflicts:
        choices = {c.key: c.theirs for c in result.conflicts}
        _title, body = resolve(result, choices)
        assert all(body[k] == v for k, v in choices.items() if k != TITLE_KEY)
