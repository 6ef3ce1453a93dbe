"""Demo staff: one or more people in every role, in the Support and CS teams."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from carebase.accounts.actions import do_create_user, do_set_team_members
from carebase.accounts.models import Team, TeamKind, User
from carebase.core.roles import Role

DEMO_PASSWORD = "carebase-demo"

# username, first name, last name, roles, team slug, language
STAFF = [
    ("admin", "Adam", "Nowak", [Role.ADMIN], None, "pl"),
    ("kasia.head", "Katarzyna", "Wiśniewska", [Role.HEAD_OF_SUPPORT], "support", "pl"),
    ("piotr.agent", "Piotr", "Kowalczyk", [Role.SUPPORT_AGENT], "support", "pl"),
    ("ola.agent", "Aleksandra", "Lewandowska", [Role.SUPPORT_AGENT], "support", "pl"),
    ("john.agent", "John", "Carter", [Role.SUPPORT_AGENT], "support", "en"),
    ("ewa.mentor", "Ewa", "Kamińska", [Role.MENTOR, Role.SUPPORT_AGENT], "support", "pl"),
    ("jan.trainee", "Jan", "Mazur", [Role.TRAINEE], "support", "pl"),
    ("marta.cs", "Marta", "Zielińska", [Role.HEAD_OF_SUCCESS], "success", "pl"),
    ("tomek.csm", "Tomasz", "Wójcik", [Role.CS_MANAGER], "success", "pl"),
    ("emily.csm", "Emily", "Brooks", [Role.CS_MANAGER], "success", "en"),
    ("michal.sales", "Michał", "Szymański", [Role.SALES], None, "pl"),
]  # fmt: skip

LEADS = {"support": "kasia.head", "success": "marta.cs"}


def seed(context: Any) -> None:
    users: dict[str, User] = {}
    for username, first, last, roles, _team, language in STAFF:
        email = f"{username}@callflow.example"
        user = User.objects.filter(Q(username=username) | Q(email__iexact=email)).first()
        if user is None:
            user = do_create_user(
                username,
                roles=roles,
                email=email,
                password=DEMO_PASSWORD,
                first_name=first,
                last_name=last,
                language=language,
            )
        users[username] = user
        context.logins.append(
            (", ".join(str(role.label) for role in roles), username, DEMO_PASSWORD)
        )
    for slug, name, kind in (
        ("support", "Support", TeamKind.SUPPORT),
        ("success", "Customer Success", TeamKind.SUCCESS),
    ):
        team, _created = Team.objects.get_or_create(
            slug=slug, defaults={"name": name, "kind": kind}
        )
        if team.lead_id is None:
            team.lead = users[LEADS[slug]]
            team.save(update_fields=["lead"])
        members = [users[row[0]] for row in STAFF if row[4] == slug]
        do_set_team_members(team, set(team.members.all()) | set(members), actor=None)
    context.made["staff"] = users
