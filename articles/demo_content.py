"""German demo content for ``seed_demo``, written for newsroom (fictional events).

States: "published" (hours ago), "scheduled" (hours ahead), "draft", "review",
"unpublished", "expired" (published, expiry passed), "archived".
"""

SECTIONS = [
    ("Politik", "politik", "Bund, Länder und Kommunen."),
    ("Wirtschaft", "wirtschaft", "Unternehmen, Märkte und Arbeit."),
    ("Digitales", "digitales", "Netzpolitik, Technik und Datenschutz."),
    ("Kultur", "kultur", "Bühne, Buch, Film und Musik."),
    ("Sport", "sport", "Vom Amateurplatz bis zur Bundesliga."),
    ("Wissen", "wissen", "Forschung, Umwelt und Gesundheit."),
]

AGENCIES = [
    ("Deutsche Presse-Agentur", "dpa"),
    ("Agence France-Presse", "AFP"),
    ("Reuters", "Reuters"),
]

AUTHORS = [
    # name, slug, bio, username of the linked account (or "")
    ("Jana Redlich", "jana-redlich", "Schreibt über Landespolitik und Verkehr.", "redakteurin"),
    ("Carla Vogt", "carla-vogt", "Chefin vom Dienst, vorher Wirtschaftsredakteurin.", "cvd"),
    ("Mehmet Aydın", "mehmet-aydin", "Berichtet über Digitales und Datenschutz.", ""),
    ("Sophie Brandt", "sophie-brandt", "Kulturredakteurin mit Schwerpunkt Theater.", ""),
    ("Lukas Öztürk", "lukas-oeztuerk", "Sportreporter, seit zwanzig Jahren am Spielfeldrand.", ""),
    ("Greta Wöhler", "greta-woehler", "Wissenschaftsjournalistin, studierte Biologie.", ""),
]

# section, kicker, headline, lead, paragraphs, tags, authors (slugs), agency, state
ARTICLES = [
    (
        "politik",
        "Landtag",
        "Landtag beschließt längere Öffnungszeiten für Bürgerämter",
        "Nach monatelangem Streit sollen Bürgerämter künftig zweimal pro Woche bis 20 Uhr geöffnet haben.",
        [
            "Die Mehrheit im Landtag stimmte am Donnerstag für den Entwurf der Landesregierung. Die Opposition kritisierte, dass zusätzliches Personal nicht finanziert sei.",
            "Die Kommunen haben nun ein halbes Jahr Zeit, die neuen Zeiten umzusetzen. Der Städtetag kündigte an, die Kosten genau zu beobachten.",
        ],
        ["Landtag", "Verwaltung"],
        ["jana-redlich"],
        "",
        "published",
    ),
    (
        "politik",
        "Kommunalwahl",
        "Wahlbeteiligung in Kleinstädten steigt deutlich",
        "Eine Auswertung des Statistischen Landesamts zeigt: In Gemeinden unter 20.000 Einwohnern gingen mehr Menschen wählen als vor fünf Jahren.",
        [
            "Besonders stark war der Anstieg in Orten, in denen über ein neues Schwimmbad oder eine Schulschließung abgestimmt wurde.",
            "Politikwissenschaftler sehen darin ein Zeichen, dass konkrete Fragen vor Ort Menschen an die Urne bringen.",
        ],
        ["Wahlen", "Kommunen"],
        ["jana-redlich"],
        "dpa",
        "published",
    ),
    (
        "politik",
        "Bundesrat",
        "Länder fordern mehr Geld für den Nahverkehr",
        "Die Verkehrsminister der Länder verlangen vom Bund eine höhere Beteiligung an den Kosten für Busse und Bahnen.",
        [
            "Ohne zusätzliche Mittel müssten Linien ausgedünnt werden, heißt es in einem gemeinsamen Papier.",
            "Das Bundesverkehrsministerium verwies auf laufende Gespräche und nannte keine Zahlen.",
        ],
        ["Nahverkehr", "Bundesrat"],
        [],
        "AFP",
        "published",
    ),
    (
        "politik",
        "Stadtrat",
        "Neue Radwege in der Innenstadt: Stadtrat stimmt knapp zu",
        "Mit einer Stimme Mehrheit hat der Stadtrat den Umbau von drei Hauptstraßen beschlossen.",
        [
            "Parkplätze fallen weg, dafür entstehen getrennte Radspuren. Der Einzelhandel befürchtet Umsatzeinbußen.",
            "Die Bauarbeiten sollen im Frühjahr beginnen und etwa ein Jahr dauern.",
        ],
        ["Verkehr", "Radverkehr"],
        ["jana-redlich", "carla-vogt"],
        "",
        "published",
    ),
    (
        "politik",
        "Analyse",
        "Was die Reform der Grundsteuer für Mieter bedeutet",
        "Ab dem kommenden Jahr gelten neue Hebesätze. Wir erklären, wer mehr und wer weniger zahlt.",
        [
            "Die Grundsteuer wird über die Nebenkosten auf Mieter umgelegt. Wie stark sich die Reform auswirkt, hängt von der Gemeinde ab.",
            "In vielen Städten sinkt die Belastung für Altbauwohnungen, für Neubauten steigt sie eher.",
        ],
        ["Steuern", "Wohnen"],
        ["carla-vogt"],
        "",
        "review",
    ),
    (
        "wirtschaft",
        "Mittelstand",
        "Familienbetriebe finden kaum Nachfolger",
        "Jedes dritte Familienunternehmen in der Region sucht eine Nachfolge – oft vergeblich.",
        [
            "Die Industrie- und Handelskammer rät, die Übergabe mindestens fünf Jahre im Voraus zu planen.",
            "Immer häufiger übernehmen langjährige Mitarbeiterinnen und Mitarbeiter die Firma.",
        ],
        ["Mittelstand", "Nachfolge"],
        ["carla-vogt"],
        "",
        "published",
    ),
    (
        "wirtschaft",
        "Energie",
        "Stadtwerke senken den Strompreis zum Jahreswechsel",
        "Haushaltskunden zahlen künftig rund acht Prozent weniger für die Kilowattstunde.",
        [
            "Grund seien gesunkene Einkaufspreise an der Strombörse, teilten die Stadtwerke mit.",
            "Verbraucherschützer raten dennoch, Tarife regelmäßig zu vergleichen.",
        ],
        ["Energie", "Verbraucher"],
        [],
        "dpa",
        "published",
    ),
    (
        "wirtschaft",
        "Arbeitsmarkt",
        "Zahl der offenen Ausbildungsplätze erreicht Höchststand",
        "Handwerk und Gastronomie suchen händeringend Auszubildende.",
        [
            "Zum Start des Ausbildungsjahres waren mehr Stellen unbesetzt als je zuvor seit Beginn der Statistik.",
            "Betriebe werben inzwischen mit Führerschein-Zuschüssen und Vier-Tage-Woche.",
        ],
        ["Ausbildung", "Arbeitsmarkt"],
        [],
        "Reuters",
        "published",
    ),
    (
        "wirtschaft",
        "Handel",
        "Wochenmarkt zieht auf den Bahnhofsvorplatz",
        "Nach dem Umbau des Marktplatzes bekommen die Händler einen neuen Standort – vorerst für zwei Jahre.",
        [
            "Die meisten Marktleute sind mit dem Umzug zufrieden, weil mehr Pendler vorbeikommen.",
            "Einige ältere Stammkunden beklagen dagegen die weiteren Wege.",
        ],
        ["Handel", "Innenstadt"],
        ["jana-redlich"],
        "",
        "published",
    ),
    (
        "wirtschaft",
        "Bilanz",
        "Regionalbank meldet Rekordgewinn",
        "Die höheren Zinsen haben der Bank das beste Ergebnis ihrer Geschichte beschert.",
        [
            "Der Vorstand will einen Teil des Gewinns an gemeinnützige Vereine ausschütten.",
            "Für Sparer soll es ab dem Frühjahr bessere Konditionen geben.",
        ],
        ["Banken", "Zinsen"],
        ["carla-vogt"],
        "",
        "scheduled",
    ),
    (
        "wirtschaft",
        "Tourismus",
        "Sommersaison bringt Übernachtungsrekord",
        "Hotels und Pensionen verzeichnen so viele Gäste wie nie.",
        [
            "Vor allem Radtouristen und Familien aus den Niederlanden kamen häufiger.",
            "Der Tourismusverband warnt jedoch vor fehlendem Personal in der Nebensaison.",
        ],
        ["Tourismus"],
        [],
        "dpa",
        "expired",
    ),
    (
        "digitales",
        "Datenschutz",
        "Schulen dürfen Videokonferenzen nur mit Einwilligung aufzeichnen",
        "Der Landesdatenschutzbeauftragte hat klare Regeln für den digitalen Unterricht veröffentlicht.",
        [
            "Aufzeichnungen sind nur erlaubt, wenn alle Beteiligten zugestimmt haben und die Dateien nach spätestens vier Wochen gelöscht werden.",
            "Lehrkräfte begrüßen die Klarheit, Eltern fordern mehr Schulungen.",
        ],
        ["Datenschutz", "Schule"],
        ["mehmet-aydin"],
        "",
        "published",
    ),
    (
        "digitales",
        "Verwaltung",
        "Bauantrag bald komplett online",
        "Ab Sommer sollen Bauanträge ohne einen einzigen Ausdruck eingereicht werden können.",
        [
            "Bisher mussten Pläne in dreifacher Ausfertigung auf Papier abgegeben werden.",
            "Architektenkammer und Bauämter testen das neue Portal seit einem halben Jahr.",
        ],
        ["Digitalisierung", "Verwaltung"],
        ["mehmet-aydin"],
        "",
        "published",
    ),
    (
        "digitales",
        "Netz",
        "Glasfaserausbau: Drei Dörfer warten weiter",
        "Während die Kreisstadt fast vollständig angeschlossen ist, fehlen in drei Ortsteilen noch die Leitungen.",
        [
            "Der Netzbetreiber nennt Lieferengpässe bei Tiefbaufirmen als Grund.",
            "Der Landrat will nun Fördermittel für einen eigenen Ausbau beantragen.",
        ],
        ["Glasfaser", "Breitband"],
        ["mehmet-aydin"],
        "",
        "published",
    ),
    (
        "digitales",
        "Sicherheit",
        "Betrügerische SMS im Namen von Paketdiensten nehmen zu",
        "Die Polizei warnt vor Nachrichten, die angeblich eine Zustellung ankündigen.",
        [
            "Wer auf den Link tippt, landet auf einer gefälschten Seite, die Bankdaten abfragt.",
            "Echte Paketdienste verlangen nie Zahlungen über Links in Kurznachrichten.",
        ],
        ["Betrug", "Sicherheit"],
        [],
        "dpa",
        "published",
    ),
    (
        "digitales",
        "Kommentar",
        "Warum die Stadt ihre Daten öffnen sollte",
        "Offene Verwaltungsdaten kosten wenig und nützen vielen – ein Plädoyer.",
        [
            "Fahrpläne, Baustellen, Luftwerte: Vieles liegt längst digital vor, bleibt aber in Schubladen.",
            "Andere Städte zeigen, dass Bürgerinnen und Bürger daraus nützliche Anwendungen bauen.",
        ],
        ["Open Data"],
        ["mehmet-aydin"],
        "",
        "draft",
    ),
    (
        "kultur",
        "Theater",
        "Stadttheater eröffnet Spielzeit mit einer Uraufführung",
        "Das neue Stück einer jungen Autorin erzählt von drei Generationen in einem Dorf an der Grenze.",
        [
            "Das Premierenpublikum feierte das Ensemble mit langem Applaus.",
            "Weitere Vorstellungen sind bis Ende des Monats fast ausverkauft.",
        ],
        ["Theater", "Premiere"],
        ["sophie-brandt"],
        "",
        "published",
    ),
    (
        "kultur",
        "Literatur",
        "Stadtbibliothek verlängert Öffnungszeiten am Sonntag",
        "Nach einem erfolgreichen Versuch bleibt die Bibliothek auch sonntags geöffnet.",
        [
            "An den Testsonntagen kamen vor allem Familien und Studierende.",
            "Das Angebot wird von Ehrenamtlichen unterstützt.",
        ],
        ["Bibliothek"],
        ["sophie-brandt"],
        "",
        "published",
    ),
    (
        "kultur",
        "Musik",
        "Jugendorchester gewinnt Landeswettbewerb",
        "Die 42 Musikerinnen und Musiker setzten sich gegen zwölf andere Ensembles durch.",
        [
            "Im Finale spielte das Orchester ein eigens komponiertes Werk.",
            "Im Herbst fährt die Gruppe zum Bundeswettbewerb.",
        ],
        ["Musik", "Jugend"],
        ["sophie-brandt"],
        "",
        "published",
    ),
    (
        "kultur",
        "Film",
        "Kleines Kino feiert hundertsten Geburtstag",
        "Seit einem Jahrhundert laufen in dem Saal mit 80 Plätzen Filme – mit Unterbrechungen.",
        [
            "Zum Jubiläum zeigt das Kino eine Woche lang Filme aus jedem Jahrzehnt seiner Geschichte.",
            "Ein Förderverein hat die Technik vor drei Jahren erneuert.",
        ],
        ["Kino", "Jubiläum"],
        ["sophie-brandt"],
        "",
        "scheduled",
    ),
    (
        "kultur",
        "Ausstellung",
        "Museum zeigt Fotografien aus der Nachkriegszeit",
        "Die Ausstellung versammelt Bilder eines Amateurfotografen, die jahrzehntelang auf einem Dachboden lagen.",
        [
            "Die Aufnahmen zeigen den Wiederaufbau der Altstadt aus ungewohnter Nähe.",
            "Besucher sind eingeladen, Personen auf den Bildern zu identifizieren.",
        ],
        ["Fotografie", "Geschichte"],
        ["sophie-brandt"],
        "",
        "unpublished",
    ),
    (
        "sport",
        "Fußball",
        "Aufsteiger gewinnt Derby in letzter Minute",
        "Ein Kopfballtor in der Nachspielzeit entschied das Nachbarschaftsduell.",
        [
            "Vor ausverkauftem Haus hatte der Gast lange geführt.",
            "Der Trainer des Aufsteigers sprach vom wichtigsten Sieg der Saison.",
        ],
        ["Fußball", "Derby"],
        ["lukas-oeztuerk"],
        "",
        "published",
    ),
    (
        "sport",
        "Handball",
        "Handballerinnen verpassen Pokalfinale knapp",
        "Im Halbfinale fehlten am Ende zwei Tore.",
        [
            "Die Mannschaft lag zur Pause noch vorn, verlor dann aber den Faden.",
            "Trotzdem sei die Saison ein Erfolg, sagte die Kapitänin.",
        ],
        ["Handball", "Pokal"],
        ["lukas-oeztuerk"],
        "",
        "published",
    ),
    (
        "sport",
        "Laufen",
        "Stadtlauf mit Teilnehmerrekord",
        "Mehr als 6000 Läuferinnen und Läufer waren am Sonntag unterwegs.",
        [
            "Auf der Zehn-Kilometer-Strecke gab es zwei neue Streckenrekorde.",
            "Die Veranstalter sammelten zugleich Spenden für einen Sportverein für Menschen mit Behinderung.",
        ],
        ["Laufen", "Breitensport"],
        ["lukas-oeztuerk"],
        "",
        "published",
    ),
    (
        "sport",
        "Schwimmen",
        "Freibad öffnet nach Sanierung früher als geplant",
        "Badegäste können sich auf ein neues Becken und eine längere Rutsche freuen.",
        [
            "Die Sanierung kostete weniger als veranschlagt.",
            "Vereine bekommen feste Zeiten für das Training am Morgen.",
        ],
        ["Schwimmen", "Freibad"],
        [],
        "dpa",
        "expired",
    ),
    (
        "sport",
        "Vorbericht",
        "Vor dem Spitzenspiel: Was für beide Teams auf dem Spiel steht",
        "Am Samstag treffen Tabellenerster und Tabellenzweiter aufeinander.",
        [
            "Beide Trainer können fast aus dem Vollen schöpfen.",
            "Der Verein erwartet ein ausverkauftes Stadion.",
        ],
        ["Fußball"],
        ["lukas-oeztuerk"],
        "",
        "draft",
    ),
    (
        "wissen",
        "Klima",
        "Hitzesommer: Stadtbäume brauchen mehr Wasser",
        "Das Grünflächenamt gießt inzwischen auch junge Bäume in Wohnstraßen – und bittet um Mithilfe.",
        [
            "Ein ausgewachsener Baum braucht an heißen Tagen bis zu 100 Liter Wasser.",
            "Anwohner können Gießpatenschaften übernehmen.",
        ],
        ["Klima", "Stadtgrün"],
        ["greta-woehler"],
        "",
        "published",
    ),
    (
        "wissen",
        "Forschung",
        "Hochschule entwickelt Sensor für Wasserqualität",
        "Ein preiswerter Sensor soll Verunreinigungen in Bächen früh erkennen.",
        [
            "Das Gerät misst Trübung, Temperatur und Leitfähigkeit und funkt die Werte alle zehn Minuten.",
            "Die ersten zwanzig Sensoren werden im Frühjahr an Nebenflüssen installiert.",
        ],
        ["Forschung", "Umwelt"],
        ["greta-woehler"],
        "Reuters",
        "published",
    ),
    (
        "wissen",
        "Gesundheit",
        "Grippewelle beginnt früher als in den Vorjahren",
        "Die Gesundheitsämter melden steigende Fallzahlen schon im Oktober.",
        [
            "Ärztinnen und Ärzte raten Risikogruppen zur Impfung.",
            "Die Kliniken bereiten sich auf volle Notaufnahmen vor.",
        ],
        ["Gesundheit"],
        ["greta-woehler"],
        "dpa",
        "published",
    ),
    (
        "wissen",
        "Natur",
        "Biber kehren an den Fluss zurück",
        "Nach mehr als hundert Jahren wurden wieder Biberspuren am Stadtrand entdeckt.",
        [
            "Naturschützer sprechen von einem Erfolg der Renaturierung.",
            "Landwirte sorgen sich um überflutete Wiesen.",
        ],
        ["Natur", "Artenschutz"],
        ["greta-woehler"],
        "",
        "review",
    ),
    (
        "wissen",
        "Astronomie",
        "Sternwarte lädt zur langen Nacht der Planeten",
        "Bei klarem Himmel sind Jupiter und Saturn durch die Teleskope zu sehen.",
        [
            "Die Sternwarte bietet Führungen für Kinder und Erwachsene an.",
            "Bei Regen gibt es Vorträge im Planetarium.",
        ],
        ["Astronomie"],
        ["greta-woehler"],
        "",
        "archived",
    ),
]

RELATED_LINKS = {
    "landtag-beschliesst-laengere-oeffnungszeiten-fuer-buergeraemter": [
        ("Landtag: Tagesordnung und Drucksachen", "https://www.landtag.example/"),
    ],
    "schulen-duerfen-videokonferenzen-nur-mit-einwilligung-aufzeichnen": [
        (
            "Datenschutz-Grundverordnung im Wortlaut",
            "https://eur-lex.europa.eu/eli/reg/2016/679/oj",
        ),
    ],
    "hitzesommer-stadtbaeume-brauchen-mehr-wasser": [
        ("Deutscher Wetterdienst", "https://www.dwd.de/"),
    ],
}

CORRECTIONS = {
    "wahlbeteiligung-in-kleinstaedten-steigt-deutlich": (
        "In einer früheren Fassung hieß es, die Auswertung betreffe Gemeinden unter "
        "10.000 Einwohnern. Richtig ist: unter 20.000."
    ),
    "aufsteiger-gewinnt-derby-in-letzter-minute": (
        "Das Siegtor fiel in der 93., nicht in der 95. Minute."
    ),
    "stadtwerke-senken-den-strompreis-zum-jahreswechsel": (
        "Die Senkung beträgt rund acht Prozent, nicht zehn Prozent wie zunächst gemeldet."
    ),
}

# English versions of German demo articles: original slug -> (kicker, headline, lead, paragraphs).
TRANSLATIONS = {
    "landtag-beschliesst-laengere-oeffnungszeiten-fuer-buergeraemter": (
        "State parliament",
        "Citizens' offices to stay open longer",
        "After months of debate, citizens' offices will open until 8 pm twice a week.",
        [
            "A majority in the state parliament voted for the government's bill on Thursday. "
            "The opposition criticised that no money has been set aside for additional staff.",
            "Local authorities now have six months to introduce the new hours. The association "
            "of cities said it would keep a close eye on the costs.",
        ],
    ),
}
