"""The Markdown subset as the writers see it: nothing typed is lost."""

from __future__ import annotations

from idm_desktop.export.markup import (
    LineBreak,
    ListBlock,
    ListItem,
    Para,
    Span,
    parse,
    plain_text,
)


def test_paragraphs_bold_italic_and_links() -> None:
    blocks = parse(
        "One **bold** and *italic* and ***both***.\n\nSee [the note](https://x.org/a?b=1&c=2)."
    )
    assert blocks == (
        Para(
            (
                Span("One "),
                Span("bold", bold=True),
                Span(" and "),
                Span("italic", italic=True),
                Span(" and "),
                Span("both", bold=True, italic=True),
                Span("."),
            )
        ),
        Para((Span("See "), Span("the note", href="https://x.org/a?b=1&c=2"), Span("."))),
    )


def test_bullet_list_with_one_nested_level_and_numbered_list_start() -> None:
    blocks = parse("- a\n- b\n  - b1\n  - b2\n- c\n\n3. three\n4. four\n")
    bullets, numbers = blocks
    assert isinstance(bullets, ListBlock)
    assert not bullets.ordered
    assert [plain_text(i.blocks).split("\n")[0] for i in bullets.items] == ["a", "b", "c"]
    nested = bullets.items[1].blocks[1]
    assert isinstance(nested, ListBlock)
    assert [plain_text(i.blocks) for i in nested.items] == ["b1", "b2"]
    assert isinstance(numbers, ListBlock)
    assert numbers.ordered
    assert numbers.start == 3
    assert numbers.items[1] == ListItem((Para((Span("four"),)),))


def test_text_outside_the_subset_is_kept_as_plain_paragraphs() -> None:
    text = (
        "# A heading typed by the user\n\n"
        "<b>not html</b> & 3 < 5\n\n"
        "> a quotation\n\n"
        "    indented code\n    second line\n\n"
        "---\n\n"
        "`inline code` and ![a chart](chart.png)"
    )
    seen = plain_text(parse(text))
    for expected in (
        "A heading typed by the user",
        "<b>not html</b> & 3 < 5",
        "a quotation",
        "indented code\nsecond line",
        "---",
        "inline code and a chart",
    ):
        assert expected in seen


def test_typography_is_kept_as_typed() -> None:
    text = "«\u00a0Qu’est-ce\u202f?\u00a0» — ¿Qué? ¡Sí! niño \"quotes\" -- dashes..."
    assert plain_text(parse(text)) == text


def test_hard_break_and_soft_break() -> None:
    (para,) = parse("line one  \nline two\nline three")
    assert isinstance(para, Para)
    assert para.inlines == (Span("line one"), LineBreak(), Span("line two line three"))


def test_blank_and_control_characters() -> None:
    assert parse("") == ()
    assert parse("  \n\n \t") == ()
    assert plain_text(parse("a\x00b\x0bc\x7fd")) == "abcd"
