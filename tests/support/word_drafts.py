"""Word drafts as delegations write them, made with python-docx for the import tests.

Each has a paragraph before the first heading, numbered headings (typed "1." / "I.", or a
title alone), a sub-heading, bullet and numbered lists (nested), bold, italic and a link, a
table, and a heading that matches no section of the template.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import docx
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

DRAFTS: dict[str, dict[str, Any]] = {
    "en": {
        "preamble": "Draft for the ministry, not for circulation outside government.",
        "headings": [
            ("1. National context and priorities", "national_context"),
            ("II. Policy and legal framework", "policy_framework"),
            ("Partnerships with business and civil society", "partnerships"),
            ("Annex: statistics by region", None),
        ],
        "words": ["Switzerland", "welcomes", "integration", "cantons", "employers", "Zurich"],
    },
    "fr": {
        "preamble": "Projet à l’intention du ministère, ne pas diffuser hors de l’administration.",
        "headings": [
            ("1. CONTEXTE NATIONAL ET PRIORITES", "national_context"),
            ("II. Cadre politique et juridique", "policy_framework"),
            ("Partenariats avec le monde de l’entreprise et la société civile", "partnerships"),
            ("Annexe : statistiques par région", None),
        ],
        "words": ["Suisse", "accueille", "intégration", "cantons", "employeurs", "Zurich"],
    },
    "es": {
        "preamble": "Borrador para el ministerio, no difundir fuera de la administración.",
        "headings": [
            ("1. Contexto nacional y prioridades", "national_context"),
            ("II. Marco normativo y de políticas", "policy_framework"),
            ("alianzas con el sector empresarial y la sociedad civil", "partnerships"),
            ("Anexo: estadísticas por región", None),
        ],
        "words": ["México", "acoge", "integración", "estados", "empleadores", "Monterrey"],
    },
}


def _link(paragraph: Any, text: str, url: str) -> None:
    r_id = paragraph.part.relate_to(url, RT.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), r_id)
    run = paragraph.add_run(text)
    link.append(run._r)
    paragraph._p.append(link)


def write_draft(lang: str, path: Path) -> Path:
    """A draft in ``lang`` at ``path``."""
    d = DRAFTS[lang]
    w = d["words"]
    doc = docx.Document()
    doc.add_paragraph(d["preamble"])
    h = [t for t, _ in d["headings"]]

    doc.add_heading(h[0], level=1)
    p = doc.add_paragraph(f"{w[0]} {w[1]} some 80 000 people; ")
    p.add_run(f"{w[2]} policy").bold = True
    p.add_run(" is shared by the ")
    p.add_run(w[3]).italic = True
    p.add_run(". See ")
    _link(p, "the national report", "https://www.example.org/report?lang=" + lang)
    p.add_run(".")
    doc.add_heading("1.1 Trends since 2000", level=2)
    doc.add_paragraph("Arrivals grew by a third * [2] _ and # no markup intended.")

    doc.add_heading(h[1], level=1)
    doc.add_paragraph("First measure for newcomers", style="List Bullet")
    doc.add_paragraph("Recognition of diplomas", style="List Bullet")
    doc.add_paragraph("Simplified procedure", style="List Bullet 2")
    doc.add_paragraph("Single desk", style="List Bullet 2")
    doc.add_paragraph("Information in the language of origin", style="List Bullet")
    doc.add_paragraph("Reception comes first", style="List Number")
    doc.add_paragraph("Employment and training follow", style="List Number")
    doc.add_paragraph(f"Then the {w[4]} are involved.")

    doc.add_heading(h[2], level=1)
    table = doc.add_table(rows=3, cols=3)
    for r, row in enumerate([["Partner", "Role", "Since"],
                             [w[4], "mentoring", "2004"],
                             [w[5], "housing", "2005"]]):
        for c, value in enumerate(row):
            table.cell(r, c).text = value
    doc.add_paragraph("The table lists the main partners.")

    doc.add_heading(h[3], level=1)
    doc.add_paragraph("North 12 400; South 9 100; Centre 20 750.")
    doc.save(str(path))
    return path
