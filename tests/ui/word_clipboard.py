"""HTML as Microsoft Word puts it on the clipboard, written by hand in Word's own style for
the paste tests: the document head with its ``@list`` definitions, ``<!--StartFragment-->``,
``MsoListParagraphCxSp*`` paragraphs with ``mso-list:lN levelN lfoN``, markers as literal text
(Symbol "·", Courier New "o", Wingdings "§", "1." "a)" "i.") followed by runs of ``&nbsp;``
in a 7 pt Times New Roman span, inside ``<![if !supportLists]>`` (Word for Windows) or
``<!--[if !supportLists]-->`` (Word for Mac, Word 365), or with no conditional comment at all
(Outlook, Word on the web)."""

from __future__ import annotations

_HEAD = (
    '<html xmlns:v="urn:schemas-microsoft-com:vml" xmlns:o="urn:schemas-microsoft-com:office:office"'
    ' xmlns:w="urn:schemas-microsoft-com:office:word" xmlns="http://www.w3.org/TR/REC-html40">\r\n'
    "<head>\r\n<meta http-equiv=Content-Type content=\"text/html; charset=utf-8\">\r\n"
    '<meta name=ProgId content=Word.Document>\r\n<meta name=Generator content="Microsoft Word 15">\r\n'
    "<style>\r\n<!--\r\n"
    " /* Font Definitions */\r\n @font-face\r\n\t{font-family:Symbol;\r\n\tpanose-1:5 5 1 2 1 7 6 2 5 7;}\r\n"
    "p.MsoListParagraph, li.MsoListParagraph, div.MsoListParagraph\r\n"
    "\t{mso-style-priority:34;\r\n\tmargin-left:36.0pt;\r\n\tmso-add-space:auto;}\r\n"
    " /* List Definitions */\r\n @list l0\r\n\t{mso-list-id:1204173825;\r\n\tmso-list-type:hybrid;}\r\n"
    "@list l0:level1\r\n\t{mso-level-number-format:bullet;\r\n\tmso-level-text:\uf0b7;\r\n"
    "\tfont-family:Symbol;}\r\n@list l1:level1\r\n\t{mso-level-tab-stop:none;\r\n"
    "\tmso-level-number-position:left;}\r\n-->\r\n</style>\r\n</head>\r\n\r\n"
    "<body lang=EN-GB style='tab-interval:36.0pt;word-wrap:break-word'>\r\n<!--StartFragment-->\r\n"
)
_TAIL = "\r\n<!--EndFragment-->\r\n</body>\r\n\r\n</html>"


def _marker(text: str, font: str | None, spaces: int, comments: str) -> str:
    nbsp = "&nbsp;" * spaces
    inner = (f"<span style='mso-list:Ignore'>{text}<span style='font:7.0pt \"Times New Roman\"'>"
             f"{nbsp} </span></span>")
    if font:
        inner = (f"<span style='font-family:{font};mso-fareast-font-family:{font};"
                 f"mso-bidi-font-family:{font}'>{inner}</span>")
    if comments == "windows":
        return f"<![if !supportLists]>{inner}<![endif]>"
    if comments == "mac":
        return f"<!--[if !supportLists]-->{inner}<!--[endif]-->"
    return inner


def item(text: str, *, list_id: int, level: int, marker: str, font: str | None = None,
         place: str = "Middle", comments: str = "windows") -> str:
    """One list paragraph as Word writes it."""
    indent = 36 * level
    return (
        f"<p class=MsoListParagraphCxSp{place} style='margin-left:{indent}.0pt;"
        f"mso-add-space:auto;\r\ntext-indent:-18.0pt;mso-list:l{list_id} level{level} "
        f"lfo{list_id + 1}'>{_marker(marker, font, 7 if font else 3, comments)}"
        f"<span lang=FR-CH style='mso-ansi-language:FR-CH'>{text}<o:p></o:p></span></p>\r\n"
    )


def normal(text: str) -> str:
    return f"<p class=MsoNormal><span lang=FR-CH>{text}<o:p></o:p></span></p>\r\n"


def clipboard(*parts: str) -> str:
    """A whole clipboard HTML around ``parts``."""
    return _HEAD + "".join(parts) + _TAIL


# Bullets on three levels: Symbol "·", Courier New "o", Wingdings "§".
BULLETS = clipboard(
    item("Cours de <b>langue</b> pour les nouveaux arrivants", list_id=0, level=1, marker="·",
         font="Symbol", place="First"),
    item("Reconnaissance des dipl&ocirc;mes", list_id=0, level=1, marker="·", font="Symbol"),
    item("Proc&eacute;dure simplifi&eacute;e", list_id=0, level=2, marker="o",
         font='"Courier New"'),
    item("Guichet unique", list_id=0, level=3, marker="§", font="Wingdings"),
    item("Information dans la langue d&#8217;origine", list_id=0, level=1, marker="·",
         font="Symbol", place="Last"),
    normal("Apr&egrave;s la liste."),
)

# A numbered list "3." "4." with "a)" and "i." below, from Word for Mac.
NUMBERED = clipboard(
    item("Acogida", list_id=1, level=1, marker="3.", place="First", comments="mac"),
    item("Empleo", list_id=1, level=1, marker="4.", comments="mac"),
    item("Cursos de espa&ntilde;ol", list_id=1, level=2, marker="a)", comments="mac"),
    item("Para adultos", list_id=1, level=3, marker="i.", comments="mac"),
    item("Participaci&oacute;n", list_id=1, level=1, marker="5.", place="Last", comments="mac"),
)

# Outlook: no conditional comment, the marker only in its mso-list:Ignore span.
OUTLOOK = clipboard(
    item("Housing", list_id=0, level=1, marker="·", font="Symbol", place="First",
         comments="none"),
    item("Jobs", list_id=0, level=1, marker="·", font="Symbol", place="Last", comments="none"),
)

# Paragraphs first, then a list: pasted at the end of a section that ends with a list.
PARAGRAPHS_THEN_LIST = clipboard(
    normal("Le Conseil f&eacute;d&eacute;ral a adopt&eacute; une strat&eacute;gie."),
    normal("Elle repose sur trois piliers&nbsp;:"),
    item("l&#8217;accueil", list_id=0, level=1, marker="·", font="Symbol", place="First"),
    item("l&#8217;emploi", list_id=0, level=1, marker="·", font="Symbol", place="Last"),
)
