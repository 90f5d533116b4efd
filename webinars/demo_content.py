"""webinars: the demo season (data only; :mod:`webinars.demo` creates it).

Facts come from the secretariat's report to COP-6 (UNEP/MC/COP.6 documents in ``shared/seeds``):
since 2020 five seasons of *Minamata Online*; season 5 (March 2024 – April 2025) covered
mercury-added products, trade, supply and mercury waste, the second full national reports,
populations in vulnerable situations, the gender action plan and synergies with the Kunming-Montreal
Global Biodiversity Framework; the Article 4 session (June–July 2024, funded by the European Union)
and the Article 11 session (November–December 2024, funded by Switzerland) ran in the six UN
languages. Exact dates, speakers and words spoken are illustrative: each demo recording is a short
generated tone with sample captions, a few seconds long.
"""

SEASON5 = {
    "number": 5,
    "titles": {
        "en": "Season 5 (March 2024 – April 2025)",
        "fr": "Saison 5 (mars 2024 – avril 2025)",
        "es": "Temporada 5 (marzo de 2024 – abril de 2025)",
        "ar": "الموسم 5 (آذار/مارس 2024 – نيسان/أبريل 2025)",
        "zh": "第5季（2024年3月至2025年4月）",
        "ru": "Сезон 5 (март 2024 года – апрель 2025 года)",
    },
    "descriptions": {
        "en": "The fifth season of *Minamata Online* helped Parties with mercury-added products, trade, "
        "supply and mercury waste, the second full national reports, populations in vulnerable "
        "situations, the gender action plan and synergies with the Kunming-Montreal Global "
        "Biodiversity Framework. The sessions on Article 4 (funded by the European Union) and "
        "Article 11 (funded by Switzerland) ran in the six official UN languages.",
        "fr": "La cinquième saison de *Minamata Online* a aidé les Parties sur les produits contenant du "
        "mercure ajouté, le commerce, l’offre et les déchets de mercure, les deuxièmes rapports "
        "nationaux complets, les populations en situation de vulnérabilité, le plan d’action pour "
        "l’égalité des genres et les synergies avec le Cadre mondial de la biodiversité de "
        "Kunming-Montréal. La session sur l’article 4 (financée par l’Union européenne) et celle sur "
        "l’article 11 (financée par la Suisse) se sont déroulées dans les six langues officielles de "
        "l’Organisation des Nations Unies.",
        "es": "La quinta temporada de *Minamata Online* ayudó a las Partes con los productos con mercurio "
        "añadido, el comercio, el suministro y los desechos de mercurio, los segundos informes "
        "nacionales completos, las poblaciones en situación de vulnerabilidad, el plan de acción "
        "sobre género y las sinergias con el Marco Mundial de Biodiversidad de Kunming-Montreal.",
        "ar": "ساعد الموسم الخامس من *Minamata Online* الأطراف في مسائل المنتجات المضاف إليها الزئبق "
        "والتجارة والإمداد ونفايات الزئبق، والتقارير الوطنية الكاملة الثانية، والسكان الذين يعيشون "
        "أوضاعًا هشة، وخطة العمل الجنسانية، وأوجه التآزر مع إطار كونمينغ-مونتريال العالمي للتنوع "
        "البيولوجي. وعُقدت الجلستان المتعلقتان بالمادة 4 (بتمويل من الاتحاد الأوروبي) والمادة 11 "
        "(بتمويل من سويسرا) باللغات الرسمية الست للأمم المتحدة.",
        "zh": "*Minamata Online* 第五季帮助缔约方处理添汞产品、贸易、供应和汞废物、第二次完整国家报告、"
        "处境脆弱群体、性别行动计划以及与《昆明-蒙特利尔全球生物多样性框架》的协同增效等问题。"
        "关于第4条（由欧洲联盟资助）和第11条（由瑞士资助）的讲座以联合国六种正式语文举行。",
        "ru": "Пятый сезон *Minamata Online* помог Сторонам в вопросах продуктов с добавлением ртути, "
        "торговли, поставок и ртутных отходов, вторых полных национальных докладов, групп населения в "
        "уязвимом положении, плана действий по гендерной проблематике и синергии с Куньминско-Монреальской "
        "глобальной рамочной программой в области биоразнообразия. Сессии по статье 4 (при финансировании "
        "Европейского союза) и статье 11 (при финансировании Швейцарии) прошли на шести официальных "
        "языках ООН.",
    },
}

SEASON_DEMO = {
    "number": 6,
    "titles": {
        "en": "Upcoming sessions (demonstration)",
        "fr": "Sessions à venir (démonstration)",
        "es": "Próximas sesiones (demostración)",
        "ar": "الجلسات المقبلة (عرض توضيحي)",
        "zh": "即将举行的讲座（演示）",
        "ru": "Предстоящие сессии (демонстрация)",
    },
    "descriptions": {
        "en": "An example of an upcoming session, to try registration and reminders.",
        "fr": "Un exemple de session à venir, pour essayer l’inscription et les rappels.",
    },
}

SIX = ["en", "fr", "es", "ar", "zh", "ru"]

# Each cue: (start, end, text). Chapters: (start, {lang: title}, [articles]).
SESSIONS = [
    {
        "slug": "s5-mercury-added-products",
        "start": (2024, 6, 25, 13),
        "second": (2024, 7, 2, 6),
        "duration": 90,
        "articles": [4],
        "languages": SIX,
        "funded": "European Union",
        "titles": {
            "en": "Mercury-added products (Article 4)",
            "fr": "Produits contenant du mercure ajouté (article 4)",
            "es": "Productos con mercurio añadido (artículo 4)",
            "ar": "المنتجات المضاف إليها الزئبق (المادة 4)",
            "zh": "添汞产品（第4条）",
            "ru": "Продукты с добавлением ртути (статья 4)",
        },
        "descriptions": {
            "en": "Phase-out dates of Annex A, Part I, the measures of Part II for dental "
            "amalgam, and how customs and regulators find mercury-added products.",
            "fr": "Les dates d’élimination de l’annexe A, première partie, les mesures de la "
            "deuxième partie pour les amalgames dentaires et le contrôle aux frontières.",
            "es": "Las fechas de eliminación del anexo A, parte I, las medidas de la parte II "
            "para la amalgama dental y el control en las fronteras.",
            "ar": "مواعيد التخلص التدريجي الواردة في الجزء الأول من المرفق ألف، وتدابير الجزء الثاني بشأن "
            "ملغم الأسنان، وكيف تكشف الجمارك والجهات التنظيمية عن المنتجات المضاف إليها الزئبق.",
            "zh": "附件A第一部分规定的淘汰日期、第二部分关于牙科汞合金的措施，"
            "以及海关和监管机构如何发现添汞产品。",
            "ru": "Сроки поэтапного отказа по части I приложения A, меры части II в отношении зубной "
            "амальгамы и то, как таможня и регулирующие органы выявляют продукты с добавлением ртути.",
        },
        "captions": {
            "en": [
                (0.5, 3.5, "Welcome to Minamata Online on mercury-added products."),
                (4.0, 7.5, "Annex A lists batteries, lamps, cosmetics and thermometers to phase out."),
                (8.0, 11.5, "Customs officers can check imports against the Annex A list."),
            ],
            "fr": [
                (0.5, 3.5, "Bienvenue à Minamata Online sur les produits contenant du mercure ajouté."),
                (4.0, 7.5, "L’annexe A énumère les piles, les lampes, les cosmétiques et les thermomètres."),
                (
                    8.0,
                    11.5,
                    "Les douaniers peuvent contrôler les importations grâce à la liste de l’annexe A.",
                ),
            ],
            "es": [
                (0.5, 3.5, "Bienvenidos a Minamata Online sobre los productos con mercurio añadido."),
                (4.0, 7.5, "El anexo A enumera pilas, lámparas, cosméticos y termómetros que se eliminan."),
                (8.0, 11.5, "Los funcionarios de aduanas pueden controlar las importaciones con el anexo A."),
            ],
            "zh": [
                (0.5, 3.5, "欢迎参加关于添汞产品的水俣在线讲座。"),
                (4.0, 7.5, "附件A列出了需要逐步淘汰的电池、灯具、化妆品和温度计。"),
                (8.0, 11.5, "海关官员可以根据附件A清单检查进口产品。"),
            ],
            "ar": [
                (0.5, 3.5, "مرحبًا بكم في ميناماتا أونلاين حول المنتجات المضاف إليها الزئبق."),
                (4.0, 7.5, "يدرج المرفق ألف البطاريات والمصابيح ومستحضرات التجميل وموازين الحرارة."),
                (8.0, 11.5, "يمكن لموظفي الجمارك مراقبة الواردات باستخدام قائمة المرفق ألف."),
            ],
            "ru": [
                (0.5, 3.5, "Добро пожаловать на Minamata Online о продуктах с добавлением ртути."),
                (4.0, 7.5, "В приложении A перечислены батареи, лампы, косметика и термометры."),
                (8.0, 11.5, "Таможенники могут проверять импорт по списку приложения A."),
            ],
        },
        "chapters": [
            (
                0,
                {
                    "en": "Welcome",
                    "fr": "Accueil",
                    "es": "Bienvenida",
                    "ar": "ترحيب",
                    "zh": "欢迎",
                    "ru": "Приветствие",
                },
                [4],
            ),
            (
                4,
                {
                    "en": "Annex A products",
                    "fr": "Produits de l’annexe A",
                    "es": "Productos del anexo A",
                    "ar": "منتجات المرفق ألف",
                    "zh": "附件A所列产品",
                    "ru": "Продукты из приложения A",
                },
                [4],
            ),
            (
                8,
                {
                    "en": "Border controls and trade",
                    "fr": "Contrôles aux frontières et commerce",
                    "es": "Controles fronterizos y comercio",
                    "ar": "الرقابة على الحدود والتجارة",
                    "zh": "边境管制与贸易",
                    "ru": "Пограничный контроль и торговля",
                },
                [3, 4],
            ),
        ],
        "qa": [
            (
                "Are dental amalgams phased out?",
                "Ana Pérez",
                "no",
                "No: Part II of Annex A lists measures to phase down their use.",
                "Secretariat",
                "0:00:06",
            ),
            (
                "Which lamps are covered?",
                "Kofi Mensah",
                "yes",
                "Compact and linear fluorescent lamps above the mercury limits of Annex A.",
                "Expert",
                "0:00:05",
            ),
        ],
    },
    {
        "slug": "s5-mercury-supply-and-trade",
        "start": (2024, 4, 16, 13),
        "duration": 90,
        "articles": [3],
        "languages": ["en", "fr", "es"],
        "titles": {
            "en": "Mercury supply sources and trade (Article 3)",
            "fr": "Sources d’approvisionnement et commerce du mercure (article 3)",
            "es": "Fuentes de suministro y comercio de mercurio (artículo 3)",
        },
        "descriptions": {
            "en": "Primary mercury mining, surplus mercury from chlor-alkali facilities and the "
            "written consent procedure for trade."
        },
        "captions": {
            "en": [
                (0.5, 4.0, "Article 3 restricts primary mercury mining."),
                (4.5, 8.0, "Exports need the written consent of the importing Party."),
                (8.5, 11.5, "The consent forms are on the Convention website."),
            ],
            "fr": [
                (0.5, 4.0, "L’article 3 restreint l’extraction minière primaire de mercure."),
                (4.5, 8.0, "Les exportations exigent le consentement écrit de la Partie importatrice."),
                (8.5, 11.5, "Les formulaires de consentement sont sur le site de la Convention."),
            ],
            "es": [
                (0.5, 4.0, "El artículo 3 restringe la extracción primaria de mercurio."),
                (
                    4.5,
                    8.0,
                    "Las exportaciones requieren el consentimiento por escrito de la Parte importadora.",
                ),
                (8.5, 11.5, "Los formularios de consentimiento están en el sitio web del Convenio."),
            ],
        },
        "chapters": [
            (
                0,
                {"en": "Supply sources", "fr": "Sources d’approvisionnement", "es": "Fuentes de suministro"},
                [3],
            ),
            (
                4,
                {
                    "en": "Trade and written consent",
                    "fr": "Commerce et consentement écrit",
                    "es": "Comercio y consentimiento por escrito",
                },
                [3],
            ),
        ],
        "qa": [
            (
                "Does consent apply to mercury compounds?",
                "",
                "no",
                "Article 3 covers mercury and the mixtures and compounds listed in it.",
                "Secretariat",
                "0:00:07",
            )
        ],
    },
    {
        "slug": "s5-mercury-waste",
        "start": (2024, 11, 26, 13),
        "second": (2024, 12, 3, 6),
        "duration": 90,
        "articles": [11],
        "languages": SIX,
        "funded": "Switzerland",
        "titles": {
            "en": "Mercury wastes (Article 11)",
            "fr": "Déchets de mercure (article 11)",
            "es": "Desechos de mercurio (artículo 11)",
            "ar": "نفايات الزئبق (المادة 11)",
            "zh": "汞废物（第11条）",
            "ru": "Ртутные отходы (статья 11)",
        },
        "descriptions": {
            "en": "The thresholds for mercury wastes, environmentally sound management and the "
            "links with the Basel Convention.",
            "fr": "Les seuils applicables aux déchets de mercure, la gestion écologiquement rationnelle et "
            "les liens avec la Convention de Bâle.",
            "es": "Los umbrales para los desechos de mercurio, la gestión ambientalmente racional y los "
            "vínculos con el Convenio de Basilea.",
            "ar": "العتبات المطبقة على نفايات الزئبق، والإدارة السليمة بيئيًا، والصلات باتفاقية بازل.",
            "zh": "汞废物的阈值、无害环境管理以及与《巴塞尔公约》的联系。",
            "ru": "Пороговые значения для ртутных отходов, экологически обоснованное регулирование и связь "
            "с Базельской конвенцией.",
        },
        "captions": {
            "en": [
                (0.5, 4.0, "Mercury wastes must be managed in an environmentally sound manner."),
                (4.5, 8.0, "Parties agreed thresholds for wastes contaminated with mercury."),
                (8.5, 11.5, "The Basel Convention guidelines apply to mercury waste."),
            ],
            "fr": [
                (
                    0.5,
                    4.0,
                    "Les déchets de mercure doivent être gérés de manière écologiquement rationnelle.",
                ),
                (4.5, 8.0, "Les Parties ont convenu de seuils pour les déchets contaminés au mercure."),
                (8.5, 11.5, "Les directives de la Convention de Bâle s’appliquent aux déchets de mercure."),
            ],
            "es": [
                (0.5, 4.0, "Los desechos de mercurio deben gestionarse de manera ambientalmente racional."),
                (4.5, 8.0, "Las Partes acordaron umbrales para los desechos contaminados con mercurio."),
                (8.5, 11.5, "Las directrices del Convenio de Basilea se aplican a los desechos de mercurio."),
            ],
            "zh": [
                (0.5, 4.0, "汞废物必须以无害环境的方式进行管理。"),
                (4.5, 8.0, "缔约方商定了受汞污染废物的阈值。"),
                (8.5, 11.5, "巴塞尔公约的技术准则适用于汞废物。"),
            ],
        },
        "chapters": [
            (
                0,
                {
                    "en": "Environmentally sound management",
                    "fr": "Gestion écologiquement rationnelle",
                    "es": "Gestión ambientalmente racional",
                    "ar": "الإدارة السليمة بيئيًا",
                    "zh": "无害环境管理",
                    "ru": "Экологически обоснованное регулирование",
                },
                [11],
            ),
            (
                4,
                {
                    "en": "Thresholds",
                    "fr": "Seuils",
                    "es": "Umbrales",
                    "ar": "العتبات",
                    "zh": "阈值",
                    "ru": "Пороговые значения",
                },
                [11],
            ),
            (
                8,
                {
                    "en": "Basel Convention links",
                    "fr": "Liens avec la Convention de Bâle",
                    "es": "Vínculos con el Convenio de Basilea",
                    "ar": "الصلات باتفاقية بازل",
                    "zh": "与《巴塞尔公约》的联系",
                    "ru": "Связь с Базельской конвенцией",
                },
                [11, 12],
            ),
        ],
        "qa": [
            (
                "Is interim storage the same as disposal?",
                "Li Wei",
                "no",
                "No: Article 10 covers interim storage; Article 11 covers wastes.",
                "Expert",
                "0:00:03",
            )
        ],
    },
    {
        "slug": "s5-second-national-reports",
        "start": (2025, 1, 21, 13),
        "duration": 90,
        "articles": [21],
        "languages": ["en", "fr", "es"],
        "titles": {
            "en": "Preparing the second full national reports (Article 21)",
            "fr": "Préparer les deuxièmes rapports nationaux complets (article 21)",
            "es": "Preparar los segundos informes nacionales completos (artículo 21)",
        },
        "descriptions": {"en": "The reporting format, the online reporting tool and common questions."},
        "captions": {
            "en": [
                (0.5, 4.0, "Article 21 asks each Party to report on its implementation."),
                (4.5, 8.0, "The second full report uses the online reporting tool."),
                (8.5, 11.5, "Start early and involve every ministry concerned."),
            ],
            "fr": [
                (0.5, 4.0, "L’article 21 demande à chaque Partie de rendre compte de sa mise en œuvre."),
                (4.5, 8.0, "Le deuxième rapport complet utilise l’outil de notification en ligne."),
                (8.5, 11.5, "Commencez tôt et associez chaque ministère concerné."),
            ],
            "es": [
                (0.5, 4.0, "El artículo 21 pide a cada Parte que informe sobre su aplicación."),
                (4.5, 8.0, "El segundo informe completo utiliza la herramienta de presentación en línea."),
                (8.5, 11.5, "Empiecen pronto e involucren a todos los ministerios interesados."),
            ],
        },
        "chapters": [
            (
                0,
                {
                    "en": "Reporting obligations",
                    "fr": "Obligations de notification",
                    "es": "Obligaciones de presentación de informes",
                },
                [21],
            ),
            (4, {"en": "The online tool", "fr": "L’outil en ligne", "es": "La herramienta en línea"}, [21]),
        ],
        "qa": [
            (
                "Can we reuse data from the first report?",
                "",
                "no",
                "Yes, the tool lets you start from your previous answers.",
                "Secretariat",
                "0:00:06",
            )
        ],
    },
    {
        "slug": "s5-vulnerable-populations",
        "start": (2025, 2, 18, 13),
        "duration": 90,
        "articles": [16],
        "languages": ["en", "fr", "es"],
        "titles": {
            "en": "Populations in vulnerable situations",
            "fr": "Populations en situation de vulnérabilité",
            "es": "Poblaciones en situación de vulnerabilidad",
        },
        "descriptions": {
            "en": "Taking into account women, children, indigenous peoples and local communities."
        },
        "captions": {
            "en": [
                (0.5, 4.0, "Some populations are more exposed to mercury than others."),
                (4.5, 8.0, "Fish consumption and artisanal gold mining raise exposure."),
                (8.5, 11.5, "Article 16 encourages health strategies for these groups."),
            ],
            "fr": [
                (0.5, 4.0, "Certaines populations sont plus exposées au mercure que d’autres."),
                (4.5, 8.0, "La consommation de poisson et l’orpaillage augmentent l’exposition."),
                (8.5, 11.5, "L’article 16 encourage des stratégies de santé pour ces groupes."),
            ],
            "es": [
                (0.5, 4.0, "Algunas poblaciones están más expuestas al mercurio que otras."),
                (4.5, 8.0, "El consumo de pescado y la minería artesanal de oro aumentan la exposición."),
                (8.5, 11.5, "El artículo 16 alienta estrategias de salud para estos grupos."),
            ],
        },
        "chapters": [
            (0, {"en": "Who is most exposed", "fr": "Les plus exposés", "es": "Los más expuestos"}, [16]),
            (
                4,
                {
                    "en": "Gold mining and fish",
                    "fr": "Orpaillage et poisson",
                    "es": "Minería de oro y pescado",
                },
                [7, 16],
            ),
        ],
        "qa": [
            (
                "Are there guidelines for health workers?",
                "Maria Santos",
                "yes",
                "WHO guidance is linked from the session resources.",
                "Expert",
                "0:00:09",
            )
        ],
    },
    {
        "slug": "s5-gender-action-plan",
        "start": (2025, 3, 11, 13),
        "duration": 60,
        "articles": [14, 18],
        "languages": ["en", "fr", "es"],
        "titles": {
            "en": "Implementing the gender action plan",
            "fr": "Mettre en œuvre le plan d’action pour l’égalité des genres",
            "es": "Aplicar el plan de acción sobre género",
        },
        "descriptions": {"en": "Practical steps to mainstream gender in national implementation."},
        "captions": {
            "en": [
                (0.5, 4.0, "The gender action plan guides the work of Parties and the secretariat."),
                (4.5, 8.0, "Collect data disaggregated by sex where you can."),
                (8.5, 11.5, "Women are often exposed through work and diet."),
            ],
            "fr": [
                (0.5, 4.0, "Le plan d’action pour l’égalité des genres oriente le travail des Parties."),
                (4.5, 8.0, "Collectez des données ventilées par sexe lorsque c’est possible."),
                (8.5, 11.5, "Les femmes sont souvent exposées par le travail et l’alimentation."),
            ],
            "es": [
                (0.5, 4.0, "El plan de acción sobre género orienta el trabajo de las Partes."),
                (4.5, 8.0, "Recopilen datos desglosados por sexo cuando sea posible."),
                (8.5, 11.5, "Las mujeres suelen estar expuestas por el trabajo y la dieta."),
            ],
        },
        "chapters": [
            (0, {"en": "The action plan", "fr": "Le plan d’action", "es": "El plan de acción"}, [14]),
            (
                4,
                {
                    "en": "Data and awareness",
                    "fr": "Données et sensibilisation",
                    "es": "Datos y sensibilización",
                },
                [18],
            ),
        ],
        "qa": [
            (
                "Is there a gender focal point network?",
                "",
                "no",
                "Several Parties have one; the secretariat can share examples.",
                "Secretariat",
                "0:00:02",
            )
        ],
    },
    {
        "slug": "s5-biodiversity-synergies",
        "start": (2025, 4, 8, 13),
        "duration": 60,
        "articles": [14, 22],
        "languages": ["en", "fr", "es"],
        "titles": {
            "en": "Synergies with the Kunming-Montreal Global Biodiversity Framework",
            "fr": "Synergies avec le Cadre mondial de la biodiversité de Kunming-Montréal",
            "es": "Sinergias con el Marco Mundial de Biodiversidad de Kunming-Montreal",
        },
        "descriptions": {
            "en": "How action on mercury contributes to the targets of the biodiversity framework."
        },
        "captions": {
            "en": [
                (0.5, 4.0, "Reducing mercury pollution helps protect biodiversity."),
                (4.5, 8.0, "Target 7 of the framework addresses pollution."),
                (8.5, 11.5, "National plans can serve both agreements."),
            ],
            "fr": [
                (0.5, 4.0, "Réduire la pollution au mercure aide à protéger la biodiversité."),
                (4.5, 8.0, "La cible 7 du cadre porte sur la pollution."),
                (8.5, 11.5, "Les plans nationaux peuvent servir les deux accords."),
            ],
            "es": [
                (0.5, 4.0, "Reducir la contaminación por mercurio ayuda a proteger la biodiversidad."),
                (4.5, 8.0, "La meta 7 del marco se ocupa de la contaminación."),
                (8.5, 11.5, "Los planes nacionales pueden servir a ambos acuerdos."),
            ],
        },
        "chapters": [
            (
                0,
                {
                    "en": "Mercury and biodiversity",
                    "fr": "Mercure et biodiversité",
                    "es": "Mercurio y biodiversidad",
                },
                [22],
            ),
            (
                4,
                {
                    "en": "Target 7 on pollution",
                    "fr": "Cible 7 sur la pollution",
                    "es": "Meta 7 sobre contaminación",
                },
                [14],
            ),
        ],
        "qa": [
            (
                "Which indicator tracks mercury?",
                "",
                "no",
                "Mercury monitoring data feed the effectiveness evaluation.",
                "Expert",
                "0:00:05",
            )
        ],
    },
]

UPCOMING = {
    "slug": "demo-upcoming-session",
    "days_ahead": 30,
    "duration": 60,
    "articles": [13, 14],
    "languages": ["en", "fr", "es"],
    "titles": {
        "en": "Financial resources and capacity-building (demonstration)",
        "fr": "Ressources financières et renforcement des capacités (démonstration)",
        "es": "Recursos financieros y creación de capacidad (demostración)",
    },
    "descriptions": {
        "en": "A demonstration of an upcoming session: register to receive reminders with a calendar file."
    },
}

# An upcoming session the organisers cancelled, to show how a cancellation reads on its pages.
CANCELLED = {
    "slug": "demo-cancelled-session",
    "days_ahead": 45,
    "duration": 60,
    "articles": [4],
    "languages": ["en", "fr", "es"],
    "titles": {
        "en": "Mercury-added products: phase-out dates (demonstration)",
        "fr": "Produits contenant du mercure ajouté\u00a0: dates d’abandon (démonstration)",
        "es": "Productos con mercurio añadido: fechas de eliminación (demostración)",
    },
    "descriptions": {"en": "A demonstration of a cancelled session: its page keeps the organisers' message."},
    "cancel_message": (
        "This session will not take place: its questions are answered in the season 5 session on "
        "Article 4. A new date will be announced on this page."
    ),
}

# Follow-up questions of the demo learner: (session slug, question, answer or None = awaiting moderation).
FOLLOWUPS = [
    (
        "s5-mercury-added-products",
        "Do the phase-out dates apply to products already in shops?",
        "The Convention restricts manufacture, import and export after the phase-out date; check your "
        "national rules for sales of existing stock.",
    ),
    ("s5-mercury-waste", "Where can we find the thresholds adopted for mercury wastes?", None),
]
