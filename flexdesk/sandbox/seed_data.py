"""The raw material of the seed: names, streets, cities and phone plans for four countries.

Plain constants only; `seed.py` turns them into customers. Names carry the diacritics,
apostrophes and particles real customer lists have (Zoë, O'Brien, 't Hart, Al-Thani, Ólafsdóttir).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class City:
    name: str
    postal_range: tuple[int, int] | None  # inclusive; None where the country has no postcodes
    area_codes: tuple[str, ...]  # landline area codes (US: the three-digit area code)
    admin_area: str | None = None  # written on addresses where the country uses it (US states)
    localities: tuple[str, ...] = ()


@dataclass(frozen=True)
class Country:
    code: str  # ISO 3166 alpha-2: picks the formats in seed.py
    name: str  # what the API's `country` field carries ("Country name")
    weight: int
    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    streets: tuple[str, ...]
    cities: tuple[City, ...]
    company_forms: tuple[str, ...]  # templates with {last} and {city}
    mail_hosts: tuple[str, ...]
    tld: str
    mobile_prefixes: tuple[str, ...]
    building_infos: tuple[str, ...]


NETHERLANDS = Country(
    code="NL", name="Netherlands", weight=35,
    first_names=("Sanne", "Daan", "Zoë", "Bram", "Femke", "Joëlle", "Thijs", "Noor", "Sem",
                 "Lotte", "Ruben", "Eline", "Maarten", "Anouk", "Jeroen", "Chloë", "Ingrid"),
    last_names=("de Vries", "van den Berg", "Jansen", "Bakker", "Visser", "Smit", "Meijer",
                "de Jong", "Mulder", "Dekker", "van Dijk", "Brouwer", "'t Hart", "van 't Hof",
                "Hendriks", "Bosman", "Çelik"),
    streets=("Prinsengracht", "Keizersgracht", "Herengracht", "Damrak", "Coolsingel",
             "Oudegracht", "Lange Voorhout", "Stationsplein", "Vismarkt", "Stratumseind",
             "Hoogstraat", "Kerkstraat", "Dorpsstraat", "Witte de Withstraat"),
    cities=(
        City("Amsterdam", (1011, 1109), ("20",)),
        City("Rotterdam", (3011, 3089), ("10",)),
        City("Utrecht", (3511, 3585), ("30",)),
        City("Den Haag", (2511, 2599), ("70",)),
        City("Eindhoven", (5611, 5658), ("40",)),
        City("Groningen", (9711, 9747), ("50",)),
        City("'s-Hertogenbosch", (5211, 5236), ("73",)),
    ),
    company_forms=("{last} B.V.", "{last} & Zonen", "{city} Tech B.V.", "Studio {last}"),
    mail_hosts=("gmail.com", "outlook.com", "ziggo.nl", "kpnmail.nl", "xs4all.nl", "proton.me"),
    tld="nl",
    mobile_prefixes=("6",),
    building_infos=("2e verdieping", "Unit 4", "Bedrijfsverzamelgebouw De Hallen"),
)

GERMANY = Country(
    code="DE", name="Germany", weight=30,
    first_names=("Jürgen", "Jörg", "Björn", "Lena", "Lukas", "Sophie", "Maximilian", "Anna",
                 "Felix", "Mia", "Jonas", "Hannah", "Ömer", "Ayşe", "Käthe", "Sören"),
    last_names=("Müller", "Schröder", "Weiß", "Schäfer", "Groß", "Köhler", "Fischer", "Weber",
                "Wagner", "Becker", "Hoffmann", "Krüger", "Schmitz", "Özdemir", "Ólafsdóttir",
                "Jäger", "von Bülow"),
    streets=("Friedrichstraße", "Königsallee", "Hauptstraße", "Schönhauser Allee",
             "Maximilianstraße", "Mönckebergstraße", "Karl-Liebknecht-Straße", "Gartenstraße",
             "Bahnhofstraße", "Am Weinberg", "Torstraße", "Zeil"),
    cities=(
        City("Berlin", (10115, 14199), ("30",)),
        City("München", (80331, 81929), ("89",)),
        City("Hamburg", (20095, 22769), ("40",)),
        City("Köln", (50667, 51149), ("221",)),
        City("Düsseldorf", (40210, 40629), ("211",)),
        City("Frankfurt am Main", (60306, 60599), ("69",)),
        City("Leipzig", (4103, 4357), ("341",)),
        City("Stuttgart", (70173, 70629), ("711",)),
    ),
    company_forms=("{last} GmbH", "{last} & Söhne KG", "Agentur {last}", "{last} Logistik AG"),
    mail_hosts=("web.de", "gmx.de", "t-online.de", "gmail.com", "posteo.de"),
    tld="de",
    mobile_prefixes=("151", "152", "160", "170", "171", "172", "176"),
    building_infos=("Hinterhaus, 3. OG", "Aufgang B", "2. Etage links", "c/o Coworking Mitte"),
)

UNITED_STATES = Country(
    code="US", name="United States", weight=25,
    first_names=("James", "Mary", "Chloé", "Liam", "Olivia", "Noah", "Emma", "Seán", "Siobhán",
                 "Priya", "Ava", "Mateo", "José", "Zoë", "Renée", "DeShawn"),
    last_names=("O'Brien", "D'Souza", "Smith", "Johnson", "García", "Martínez", "Nguyen",
                "O'Connor", "Kowalski", "Brown", "Davis", "Lee", "Ólafsdóttir", "Núñez",
                "McAllister", "St. James"),
    streets=("Market St", "Howard St", "Mission St", "Broadway", "5th Ave", "Congress Ave",
             "Pike St", "Boylston St", "Michigan Ave", "Larimer St", "Elm St", "Oak Ave"),
    cities=(
        City("San Francisco", (94102, 94134), ("415", "628"), "CA"),
        City("New York", (10001, 10282), ("212", "646"), "NY"),
        City("Austin", (78701, 78759), ("512", "737"), "TX"),
        City("Seattle", (98101, 98199), ("206",), "WA"),
        City("Boston", (2108, 2137), ("617", "857"), "MA"),
        City("Chicago", (60601, 60661), ("312", "773"), "IL"),
        City("Denver", (80202, 80239), ("303", "720"), "CO"),
    ),
    company_forms=("{last} LLC", "{last} & Co.", "{city} Devices Inc.",
                   "{last} Consulting Group"),
    mail_hosts=("gmail.com", "yahoo.com", "icloud.com", "hotmail.com", "outlook.com"),
    tld="com",
    mobile_prefixes=(),  # US mobiles share the city's area codes
    building_infos=("Suite 300", "Apt 4B", "Floor 12", "Unit 1107", "Ste 210"),
)

QATAR = Country(
    code="QA", name="Qatar", weight=10,
    first_names=("Mohammed", "Fatima", "Aisha", "Khalid", "Hamad", "Noor", "Maryam",
                 "Abdullah", "Tamim", "Sara", "Yousef", "Reem", "Priya", "Rahul", "Joana"),
    last_names=("Al-Thani", "Al-Kuwari", "Al-Marri", "Al-Sulaiti", "Al-Mannai", "El-Sayed",
                "Al-Attiyah", "Al-Naimi", "Haddad", "Al-Mohannadi", "D'Souza", "Fernandes",
                "Al-Khalifa"),
    streets=("Al Corniche Street", "Lusail Expressway", "Salwa Road", "Al Waab Street",
             "C Ring Road", "Al Rayyan Road", "Msheireb Street", "Porto Arabia Drive"),
    cities=(
        City("Doha", None, ("44",), localities=("West Bay", "Al Sadd", "Msheireb", "The Pearl",
                                                "Al Dafna", "Old Airport")),
        City("Al Wakrah", None, ("44",), localities=("Al Wukair", "Wakrah Souq")),
        City("Al Rayyan", None, ("44",), localities=("Education City", "Al Gharrafa")),
        City("Lusail", None, ("44",), localities=("Marina District", "Fox Hills")),
        City("Al Khor", None, ("44",)),
    ),
    company_forms=("{last} Trading W.L.L.", "{last} Group", "{city} Devices W.L.L.",
                   "{last} Holding Q.P.S.C."),
    mail_hosts=("gmail.com", "outlook.com", "qatar.net.qa", "hotmail.com"),
    tld="qa",
    mobile_prefixes=("3", "5", "6", "7"),
    building_infos=("Tower 2, Floor 18", "Villa 7", "Office 1204", "P.O. Box 24510"),
)

COUNTRIES: tuple[Country, ...] = (NETHERLANDS, GERMANY, UNITED_STATES, QATAR)

CREATORS = ("checkout", "checkout", "checkout", "dashboard", "api", "import", "shopify")
DEVICE_PRICES = (19.9, 24.9, 29.9, 34.9, 39.9, 49.9, 59.9, 79.9, 89.9)
# How letters outside ASCII are written in email addresses; NFKD handles the rest.
EMAIL_SPELLING = str.maketrans({"ß": "ss", "ø": "o", "æ": "ae", "ł": "l", "\u0131": "i", "đ": "d"})
GERMAN_SPELLING = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe",
                                 "Ü": "Ue"})
