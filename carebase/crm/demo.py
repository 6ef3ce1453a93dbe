"""Demo clients of a telephony and call-analytics SaaS: 40 organizations,
200 contacts with Polish and English names, emails and Polish phone numbers,
and the projects each client runs. Deterministic, so a second run finds
everything already there."""

from __future__ import annotations

import unicodedata
from decimal import Decimal
from typing import Any

from carebase.accounts.demo import DEMO_PASSWORD
from carebase.accounts.models import User
from carebase.core.errors import Conflict
from carebase.crm.actions import (
    do_create_contact,
    do_create_customer_user,
    do_create_organization,
    do_create_project,
    find_contact,
)
from carebase.crm.identities import IdentityError, normalize_phone
from carebase.crm.models import (
    Currency,
    IdentityKind,
    Language,
    Organization,
    OrganizationStatus,
    Plan,
    ProjectStatus,
    Tier,
)

ORGANIZATION_NAMES = [
    "Autokomis Bałtyk", "Klinika Dentystyczna Uśmiech", "Szkoła Językowa Lingwista",
    "Deweloper Nowe Osiedla", "Hotel Pod Tatrami", "Kancelaria Prawna Lex", "Meble Drewnex",
    "Biuro Podróży Słoneczny Rejs", "Fitness Club Energia", "Salon Samochodowy Motopol",
    "Ubezpieczenia Pewność", "Centrum Medyczne Zdrowie", "Okna i Drzwi Termo", "Pizzeria Napoli",
    "Akademia Kodu", "Klimatyzacja Chłód-Serwis", "Fotowoltaika Słońce", "Agencja Marketingowa Impuls",
    "Nieruchomości Kowalscy", "Warsztat Auto-Fix", "Sklep Rowerowy Szprycha", "Weterynarz Łapa",
    "Northwind Logistics", "Brightside Insurance", "Harbor Dental Group", "Summit Realty",
    "Greenleaf Solar", "BlueWave Travel", "Apex Fitness", "Crescent Law Partners",
    "Maple Leaf Language School", "Ironclad Windows", "Nordic Furniture Outlet", "Pixel Perfect Agency",
    "Riverside Veterinary", "Urban Bikes", "Silverline Motors", "Oakwood Clinic",
    "Lumen Solar Poland", "Vistula Software House",
]  # fmt: skip

POLISH_FIRST = [("Anna", "f"), ("Maria", "f"), ("Katarzyna", "f"), ("Małgorzata", "f"),
                ("Agnieszka", "f"), ("Barbara", "f"), ("Ewa", "f"), ("Magdalena", "f"),
                ("Joanna", "f"), ("Zofia", "f"), ("Piotr", "m"), ("Krzysztof", "m"),
                ("Andrzej", "m"), ("Tomasz", "m"), ("Paweł", "m"), ("Michał", "m"),
                ("Marcin", "m"), ("Łukasz", "m"), ("Grzegorz", "m"), ("Wojciech", "m")]  # fmt: skip
POLISH_LAST = [("Nowak", "Nowak"), ("Kowalski", "Kowalska"), ("Wiśniewski", "Wiśniewska"),
               ("Wójcik", "Wójcik"), ("Kowalczyk", "Kowalczyk"), ("Kamiński", "Kamińska"),
               ("Lewandowski", "Lewandowska"), ("Zieliński", "Zielińska"),
               ("Szymański", "Szymańska"), ("Woźniak", "Woźniak"), ("Dąbrowski", "Dąbrowska"),
               ("Kozłowski", "Kozłowska"), ("Jankowski", "Jankowska"), ("Mazur", "Mazur"),
               ("Krawczyk", "Krawczyk"), ("Piotrowski", "Piotrowska"), ("Grabowski", "Grabowska"),
               ("Pawłowski", "Pawłowska"), ("Michalski", "Michalska"), ("Król", "Król")]  # fmt: skip
ENGLISH_FIRST = ["James", "Olivia", "William", "Emma", "Oliver", "Sophie", "Harry", "Grace",
                 "Jack", "Charlotte", "George", "Amelia", "Thomas", "Lucy", "Daniel", "Chloe"]  # fmt: skip
ENGLISH_LAST = ["Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies",
                "Robinson", "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green"]  # fmt: skip
JOB_TITLES_PL = ["Właściciel", "Dyrektor marketingu", "Kierownik biura", "Specjalista ds. marketingu",
                 "Księgowa", "Administrator IT", "Kierownik sprzedaży"]  # fmt: skip
JOB_TITLES_EN = ["Owner", "Marketing director", "Office manager", "Marketing specialist",
                 "Accountant", "IT administrator", "Head of sales"]  # fmt: skip
PROJECT_NAMES = ["Strona główna", "Kampania Google Ads", "Call tracking – oddział Kraków",
                 "Landing page promocja", "Infolinia", "Main website", "Facebook campaign",
                 "Call tracking – Warsaw branch", "Sales line", "Spring promotion"]  # fmt: skip
# Polish mobile prefixes that phonenumbers accepts as valid.
MOBILE_PREFIXES = ["501", "502", "509", "512", "513", "517", "531", "535", "570", "601", "602",
                   "603", "604", "660", "661", "664", "691", "692", "693", "721", "722", "731",
                   "783", "784", "790", "791", "880", "881", "883"]  # fmt: skip
LANDLINE_PREFIXES = ["22", "12", "61", "71", "58", "42", "81", "91"]

MRR_RANGE = {
    Plan.TRIAL: (0, 0),
    Plan.START: (99, 490),
    Plan.BUSINESS: (600, 2900),
    Plan.ENTERPRISE: (3500, 18000),
}
TIER_FOR_PLAN = {
    Plan.TRIAL: Tier.SMALL,
    Plan.START: Tier.STANDARD,
    Plan.BUSINESS: Tier.KEY,
    Plan.ENTERPRISE: Tier.STRATEGIC,
}


def ascii_fold(text: str) -> str:
    text = text.replace("ł", "l").replace("Ł", "L")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def domain_for(name: str) -> str:
    slug = "".join(c for c in ascii_fold(name).lower() if c.isalnum())
    return f"{slug[:24]}.example"


def polish_phone(rng: Any, mobile: bool) -> str:
    for _attempt in range(20):
        if mobile:
            raw = "+48" + rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(1_000_000):06d}"
        else:
            raw = "+48" + rng.choice(LANDLINE_PREFIXES) + f"{rng.randrange(10_000_000):07d}"
        try:
            return normalize_phone(raw)
        except IdentityError:
            continue
    raise RuntimeError("No valid demo phone number")


def seed(context: Any) -> None:
    rng = context.random
    staff: dict[str, User] = context.made.get("staff", {})
    owners = [
        user for name, user in staff.items() if name in ("tomek.csm", "emily.csm", "marta.cs")
    ]
    plans = [Plan.TRIAL] * 4 + [Plan.START] * 16 + [Plan.BUSINESS] * 14 + [Plan.ENTERPRISE] * 6
    rng.shuffle(plans)
    organizations = []
    for index, name in enumerate(ORGANIZATION_NAMES):
        english = index >= 22
        plan = plans[index]
        low, high = MRR_RANGE[plan]
        status = OrganizationStatus.TRIAL if plan == Plan.TRIAL else OrganizationStatus.ACTIVE
        if index in (7, 29):
            status = OrganizationStatus.CHURNED
        elif index in (13,):
            status = OrganizationStatus.SUSPENDED
        mrr = (
            Decimal(0) if status == OrganizationStatus.CHURNED else Decimal(rng.randint(low, high))
        )
        # Draw every random value even for organizations that exist, so that a
        # second run sees the same sequence.
        owner = rng.choice(owners) if owners else None
        tax_id = "" if english else f"{rng.randrange(10**9, 10**10)}"
        organization = Organization.objects.filter(name=name).first()
        if organization is None:
            organization = do_create_organization(
                actor=None,
                name=name,
                tier=TIER_FOR_PLAN[plan],
                plan=plan,
                mrr=mrr,
                currency=Currency.EUR if english and index % 3 == 0 else Currency.PLN,
                status=status,
                cs_owner=owner if plan != Plan.TRIAL else None,
                website=f"https://www.{domain_for(name)}",
                tax_id=tax_id,
            )
        organizations.append((organization, english))
        _seed_projects(rng, organization, index)
    _seed_contacts(rng, organizations)
    _seed_customer_login(context, organizations[0][0])


def _seed_projects(rng: Any, organization: Organization, index: int) -> None:
    count = 1 + index % 3
    names = rng.sample(PROJECT_NAMES, count)
    if organization.projects.exists():
        return
    for position, project_name in enumerate(names):
        disconnected = organization.status == OrganizationStatus.CHURNED or (
            position == 2 and index % 4 == 0
        )
        do_create_project(
            organization,
            actor=None,
            name=project_name,
            status=ProjectStatus.DISCONNECTED if disconnected else ProjectStatus.ACTIVE,
            external_id=f"PRJ-{1000 + index * 10 + position}",
        )


def _seed_contacts(rng: Any, organizations: list[tuple[Organization, bool]]) -> None:
    for organization, english in organizations:
        domain = domain_for(organization.name)
        for position in range(5):
            # Draw every value first, so each run sees the same sequence.
            if english:
                first = rng.choice(ENGLISH_FIRST)
                last = rng.choice(ENGLISH_LAST)
                title = rng.choice(JOB_TITLES_EN)
            else:
                first, gender = rng.choice(POLISH_FIRST)
                male, female = rng.choice(POLISH_LAST)
                last = male if gender == "m" else female
                title = rng.choice(JOB_TITLES_PL)
            mobile = polish_phone(rng, mobile=True)
            landline = polish_phone(rng, mobile=False)
            local = f"{ascii_fold(first).lower()}.{ascii_fold(last).lower()}"
            # The email identity is the demo contact's stable key: a contact
            # renamed or moved since the last run is still found by it.
            email = f"{local}.{position}@{domain}" if position else f"{local}@{domain}"
            if find_contact(IdentityKind.EMAIL, email) is not None:
                continue
            handle = f"{ascii_fold(first).lower()}_{ascii_fold(last).lower()}"[:26]
            try:
                do_create_contact(
                    actor=None,
                    name=f"{first} {last}",
                    organization=organization,
                    language=Language.ENGLISH if english else Language.POLISH,
                    job_title=title,
                    emails=[email],
                    phones=[mobile] if position else [mobile, landline],
                    telegram=[f"@{handle}_{organization.pk}"] if position == 4 else [],
                )
            except Conflict:
                # Someone has since taken this number or handle for a real contact.
                continue


def _seed_customer_login(context: Any, organization: Organization) -> None:
    if not User.objects.filter(username="klient").exists():
        do_create_customer_user(
            "klient",
            organization_name=organization.name,
            email=f"biuro@{domain_for(organization.name)}",
            password=DEMO_PASSWORD,
            name="Jolanta Klientowska",
        )
    context.logins.append(("Customer", "klient", DEMO_PASSWORD))
