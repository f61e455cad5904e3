"""Department names in German, French, Spanish, Dutch and Italian, by business function.

:data:`simulation.org.names.FUNCTIONS` holds the English names; this table adds what HR systems
in those languages call the same functions, so that a German export's ``Vertrieb``,
``Marketing & Kommunikation`` and ``Informationstechnik`` resolve the role ``open_to_social`` by
name. Written as :func:`simulation.base.suggest.normalise` leaves them: lower case, no accents,
``&`` as ``and``, other punctuation as spaces (``Geschäftsführung`` is ``geschaftsfuhrung``,
``Recherche & Développement`` is ``recherche and developpement``). A name matches when it is
one of these or contains one as whole words (``Vertrieb Süd`` contains ``vertrieb``).

Assumption: the common department names of each language's HR systems (SAP SuccessFactors,
Workday and Personio localisations, and job-board department lists); words that mean something
else in English ("personal", "direction" alone) are left out or given only in longer forms.
"""

from __future__ import annotations

FOREIGN: dict[str, dict[str, tuple[str, ...]]] = {
    "sales": {
        "de": ("vertrieb", "verkauf", "vertrieb und verkauf", "innendienst", "aussendienst",
               "kundenbetreuung", "key account management", "absatz"),
        "fr": ("ventes", "vente", "commercial", "direction commerciale", "service commercial",
               "force de vente"),
        "es": ("ventas", "comercial", "departamento comercial", "direccion comercial"),
        "nl": ("verkoop", "sales en marketing", "commercie", "buitendienst", "binnendienst"),
        "it": ("vendite", "commerciale", "ufficio commerciale", "direzione commerciale"),
    },
    "marketing": {
        "de": ("kommunikation", "unternehmenskommunikation", "werbung", "offentlichkeitsarbeit",
               "presse", "marketing und kommunikation"),
        "fr": ("communication", "marketing et communication", "relations publiques"),
        "es": ("comunicacion", "mercadotecnia", "publicidad", "relaciones publicas"),
        "nl": ("communicatie", "marketing en communicatie", "reclame"),
        "it": ("comunicazione", "marketing e comunicazione", "relazioni esterne", "pubblicita"),
    },
    "it": {
        "de": ("informationstechnik", "informationstechnologie", "informatik", "edv",
               "it abteilung", "it service", "it dienste", "datenverarbeitung"),
        "fr": ("informatique", "dsi", "systemes d information", "direction des systemes d "
               "information", "technologies de l information"),
        "es": ("informatica", "sistemas", "sistemas de informacion", "tecnologia",
               "tecnologias de la informacion", "tecnologia de la informacion"),
        "nl": ("automatisering", "informatietechnologie", "ict afdeling", "informatisering"),
        "it": ("informatica", "sistemi informativi", "tecnologia dell informazione", "ced"),
    },
    "engineering": {
        "de": ("entwicklung", "forschung und entwicklung", "f und e", "fue", "konstruktion",
               "technik", "ingenieurwesen", "produktentwicklung"),
        "fr": ("recherche et developpement", "r et d", "ingenierie", "bureau d etudes",
               "developpement"),
        "es": ("investigacion y desarrollo", "i d", "ingenieria", "desarrollo"),
        "nl": ("onderzoek en ontwikkeling", "ontwikkeling", "engineering", "techniek"),
        "it": ("ricerca e sviluppo", "ingegneria", "sviluppo", "ufficio tecnico"),
    },
    "operations": {
        "de": ("produktion", "fertigung", "logistik", "betrieb", "werk", "lager", "montage",
               "einkauf", "qualitatssicherung", "instandhaltung", "beschaffung"),
        "fr": ("production", "logistique", "exploitation", "usine", "fabrication", "achats",
               "entrepot", "qualite"),
        "es": ("produccion", "logistica", "operaciones", "fabrica", "almacen", "compras",
               "calidad"),
        "nl": ("productie", "logistiek", "operatie", "fabriek", "magazijn", "inkoop",
               "kwaliteit"),
        "it": ("produzione", "logistica", "operazioni", "stabilimento", "magazzino", "acquisti",
               "qualita"),
    },
    "finance": {
        "de": ("finanzen", "rechnungswesen", "buchhaltung", "finanzbuchhaltung",
               "finanzen und controlling"),
        "fr": ("finances", "finance", "comptabilite", "controle de gestion", "tresorerie",
               "direction financiere"),
        "es": ("finanzas", "contabilidad", "tesoreria", "administracion y finanzas"),
        "nl": ("financien", "financiele administratie", "boekhouding", "administratie"),
        "it": ("finanza", "amministrazione", "contabilita", "amministrazione e finanza",
               "controllo di gestione", "tesoreria"),
    },
    "hr": {
        "de": ("personal", "personalwesen", "personalabteilung", "personalwirtschaft",
               "personalentwicklung", "personal und organisation"),
        "fr": ("ressources humaines", "rh", "drh", "direction des ressources humaines"),
        "es": ("recursos humanos", "rrhh", "rr hh", "personal y organizacion"),
        "nl": ("personeelszaken", "hrm", "personeel en organisatie", "p en o"),
        "it": ("risorse umane", "personale", "gestione del personale"),
    },
    "legal": {
        "de": ("recht", "rechtsabteilung", "recht und compliance", "justiziariat"),
        "fr": ("juridique", "direction juridique", "affaires juridiques", "conformite"),
        "es": ("juridico", "asesoria juridica", "legal", "cumplimiento"),
        "nl": ("juridische zaken", "juridisch", "bedrijfsjuristen"),
        "it": ("legale", "ufficio legale", "affari legali", "conformita"),
    },
    "executive": {
        "de": ("geschaftsfuhrung", "geschaeftsfuehrung", "vorstand", "geschaftsleitung",
               "unternehmensleitung", "vorstandsburo", "aufsichtsrat"),
        "fr": ("direction generale", "comite de direction", "presidence"),
        "es": ("direccion general", "gerencia", "consejo de administracion", "presidencia"),
        "nl": ("directie", "raad van bestuur", "bestuur", "algemene directie"),
        "it": ("direzione generale", "direzione", "consiglio di amministrazione", "presidenza"),
    },
}  # fmt: skip

#: The languages of :data:`FOREIGN`.
LANGUAGES = ("de", "fr", "es", "nl", "it")


def foreign_names(function: str) -> tuple[str, ...]:
    """Every foreign name of business ``function`` (a key of :data:`FOREIGN`), in table order."""
    names: list[str] = []
    for language in LANGUAGES:
        names += [n for n in FOREIGN.get(function, {}).get(language, ()) if n not in names]
    return tuple(names)
