"""Demo macros of a telephony SaaS's support: the replies its agents write
every day, in Polish and English; most shared with everyone, a few with one
team, one an agent keeps for themselves. Seeded once (by name and sharing)."""

from __future__ import annotations

from typing import Any

from carebase.accounts.models import Team, User
from carebase.workflow.macros import MacroData, do_save_macro
from carebase.workflow.models import Macro, MacroScope

SIGNATURE_PL = "\n\nPozdrawiam\n{{ agent.name }}\nZespół Wsparcia CallFlow"
SIGNATURE_EN = "\n\nBest regards,\n{{ agent.name }}\nCallFlow Support"

# name, language, sharing (everyone, a team's slug, or a username), text, changes
MACROS: list[tuple[str, str, str, str, dict[str, Any]]] = [
    (
        "Potwierdzenie zgłoszenia problemu",
        "pl",
        "everyone",
        "Dzień dobry {{ contact.first_name }},\n\ndziękujemy za zgłoszenie {{ ticket.reference }}. "
        "Sprawdzamy, co się dzieje z połączeniami, i odezwiemy się z informacją najpóźniej "
        "w ciągu 4 godzin roboczych." + SIGNATURE_PL,
        {"set_type": "problem"},
    ),
    (
        "Problem acknowledged",
        "en",
        "everyone",
        "Hello {{ contact.first_name }},\n\nthank you for reporting {{ ticket.reference }}. "
        "We are looking into the calls now and will update you within 4 business hours."
        + SIGNATURE_EN,
        {"set_type": "problem"},
    ),
    (
        "Prośba o logi i ID połączenia",
        "pl",
        "everyone",
        "Dzień dobry {{ contact.first_name }},\n\nżeby sprawdzić to połączenie, potrzebujemy:\n"
        "- identyfikatora połączenia (Call ID) z historii połączeń w panelu,\n"
        "- daty i godziny oraz numeru, z którego dzwoniono,\n"
        "- jeśli to możliwe, logów z aplikacji (Ustawienia → Pomoc → Wyślij logi).\n\n"
        "Do czasu odpowiedzi zgłoszenie czeka na Państwa." + SIGNATURE_PL,
        {"set_status": "pending", "add_tags": ["logi"]},
    ),
    (
        "Call logs and call ID needed",
        "en",
        "everyone",
        "Hello {{ contact.first_name }},\n\nto trace this call we need:\n"
        "- the call ID from the call history in your panel,\n"
        "- the date, time and the number that called,\n"
        "- if you can, the app's logs (Settings → Help → Send logs).\n\n"
        "We will keep {{ ticket.reference }} waiting for your reply." + SIGNATURE_EN,
        {"set_status": "pending", "add_tags": ["logi"]},
    ),
    (
        "Konfiguracja zakończona",
        "pl",
        "everyone",
        "Dzień dobry {{ contact.first_name }},\n\nkonfiguracja dla {{ organization.name }} jest "
        "gotowa: numery, kolejki i godziny pracy działają zgodnie z ustaleniami. Prosimy o "
        "wykonanie połączenia testowego; gdyby coś działało inaczej, wystarczy odpisać na tę "
        "wiadomość." + SIGNATURE_PL,
        {"set_status": "solved", "set_type": "configuration", "add_tags": ["konfiguracja"]},
    ),
    (
        "Configuration done",
        "en",
        "everyone",
        "Hello {{ contact.first_name }},\n\nthe setup for {{ organization.name }} is done: "
        "numbers, queues and opening hours work as agreed. Please place a test call; if "
        "anything behaves differently, just reply to this message." + SIGNATURE_EN,
        {"set_status": "solved", "set_type": "configuration", "add_tags": ["konfiguracja"]},
    ),
    (
        "Propozycja funkcji zapisana",
        "pl",
        "everyone",
        "Dzień dobry {{ contact.first_name }},\n\ndziękujemy za pomysł. Przekazaliśmy go zespołowi "
        "produktu jako propozycję funkcji; o decyzji poinformujemy w tym wątku." + SIGNATURE_PL,
        {"set_type": "feature_request", "set_status": "solved", "add_tags": ["pomysł"]},
    ),
    (
        "Feature request noted",
        "en",
        "everyone",
        "Hello {{ contact.first_name }},\n\nthank you for the idea. We have passed it to our "
        "product team as a feature request and will let you know here what they decide."
        + SIGNATURE_EN,
        {"set_type": "feature_request", "set_status": "solved", "add_tags": ["pomysł"]},
    ),
    (
        "Rozwiązane — zamykamy",
        "pl",
        "everyone",
        "Dzień dobry {{ contact.first_name }},\n\ncieszymy się, że wszystko już działa. Zamykamy "
        "zgłoszenie {{ ticket.reference }}; jeśli problem wróci, wystarczy odpisać na tę "
        "wiadomość." + SIGNATURE_PL,
        {"set_status": "solved"},
    ),
    (
        "Solved — closing",
        "en",
        "everyone",
        "Hello {{ contact.first_name }},\n\nglad to hear everything works now. We are closing "
        "{{ ticket.reference }}; if the problem comes back, just reply to this message."
        + SIGNATURE_EN,
        {"set_status": "solved"},
    ),
    (
        "Pytanie o fakturę — dział rozliczeń",
        "pl",
        "support",
        "Dzień dobry {{ contact.first_name }},\n\nsprawy faktur i płatności prowadzi nasz dział "
        "rozliczeń: rozliczenia@callflow.example, tel. 22 100 20 30 (pn-pt 9-16). Przekazaliśmy "
        "im już Państwa pytanie." + SIGNATURE_PL,
        {"set_type": "question", "add_tags": ["rozliczenia"]},
    ),
    (
        "Billing question — redirect",
        "en",
        "support",
        "Hello {{ contact.first_name }},\n\ninvoices and payments are handled by our billing "
        "team: billing@callflow.example, +48 22 100 20 30 (Mon-Fri 9-16 CET). We have already "
        "passed your question on." + SIGNATURE_EN,
        {"set_type": "question", "add_tags": ["rozliczenia"]},
    ),
    (
        "Zaproszenie na przegląd konta",
        "pl",
        "success",
        "Dzień dobry {{ contact.first_name }},\n\nchcielibyśmy umówić krótki przegląd konta "
        "{{ organization.name }}: jak zespół korzysta z kolejek, nagrań i raportów oraz co "
        "możemy usprawnić. Czy pasuje Państwu 30 minut w przyszłym tygodniu?\n\n"
        "Pozdrawiam\n{{ agent.name }}\nCustomer Success CallFlow",
        {"add_tags": ["przegląd"]},
    ),
    (
        "Oddzwonię dziś",
        "pl",
        "piotr.agent",
        "Dzień dobry {{ contact.first_name }},\n\noddzwonię dziś przed 16:00 na numer z konta, "
        "żeby przejść przez to razem.\n\nPiotr",
        {},
    ),
]


def seed(context: Any) -> None:
    head = User.objects.filter(username="kasia.head").first()
    if head is None:
        return
    for name, language, sharing, body, changes in MACROS:
        if Macro.objects.filter(name=name).exists():
            continue
        actor, scope, team = head, MacroScope.EVERYONE, None
        if sharing in ("support", "success"):
            found = Team.objects.filter(slug=sharing).first()
            if found is None:
                continue
            actor, scope, team = found.lead or head, MacroScope.TEAM, found.pk
        elif sharing != "everyone":
            owner = User.objects.filter(username=sharing).first()
            if owner is None:
                continue
            actor, scope = owner, MacroScope.PERSONAL
        do_save_macro(
            MacroData(name=name, body=body, language=language, scope=scope, team=team, **changes),
            actor=actor,
        )
