"""Seed 004 ("Mutig voran beim Klimaschutz im Verkehr") as data."""

PROGRAMME = {
    "slug": "mutig-voran",
    "title": "Mutig voran beim Klimaschutz im Verkehr",
    "summary": (
        "Unterstützungsangebot zur Stärkung der ämter- und institutionsübergreifenden "
        "Zusammenarbeit in Kommunen – praxisnah, niederschwellig und persönlich."
    ),
    "description": (
        "Die Aufstellung und Umsetzung von Instrumenten der klimafreundlichen Verkehrsplanung "
        "erfordert eine ämterübergreifende Zusammenarbeit und die kontinuierliche Einbindung der "
        "Politik. Das Angebot stärkt eine neue Planungskultur in den Kommunalverwaltungen: Die "
        "Entscheidungsebene wird zur Anpassung bestehender Strukturen motiviert, die mit "
        "integrierten Verkehrsplanungskonzepten befassten Mitarbeitenden werden in ihrer Rolle "
        "gestärkt. In Impuls-Trainings mit kompetenten Coaches werden wertvolle Tipps und "
        "Hinweise vermittelt.\n\n"
        "Ablauf: Online-Infoveranstaltung für alle Ebenen, Auftaktworkshops je Zielgruppe, "
        "digitale Impuls-Trainings à 2 Stunden in kleinen Gruppen (6–8 Personen) zu den "
        "Bausteinen 1–3 und eine Abschlussveranstaltung in Präsenz mit Übergabe der Zertifikate."
    ),
    "eligibility_min_criteria": 1,
    "impulse_trainings_per_participant": 3,
    # Certificate: kick-off workshop, at least two of the three impulse trainings, closing event.
    "cert_requires_kickoff": True,
    "cert_min_impulse_trainings": 2,
    "cert_requires_closing": True,
}

ELIGIBILITY_CRITERIA = [
    "Ich arbeite für eine Kommune an der Erstellung oder Umsetzung eines Klimamobilitätsplans "
    "bzw. Aktionsplans für Mobilität, Klima- und Lärmschutz.",
    "Ich bin Koordinator:in für Mobilität und Klimaschutz nach KlimaBW § 29.",
    "Meine Kommune ist Mitglied des Kommunennetzwerkes des Kompetenznetzes Klima Mobil.",
]

TARGET_GROUPS = [
    {
        "slug": "fuehrungsebene",
        "name": "Führungsebene",
        "description": "Entscheidungsebene in Kommunal- und Kreisverwaltungen.",
        "questions": [
            "Wie findet der Austausch zwischen der Entscheidungs- und Fachebene statt?",
            "Wie nehme ich die Kommunalpolitik von Beginn an mit?",
            "Werden Entscheidungen transparent und partizipativ herbeigeführt?",
            "Gibt es eine Wertschätzungs- und Feedbackkultur?",
            "Was kann ich dafür tun, dass nachhaltige Mobilität zum Wahlkampfthema wird?",
            "Wie halte und motiviere ich meine Mitarbeitenden und wie präsentiere ich meinen "
            "Landkreis/ meine Kommune als attraktive Arbeitgeber:in?",
        ],
    },
    {
        "slug": "verkehrsplanung",
        "name": "Verkehrsplaner:innen",
        "description": "Kommunale Fachplaner:innen, die integrierte Verkehrsplanung umsetzen.",
        "questions": [
            "Wie verschaffe ich mir Gehör für die Themen?",
            "Wie erstelle ich einen integrierten Zielfahrplan für die Kommune, in dem die Ziele "
            "des Landes aufgegriffen werden?",
            "Wie erkenne ich Möglichkeiten die Mobilitätswende anzuschieben und wie überzeuge ich "
            "andere davon mitzuwirken?",
            "Nicht noch ein Arbeitskreis! Wie kann ich bereichsübergreifende Zusammenarbeit "
            "effizient gestalten?",
        ],
    },
    {
        "slug": "landkreiskoordination",
        "name": "Landkreiskoordinator:innen",
        "description": "Koordinator:innen für Mobilität und Klimaschutz in den Landkreisen.",
        "questions": [
            "Was ist meine Rolle und Aufgabe und wie schaffe ich das Thema integrierte "
            "Verkehrsplanung in der „Chefetage“ zu platzieren?",
            "Was ist mein Mandat? Wie führe ich ohne Mandat?",
            "Wie begeistere ich die Kommunen für die Themen der nachhaltigen Mobilität?",
            "Wie gestalte ich ein Auftaktformat?",
        ],
    },
]

DEMO_PASSWORD = "fahrplan-demo"  # noqa: S105 (published demo credentials, refused in production)

ACCOUNTS = [
    ("admin", "admin@fahrplan.example", "Alex Admin", "Fahrplan"),
    (
        "organiser",
        "organisation@fahrplan.example",
        "Olga Organisatorin",
        "Kompetenznetz Klima Mobil",
    ),
    ("coach", "coach@fahrplan.example", "Chris Coach", "Beratungsbüro Mobilität"),
    ("participant", "teilnahme@fahrplan.example", "Pat Planerin", "Stadt Musterstadt"),
]
