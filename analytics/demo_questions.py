"""Quiz items of the demo data set, in English, French and Spanish, from the Convention's text and the
secretariat's documents (Minamata Online seasons, Minamata Tools, the 2024 workshops).

Item 4 (index 3) carries a deliberately faulty Spanish translation ("water" instead of "air"), so
that the per-language item analysis has a real translation fault to flag."""

from __future__ import annotations


def _c(en, fr, es):
    return {"en": en, "fr": fr, "es": es}


# (question names, [(choice id, descriptions)], correct choice id, difficulty on the logit scale)
QUESTIONS = [
    (
        _c(
            "In which year was the Minamata Convention on Mercury adopted?",
            "En quelle année la Convention de Minamata sur le mercure a-t-elle été adoptée ?",
            "¿En qué año se adoptó el Convenio de Minamata sobre el Mercurio?",
        ),
        [
            ("a", _c("2013", "2013", "2013")),
            ("b", _c("2009", "2009", "2009")),
            ("c", _c("2017", "2017", "2017")),
            ("d", _c("2020", "2020", "2020")),
        ],
        "a",
        -0.8,
    ),
    (
        _c(
            "Which article covers mercury supply sources and trade?",
            "Quel article traite des sources d'approvisionnement en mercure et du commerce ?",
            "¿Qué artículo trata de las fuentes de suministro y el comercio de mercurio?",
        ),
        [
            ("a", _c("Article 3", "Article 3", "Artículo 3")),
            ("b", _c("Article 8", "Article 8", "Artículo 8")),
            ("c", _c("Article 11", "Article 11", "Artículo 11")),
            ("d", _c("Article 21", "Article 21", "Artículo 21")),
        ],
        "a",
        0.0,
    ),
    (
        _c(
            "Which article requires Parties to report on the measures they have taken?",
            "Quel article demande aux Parties de faire rapport sur les mesures qu'elles ont prises ?",
            "¿Qué artículo exige a las Partes informar sobre las medidas que han adoptado?",
        ),
        [
            ("a", _c("Article 21", "Article 21", "Artículo 21")),
            ("b", _c("Article 14", "Article 14", "Artículo 14")),
            ("c", _c("Article 17", "Article 17", "Artículo 17")),
            ("d", _c("Article 4", "Article 4", "Artículo 4")),
        ],
        "a",
        0.2,
    ),
    (
        _c(
            "Which article controls emissions of mercury to air?",
            "Quel article porte sur les émissions de mercure dans l'atmosphère ?",
            # faulty translation: "al agua" (to water) instead of "a la atmósfera" (to air)
            "¿Qué artículo controla las emisiones de mercurio al agua?",
        ),
        [
            ("a", _c("Article 8", "Article 8", "Artículo 8")),
            ("b", _c("Article 9", "Article 9", "Artículo 9")),
            ("c", _c("Article 12", "Article 12", "Artículo 12")),
            ("d", _c("Article 5", "Article 5", "Artículo 5")),
        ],
        "a",
        -0.2,
    ),
    (
        _c(
            "How many seasons of Minamata Online had the secretariat run by April 2025?",
            "Combien de saisons de Minamata Online le secrétariat avait-il organisées en avril 2025 ?",
            "¿Cuántas temporadas de Minamata Online había organizado la secretaría en abril de 2025?",
        ),
        [
            ("a", _c("Five", "Cinq", "Cinco")),
            ("b", _c("Two", "Deux", "Dos")),
            ("c", _c("Three", "Trois", "Tres")),
            ("d", _c("Ten", "Dix", "Diez")),
        ],
        "a",
        0.4,
    ),
    (
        _c(
            "Where was the 2024 workshop on mercury trade held?",
            "Où s'est tenu l'atelier de 2024 consacré au commerce du mercure ?",
            "¿Dónde se celebró el taller de 2024 sobre el comercio de mercurio?",
        ),
        [
            ("a", _c("In the Philippines", "Aux Philippines", "En Filipinas")),
            ("b", _c("In South Africa", "En Afrique du Sud", "En Sudáfrica")),
            ("c", _c("In Switzerland", "En Suisse", "En Suiza")),
            ("d", _c("In Pakistan", "Au Pakistan", "En Pakistán")),
        ],
        "a",
        0.9,
    ),
    (
        _c(
            "Which article deals with contaminated sites?",
            "Quel article traite des sites contaminés ?",
            "¿Qué artículo trata de los sitios contaminados?",
        ),
        [
            ("a", _c("Article 12", "Article 12", "Artículo 12")),
            ("b", _c("Article 11", "Article 11", "Artículo 11")),
            ("c", _c("Article 7", "Article 7", "Artículo 7")),
            ("d", _c("Article 16", "Article 16", "Artículo 16")),
        ],
        "a",
        0.3,
    ),
    (
        _c("What does Article 4 regulate?", "Que réglemente l'article 4 ?", "¿Qué regula el artículo 4?"),
        [
            (
                "a",
                _c(
                    "Mercury-added products",
                    "Les produits contenant du mercure ajouté",
                    "Los productos con mercurio añadido",
                ),
            ),
            ("b", _c("Mercury wastes", "Les déchets de mercure", "Los desechos de mercurio")),
            (
                "c",
                _c(
                    "Artisanal gold mining",
                    "L'extraction minière artisanale d'or",
                    "La extracción artesanal de oro",
                ),
            ),
            ("d", _c("Financial mechanism", "Le mécanisme de financement", "El mecanismo financiero")),
        ],
        "a",
        -0.3,
    ),
    (
        _c(
            "With which institution did the secretariat design the Minamata Tools modules?",
            "Avec quelle institution le secrétariat a-t-il conçu les modules Minamata Tools ?",
            "¿Con qué institución diseñó la secretaría los módulos Minamata Tools?",
        ),
        [
            (
                "a",
                _c(
                    "The United Nations System Staff College",
                    "L'École des cadres des Nations Unies",
                    "La Escuela Superior del Personal de las Naciones Unidas",
                ),
            ),
            ("b", _c("The World Bank", "La Banque mondiale", "El Banco Mundial")),
            ("c", _c("UNESCO", "L'UNESCO", "La UNESCO")),
            ("d", _c("WHO", "L'OMS", "La OMS")),
        ],
        "a",
        1.1,
    ),
    (
        _c(
            "Which article covers mercury wastes?",
            "Quel article porte sur les déchets de mercure ?",
            "¿Qué artículo trata de los desechos de mercurio?",
        ),
        [
            ("a", _c("Article 11", "Article 11", "Artículo 11")),
            ("b", _c("Article 10", "Article 10", "Artículo 10")),
            ("c", _c("Article 3", "Article 3", "Artículo 3")),
            ("d", _c("Article 13", "Article 13", "Artículo 13")),
        ],
        "a",
        0.1,
    ),
]

LESSONS = [
    _c("The Convention at a glance", "La Convention en bref", "El Convenio en resumen"),
    _c(
        "Supply sources and trade (Article 3)",
        "Sources d'approvisionnement et commerce (article 3)",
        "Fuentes de suministro y comercio (artículo 3)",
    ),
    _c(
        "Mercury-added products (Article 4)",
        "Produits contenant du mercure ajouté (article 4)",
        "Productos con mercurio añadido (artículo 4)",
    ),
    _c("Emissions (Article 8)", "Émissions (article 8)", "Emisiones (artículo 8)"),
    _c(
        "Wastes and contaminated sites (Articles 11 and 12)",
        "Déchets et sites contaminés (articles 11 et 12)",
        "Desechos y sitios contaminados (artículos 11 y 12)",
    ),
    _c(
        "National reporting (Article 21)",
        "Rapports nationaux (article 21)",
        "Presentación de informes (artículo 21)",
    ),
]
