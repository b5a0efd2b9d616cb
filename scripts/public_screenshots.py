"""Screenshots of the public policy database, for the documentation and for looking at.

Starts a demonstration idm-server (SQLite, in a temporary folder) with sample published
submissions written for these screenshots, and saves, for each language,
``docs/screenshots/public-<view>-<lang>.png`` at 1280 pixels wide and
``public-<view>-<lang>-phone.png`` at 390 (home, search, submission).

Run: scripts/public-screenshots [--out DIR] [--langs en,fr,es] [--keep-serving]
"""

from __future__ import annotations

import argparse
import datetime as dt
import logging
import shutil
import socket
import sys
import tempfile
import threading
import time
from pathlib import Path

import uvicorn
from playwright.sync_api import Page, sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from idm_desktop.server.app import create_app  # noqa: E402
from idm_desktop.server.config import Settings  # noqa: E402
from idm_desktop.server.context import ServerContext  # noqa: E402
from tests.server.public import factory  # noqa: E402

log = logging.getLogger("public-screenshots")

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
SEARCHES = {"en": "integration", "fr": "intégration", "es": "integración"}
INTEGRATION = "idm2006-integration"
HEALTH = "idm2006-health"


def _at(day: str) -> dt.datetime:
    return dt.datetime.fromisoformat(day).replace(hour=10, tzinfo=dt.UTC)


# Demonstration overviews, written for these screenshots (no government's real text).
DEMO: list[dict[str, object]] = [
    {"country": "FRA", "language": "fr", "workshop_id": INTEGRATION, "received_at": _at("2006-06-22"),
     "title": "L’intégration des migrants : partenariats locaux et apprentissage de la langue",
     "body": {
         "national_context": "Pays de destination depuis longtemps, la France accueille chaque année des "
                             "travailleurs, des étudiants et des familles. L’**intégration des migrants** "
                             "repose sur trois priorités : la langue, l’emploi et l’accès aux droits.",
         "policy_framework": "- Un parcours d’accueil pour chaque nouvel arrivant, avec une formation "
                             "linguistique adaptée\n- Des plans régionaux d’intégration, révisés tous les "
                             "trois ans\n- Une loi-cadre sur l’égalité des chances",
         "institutions": "Un service public de l’accueil coordonne les préfectures, les communes et les "
                         "organismes de formation.",
         "partnerships": "Les *collectivités locales*, les entreprises et les associations de migrants "
                         "signent des conventions d’objectifs. Les employeurs offrent des stages et du "
                         "tutorat ; les associations accompagnent les familles dans les démarches.",
         "practices": "1. Cours de français sur le lieu de travail\n2. Parrainage de jeunes diplômés\n"
                      "3. Guichets uniques dans les quartiers",
     }},
    {"country": "MEX", "language": "es", "workshop_id": INTEGRATION, "received_at": _at("2006-06-21"),
     "title": "La integración de los migrantes en las comunidades de acogida",
     "body": {
         "national_context": "México es país de origen, tránsito y destino. La **integración** de los "
                             "trabajadores temporales de la frontera sur es una prioridad.",
         "policy_framework": "- Programa de documentación para trabajadores fronterizos\n- Acceso a la "
                             "salud y a la educación para las familias migrantes",
         "institutions": "El Instituto Nacional de Migración coordina con los gobiernos estatales.",
         "partnerships": "Alianzas con empresas agrícolas, iglesias y organizaciones de la sociedad civil "
                         "para ofrecer vivienda y cursos de español.",
         "practices": "Ferias de servicios en las comunidades de acogida.",
     }},
    {"country": "CAN", "language": "en", "workshop_id": INTEGRATION, "received_at": _at("2006-06-19"),
     "title": "Settlement and integration: a shared responsibility",
     "body": {
         "national_context": "Canada admits permanent residents every year through economic, family and "
                             "humanitarian streams; **integration** starts on arrival.",
         "policy_framework": "- Settlement services funded in every province\n- Language instruction "
                             "for newcomers free of charge\n- Recognition of foreign credentials",
         "institutions": "The federal department responsible for immigration funds local service "
                         "providers and reports to Parliament each year.",
         "partnerships": "Employers, school boards and community organisations deliver most services; "
                         "*local immigration partnerships* bring them together in each city.",
         "practices": "Mentoring programmes pair newcomers with professionals in their field.",
     }},
    {"country": "SEN", "language": "fr", "workshop_id": INTEGRATION, "received_at": _at("2006-06-26"),
     "title": "Sénégal : la diaspora et l’intégration des migrants de la sous-région",
     "body": {
         "national_context": "Le Sénégal est à la fois pays d’origine et pays d’accueil pour les "
                             "ressortissants de la sous-région.",
         "policy_framework": "La libre circulation dans l’espace régional guide la politique nationale.",
         "institutions": "Un ministère chargé des Sénégalais de l’extérieur.",
         "partnerships": "Les associations de migrants financent des projets dans leurs villages.",
         "practices": "Des bureaux d’accueil et d’orientation dans les régions.",
     }},
    {"country": "PHL", "language": "en", "workshop_id": HEALTH, "received_at": _at("2006-03-15"),
     "title": "Managing the migration of health workers",
     "body": {
         "national_context": "Nurses trained at home work in many countries; remittances support "
                             "families, while rural hospitals lack staff.",
         "policy_framework": "1. Bilateral agreements with destination countries\n2. A code of conduct "
                             "for recruitment agencies\n3. Incentives to serve in rural areas",
         "institutions": "An overseas employment administration licenses recruiters.",
         "partnerships": "Hospitals abroad co-fund nursing schools at home.",
         "practices": "Return programmes for experienced health professionals.",
     }},
    {"country": "ECU", "language": "es", "workshop_id": "idm2006-indigenous",
     "received_at": _at("2006-03-30"),
     "title": "Pueblos indígenas y migración: el caso del Ecuador",
     "body": {
         "national_context": "Comunidades indígenas de la sierra migran hacia las ciudades y al exterior.",
         "policy_framework": "La Constitución reconoce los derechos colectivos de los pueblos indígenas.",
         "institutions": "Un consejo de desarrollo de las nacionalidades y pueblos.",
         "partnerships": "Cooperativas y gobiernos locales apoyan proyectos productivos.",
         "practices": "Programas de educación intercultural bilingüe para hijos de migrantes.",
     }},
    {"country": "MAR", "language": "fr", "workshop_id": "idm2005-migration-development",
     "received_at": _at("2005-01-24"),
     "title": "Migration et développement : mobiliser les Marocains du monde",
     "body": {
         "national_context": "Les transferts de fonds des Marocains résidant à l’étranger soutiennent le "
                             "développement des régions d’origine.",
         "policy_framework": "Une stratégie nationale pour les Marocains du monde.",
         "institutions": "Une fondation dédiée et un ministère délégué.",
         "partnerships": "Banques, collectivités et associations de la diaspora.",
         "practices": "Caravanes d’information pendant les vacances d’été.",
     }},
]


def _typeset(item: dict[str, object]) -> dict[str, object]:
    """French text as a French delegate types it: a no-break space before : ; ? !"""
    if item["language"] != "fr":
        return item

    def fix(text: str) -> str:
        for mark in ":;?!":
            text = text.replace(f" {mark}", f"\u00a0{mark}")
        return text

    body = item["body"]
    assert isinstance(body, dict)
    assert isinstance(item["title"], str)
    return {**item, "title": fix(item["title"]), "body": {k: fix(v) for k, v in body.items()}}


def build_demo(home: Path) -> tuple[ServerContext, str, str]:
    """A service with the demo overviews published, one of them superseded by a correction.
    Returns the context and the receipt numbers of the French overview and the superseded one."""
    ctx = ServerContext.open(Settings(home=home))
    receipts = [factory.publish(ctx.db, **_typeset(item)) for item in DEMO]  # type: ignore[arg-type]
    first = factory.publish(ctx.db, country="GBR", language="en", workshop_id=HEALTH,
                            received_at=_at("2006-03-10"),
                            title="Ethical recruitment of health professionals",
                            body={"national_context": "A first version, sent before the final figures."})
    factory.publish(ctx.db, country="GBR", language="en", workshop_id=HEALTH, received_at=_at("2006-03-20"),
                    supersedes=first, title="Ethical recruitment of health professionals",
                    body={"national_context": "Health services recruit abroad only from countries that "
                                              "agree to it, under a code of practice.",
                          "policy_framework": "- A code of practice for international recruitment\n"
                                              "- Agreements with partner countries"})
    return ctx, receipts[0], first


class DemoServer:
    """uvicorn in a thread on a free port of 127.0.0.1."""

    def __init__(self, ctx: ServerContext) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
        self.sock.bind(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        self.server = uvicorn.Server(uvicorn.Config(create_app(ctx), log_config=None, access_log=False))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> DemoServer:
        self.thread.start()
        while not self.server.started:
            time.sleep(0.02)
        return self

    def __exit__(self, *_exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(10)
        self.sock.close()


def chromium() -> str:
    for candidate in ("/usr/lib/chromium/chromium", shutil.which("chromium")):
        if candidate and Path(candidate).exists():
            return candidate
    raise SystemExit("public-screenshots: Chromium is missing; run scripts/bootstrap --system-tools")


def shoot(page: Page, url: str, path: Path) -> int:
    page.goto(url, wait_until="load")
    page.screenshot(path=str(path), full_page=False, animations="disabled")
    return path.stat().st_size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    parser.add_argument("--langs", default="en,fr,es")
    parser.add_argument("--keep-serving", action="store_true", help="serve the demo until Ctrl+C")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    for noisy in ("idm_server.access", "idm_desktop.server", "uvicorn", "uvicorn.error"):
        logging.getLogger(noisy).setLevel(logging.WARNING)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="idm-public-demo-") as tmp:
        ctx, french, superseded = build_demo(Path(tmp))
        try:
            with DemoServer(ctx) as server, sync_playwright() as p:
                browser = p.chromium.launch(executable_path=chromium(), headless=True)
                for size_name, viewport in (("", DESKTOP), ("-phone", PHONE)):
                    context = browser.new_context(viewport=viewport, device_scale_factor=1,
                                                  is_mobile=bool(size_name), has_touch=bool(size_name))
                    page = context.new_page()
                    for lang in args.langs.split(","):
                        views = {
                            "home": f"/{lang}/",
                            "search": f"/{lang}/search?q={SEARCHES[lang]}",
                            "submission": f"/{lang}/submissions/{french}",
                        }
                        for view, path in views.items():
                            out = args.out / f"public-{view}-{lang}{size_name}.png"
                            size = shoot(page, server.url + path, out)
                            log.info("%s (%d KB)", out.relative_to(ROOT), size // 1024)
                    context.close()
                # A superseded version, marked, with a link to the version that replaces it.
                context = browser.new_context(viewport=DESKTOP)
                out = args.out / "public-superseded-en.png"
                size = shoot(context.new_page(), f"{server.url}/en/submissions/{superseded}", out)
                log.info("%s (%d KB)", out.relative_to(ROOT), size // 1024)
                context.close()
                browser.close()
                if args.keep_serving:
                    log.info("serving the demo at %s/ (superseded example: %s); Ctrl+C to stop",
                             server.url, superseded)
                    try:
                        while True:
                            time.sleep(1)
                    except KeyboardInterrupt:
                        pass
        finally:
            ctx.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
