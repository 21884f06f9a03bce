"""What the generated rows say: touchpoint summaries per reason, survey comments,
subscription products per segment, goodwill gestures."""

LINES = ["C3", "C13", "C25", "T1", "T2", "T3", "T4", "métro A", "métro B", "métro D", "37", "9"]
STOPS = [
    "Bellecour",
    "Part-Dieu",
    "Gratte-Ciel",
    "Perrache",
    "Hôtel de Ville",
    "Grange-Blanche",
    "Gare de Vénissieux",
    "Croix-Paquet",
    "Jean-Macé",
    "Charpennes",
]

# reason code -> summaries; {line} and {stop} are filled in
SUMMARIES = {
    "information": [
        "Horaires de la ligne {line} le dimanche",
        "Itinéraire pour l'hôpital Édouard-Herriot depuis {stop}",
        "Accès au parc relais proche de {stop}",
        "Fréquence de la ligne {line} pendant les vacances",
        "Correspondance entre la ligne {line} et le métro à {stop}",
    ],
    "subscription": [
        "Renouvellement de l'abonnement annuel",
        "Changement de coordonnées bancaires",
        "Attestation d'abonnement pour l'employeur",
        "Suspension de l'abonnement pendant un congé",
        "Passage du pass mensuel au pass annuel",
    ],
    "fare": [
        "Tarif solidaire : pièces justificatives",
        "Tarif réduit étudiant",
        "Prix du ticket 24 h",
        "Remboursement d'un titre acheté en double",
        "Tarif famille nombreuse : conditions",
    ],
    "complaint": [
        "Bus passé sans s'arrêter à l'arrêt {stop}",
        "Prélèvement en double ce mois-ci",
        "Valideur hors service à {stop}, contrôle malgré tout",
        "Ligne {line} bondée tous les matins",
        "Amende contestée : titre valide présenté",
    ],
    "lost_property": [
        "Parapluie oublié sur la ligne {line}",
        "Portefeuille perdu ligne {line}",
        "Sac à dos oublié à la station {stop}",
        "Clés perdues dans le bus {line}",
    ],
    "disruption": [
        "Retards répétés sur la ligne {line} le matin",
        "Travaux près de {stop} : arrêt déplacé ?",
        "Grève annoncée : quelles lignes circulent ?",
        "Ligne {line} interrompue entre {stop} et le terminus",
    ],
    "accessibility": [
        "Ascenseur en panne station {stop}",
        "Rampe d'accès du bus {line} bloquée",
        "Annonces sonores absentes sur la ligne {line}",
        "Demande d'accompagnement à la station {stop}",
    ],
    "incivility": [
        "Altercation signalée à bord de la ligne {line}",
        "Comportement agressif d'un voyageur à {stop}",
    ],
    "compliment": [
        "Remercie le conducteur de la ligne {line} pour son aide",
        "Très satisfaite de l'accueil à l'agence",
        "Merci pour le retour rapide sur ma réclamation",
    ],
    "other": [
        "Demande de rendez-vous en agence",
        "Question sur l'application mobile",
        "Mise à jour de l'adresse postale",
    ],
    "reconquest": [
        "Appel de reconquête : offre d'un mois",
        "Proposition d'essai gratuit après résiliation",
        "Point sur les nouveaux horaires de la ligne {line}",
    ],
}

COMMENTS = {
    "good": [
        "Accueil très agréable, merci !",
        "Réponse rapide et claire.",
        "Agent patient et à l'écoute.",
        "Problème réglé en quelques minutes.",
        "Très bon service, rien à redire.",
    ],
    "mixed": [
        "Correct, mais l'attente était longue.",
        "Réponse juste, sans plus.",
        "J'ai dû rappeler deux fois.",
        "Bien, mais les horaires d'ouverture sont trop courts.",
    ],
    "bad": [
        "Toujours pas de solution à mon problème.",
        "Personne ne m'a rappelé comme promis.",
        "Réponse à côté de la question.",
        "Très déçu, je vais résilier mon abonnement.",
        "Trop d'attente au téléphone, c'est inadmissible.",
    ],
}

# segment name -> (product, share of the segment that holds a subscription)
PRODUCTS = {
    "Abonnés annuels": (["Pass annuel", "Pass annuel tout public"], 0.95),
    "Scolaires": (["Pass scolaire", "Pass Jeune 11-25 ans"], 0.85),
    "Seniors": (["Pass Senior", "Pass Senior annuel"], 0.70),
    "Personnes à mobilité réduite": (["Pass Solidaire", "Pass mensuel"], 0.60),
    "Voyageurs occasionnels": (["Pass mensuel"], 0.06),
    "Plans de mobilité employeur": (["Pass employeur", "Pass annuel entreprise"], 0.95),
    "Visiteurs": (["Pass 7 jours"], 0.0),
}
FALLBACK_PRODUCTS = (["Pass mensuel"], 0.5)

GESTURES = [
    # kind, possible values in euros, why
    ("free_trips", ["3.60", "7.20", "10.80"], "Voyages offerts après un retard important"),
    ("discount", ["10.00", "15.00", "20.00"], "Remise après une panne de valideur"),
    ("refund", ["2.00", "19.50", "65.00"], "Remboursement d'un prélèvement en double"),
    ("gift", ["5.00"], "Petit cadeau pour un client fidèle"),
]
