"""Submissions to export in the tests and the benchmark, written for them (not quoted)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from idm_desktop.core.submissions import Submission, SubmissionStatus
from idm_desktop.core.templates import Template, TemplateSection
from idm_desktop.core.workshops import EventKind, EventStatus, Workshop
from idm_desktop.export import ExportContext

NBSP = "\u00a0"
NNBSP = "\u202f"


def template(page_format: str = "A4") -> Template:
    """A four-section template, the last section optional."""

    def sec(key: str, en: str, fr: str, es: str, required: bool = True) -> TemplateSection:
        return TemplateSection(key, {"en": en, "fr": fr, "es": es}, {}, required)

    return Template(
        id="policy-overview",
        version=1,
        title={
            "en": "Overview of policy approaches",
            "fr": "Aperçu des approches politiques",
            "es": "Panorama de los enfoques de política",
        },
        intro={},
        sections=(
            sec("context", "National context", "Contexte national", "Contexto nacional"),
            sec("policies", "Policies and practice", "Politiques et pratiques",
                "Políticas y prácticas"),
            sec("partnerships", "Partnerships", "Partenariats", "Alianzas", required=False),
            sec("lessons", "Lessons and next steps", "Enseignements et suites",
                "Lecciones y próximos pasos"),
        ),
        page_format=page_format,
    )


def workshop() -> Workshop:
    """The integration workshop of 2006."""
    return Workshop(
        id="idm-2006-integration",
        kind=EventKind.WORKSHOP,
        year=2006,
        title={
            "en": "Migrants and the Host Society: Partnerships for Success",
            "fr": "Les migrants et la société d’accueil\u00a0: des partenariats pour réussir",
            "es": "Los migrantes y la sociedad de acogida: alianzas para el éxito",
        },
        status=EventStatus.HELD,
        start=dt.date(2006, 7, 12),
        end=dt.date(2006, 7, 13),
    )


def context(
    lang: str,
    body: Mapping[str, str],
    *,
    title: str = "",
    country: str = "CHE",
    date: dt.date = dt.date(2006, 6, 26),
    page_format: str = "A4",
    with_workshop: bool = True,
) -> ExportContext:
    """An export context for a draft with ``body``."""
    now = dt.datetime(2006, 6, 20, 9, 30, tzinfo=dt.UTC)
    sub = Submission(
        id="3f2c5a4e-0000-4000-8000-000000000001",
        workshop_id="idm-2006-integration",
        country=country,
        language=lang,
        title=title,
        template_id="policy-overview",
        template_version=1,
        body=dict(body),
        status=SubmissionStatus.DRAFT,
        created_at=now,
        updated_at=now,
    )
    return ExportContext(
        submission=sub,
        template=template(page_format),
        workshop=workshop() if with_workshop else None,
        date=date,
    )


FRENCH = {
    "context": (
        f"La Suisse accueille chaque année près de 80{NNBSP}000 personnes{NNBSP}; "
        f"l’intégration y est «{NBSP}une tâche commune{NBSP}» de l’État, des cantons et "
        "des communes.\n\n"
        "Le Conseil fédéral a adopté une **stratégie d’encouragement** — fondée sur "
        "l’égalité des chances — et un *programme cantonal* pour chaque région. "
        "Voir [la note de synthèse](https://www.example.org/note?lang=fr&v=2)."
    ),
    "policies": (
        "Les mesures principales\u00a0:\n\n"
        "- cours de langue pour les nouveaux arrivants ;\n"
        "- reconnaissance des diplômes **étrangers** ;\n"
        "  - procédure simplifiée ;\n"
        "  - guichet unique.\n"
        "- information dans la langue d’origine.\n\n"
        "1. Première étape : l’accueil.\n"
        "2. Deuxième étape : l’emploi et la formation.\n"
    ),
    "partnerships": "",
    "lessons": (
        "Ce qui a fonctionné : la ***coopération locale*** avec les employeurs "
        "et les associations de migrants, à Genève comme à Zürich."
    ),
}

SPANISH = {
    "context": (
        "¿Cómo acompañar a las personas migrantes desde el primer día? ¡Con alianzas! "
        f"El año pasado llegaron 12{NNBSP}500 personas al país; la señora Núñez, "
        f"responsable del programa, habla de «{NBSP}integración en dos sentidos{NBSP}».\n\n"
        "La **Ley de Migración** — aprobada tras un amplio diálogo — reconoce el papel "
        "de los municipios y de la sociedad civil. Véase "
        "[el informe](https://www.example.org/informe?idioma=es)."
    ),
    "policies": (
        "- Cursos de español para adultos y niños\n"
        "- Reconocimiento de títulos y de la experiencia laboral\n"
        "- Atención a la salud sin discriminación\n\n"
        "1. Acogida\n"
        "2. Empleo\n"
        "3. Participación\n"
    ),
    "lessons": "Aún queda mucho por hacer: la ***coordinación*** entre instituciones es clave.",
}


# Material for long texts: sentences of the kind a submission holds.
_SENTENCES = {
    "en": [
        "The national integration plan sets out shared responsibilities for central "
        "government, regional authorities and municipalities.",
        "Newly arrived migrants are offered an orientation course within three months of "
        "arrival, in their own language where possible.",
        "Employers' organisations take part in designing vocational courses, so that "
        "training leads to real vacancies.",
        "Local partnerships with migrant associations have proved the most effective way "
        "to reach women and older people.",
        "Recognition of foreign qualifications remains slow, and a single contact point "
        "is being set up to shorten the procedure.",
        "Public campaigns against discrimination are run together with trade unions, "
        "sports clubs and the media.",
        "An evaluation of the first programme cycle found that language skills improved "
        "most where courses were linked to work placements.",
        "Data on outcomes are collected every year and published, to allow a public "
        "debate based on facts.",
    ],
    "fr": [
        "Le plan national d’intégration répartit les responsabilités entre l’État, les "
        "régions et les communes.",
        "Les personnes nouvellement arrivées se voient proposer un cours d’orientation "
        "dans les trois mois, si possible dans leur langue.",
        "Les organisations d’employeurs participent à la conception des formations "
        "professionnelles, afin qu’elles mènent à des emplois réels.",
        "Les partenariats locaux avec les associations de migrants se sont révélés le "
        "meilleur moyen d’atteindre les femmes et les personnes âgées.",
    ],
    "es": [
        "El plan nacional de integración distribuye las responsabilidades entre el "
        "Gobierno central, las regiones y los municipios.",
        "A las personas recién llegadas se les ofrece un curso de orientación en los "
        "tres primeros meses, en su idioma cuando es posible.",
        "Las organizaciones de empleadores participan en el diseño de la formación "
        "profesional, para que conduzca a empleos reales.",
        "Las alianzas locales con asociaciones de migrantes han resultado la mejor "
        "manera de llegar a las mujeres y a las personas mayores.",
    ],
}


def paragraphs(lang: str, count: int, per_paragraph: int = 4, offset: int = 0) -> str:
    """``count`` paragraphs of ``per_paragraph`` sentences each, in ``lang``."""
    pool = _SENTENCES[lang]
    out = []
    for p in range(count):
        start = offset + p * per_paragraph
        out.append(" ".join(pool[(start + i) % len(pool)] for i in range(per_paragraph)))
    return "\n\n".join(out)


def three_page_body() -> dict[str, str]:
    """An English submission of about three A4 pages, with the whole Markdown subset."""
    return {
        "context": paragraphs("en", 4, offset=0)
        + "\n\nThe **main** objective is *equal opportunity* in work and education.",
        "policies": paragraphs("en", 3, offset=1)
        + "\n\n- language courses linked to work placements\n"
        "- a single contact point for the recognition of diplomas\n"
        "  - online from 2007\n"
        "  - in three languages\n"
        "- mentoring by volunteers\n\n"
        "1. Orientation\n2. Language\n3. Employment\n\n"
        + paragraphs("en", 2, offset=5),
        "partnerships": paragraphs("en", 3, offset=2)
        + "\n\nSee [the programme](https://www.example.org/programme) for details.",
        "lessons": paragraphs("en", 3, offset=3),
    }


def long_body(lang: str = "en") -> dict[str, str]:
    """A submission far over the three-page limit."""
    return {key: paragraphs(lang, 8, offset=n) for n, key in enumerate(
        ("context", "policies", "partnerships", "lessons"))}
