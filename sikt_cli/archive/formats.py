"""The three file formats as data: medlemmar.yaml, mal.yaml and a protokoll's frontmatter.

Descriptions are Swedish: docs and JSON Schemas are built from them.
"""

from __future__ import annotations

from sikt_cli.archive.format_parts import (
    ACCESSIBILITY,
    MASKING,
    MEETING_LINK_AND_FILES,
    NETWORK_LINK,
    PERIOD,
    PUBLICATION,
    RATTELSE,
    SIGNING_EXEMPTION,
    SIGNING_KEY,
    earlier,
)
from sikt_cli.archive.spec import (
    Choice,
    Date,
    Email,
    Field,
    Integer,
    ListOf,
    Obj,
    Ref,
    Slug,
    Text,
    Time,
    TimeZone,
)

STATUSES = ("planerat", "utkast", "justerat")
ROLES = ("ordforande", "sekreterare", "skolchef")

MEDLEMMAR = Obj(
    description="Nätverket, dess kommuner, arbetsgrupper och medlemmar.",
    fields=(
        Field(
            "natverk",
            Obj(
                fields=(
                    Field("namn", Text(), True, "Nätverkets korta namn.", "SIKT-nätverket"),
                    Field(
                        "fullt_namn",
                        Text(),
                        False,
                        "Nätverkets fullständiga namn.",
                        "Nätverket för Skaraborgs IKT-strategier",
                    ),
                    Field(
                        "huvudman",
                        Text(),
                        False,
                        "Vem nätverket verkar under.",
                        "Utbildning Skaraborg",
                    ),
                    Field(
                        "rapport_till",
                        ListOf(item=Email()),
                        False,
                        "Adresser som får protokoll, medlemsförteckning och mötesdatum.",
                        "[utbildning@skaraborg.se]",
                    ),
                    Field("plats", Text(), False, "Standardplats för nya möten.", "Teamsmöte"),
                    NETWORK_LINK,
                    Field("tid", Time(), False, "Standardtid för nya möten.", '"09:00-11:15"'),
                    Field(
                        "tidszon", TimeZone(), False, "Tidszon för mötestider.", "Europe/Stockholm"
                    ),
                    ACCESSIBILITY,
                )
            ),
            True,
            "Uppgifter om nätverket.",
            "{namn: SIKT-nätverket}",
        ),
        Field(
            "kommuner",
            ListOf(item=Text()),
            True,
            "Kommunerna som ingår i nätverket.",
            "[Essunga, Falköping, Grästorp]",
        ),
        Field(
            "grupper",
            ListOf(
                item=Obj(
                    fields=(
                        Field(
                            "id",
                            Slug(),
                            True,
                            "Gruppens id, används som @id i uppdrag.",
                            "arbetsgrupp-temadag",
                        ),
                        Field(
                            "namn", Text(), False, "Gruppens namn.", "Arbetsgruppen för temadagen"
                        ),
                        Field(
                            "medlemmar",
                            ListOf(item=Ref()),
                            True,
                            "Medlemmarnas id.",
                            "[hannes-berggren, lisa-bjorling]",
                        ),
                    )
                )
            ),
            False,
            "Namngivna arbetsgrupper som kan få uppdrag (@grupp-id).",
            "[{id: arbetsgrupp-temadag, medlemmar: [hannes-berggren]}]",
        ),
        Field(
            "medlemmar",
            ListOf(
                item=Obj(
                    fields=(
                        Field(
                            "id",
                            Slug(),
                            True,
                            "Unikt id: små bokstäver a–z, siffror och bindestreck.",
                            "sara-von-seth",
                        ),
                        Field("namn", Text(), True, "Fullständigt namn.", "Sara von Seth"),
                        Field(
                            "kommun", Text(), True, "Kommun; måste finnas i 'kommuner'.", "Skövde"
                        ),
                        Field(
                            "organisation",
                            Text(),
                            False,
                            "Organisation inom kommunen (valfri).",
                            "Vuxenutbildning",
                        ),
                        Field(
                            "epost",
                            Email(),
                            False,
                            "E-postadress (valfri). Hitta aldrig på adresser.",
                            "fornamn.efternamn@kommun.se",
                        ),
                        Field(
                            "roller",
                            ListOf(item=Choice(values=ROLES)),
                            False,
                            "Stående roller: " + ", ".join(ROLES) + ".",
                            "[ordforande]",
                        ),
                        SIGNING_KEY,
                        *PERIOD,
                        earlier(
                            ("namn", "Namnet som det var.", "Sara Andersson"),
                            ("kommun", "Kommunen som den var.", "Skara"),
                        ),
                    )
                )
            ),
            True,
            "Nätverkets medlemmar.",
            "[{id: sara-von-seth, namn: Sara von Seth}]",
        ),
    ),
)

MAL = Obj(
    description="Nätverkets mål och deluppdrag enligt uppdragsbeskrivningen.",
    fields=(
        Field(
            "mal",
            ListOf(
                item=Obj(
                    fields=(
                        Field("id", Slug(pattern=r"^mal-\d+$"), True, "Målets id.", "mal-1"),
                        Field(
                            "namn",
                            Text(),
                            True,
                            "Målets namn.",
                            "Stärkt tillväxt och kompetensförsörjning",
                        ),
                        Field(
                            "effektmal",
                            ListOf(item=Text()),
                            False,
                            "Effektmålen.",
                            "[Utbildning Skaraborg är en plattform för samverkan …]",
                        ),
                        Field(
                            "uppdrag",
                            ListOf(
                                item=Obj(
                                    fields=(
                                        Field(
                                            "id",
                                            Slug(pattern=r"^mal-\d+\.\d+$"),
                                            True,
                                            "Deluppdragets id.",
                                            "mal-1.2",
                                        ),
                                        Field(
                                            "text",
                                            Text(),
                                            True,
                                            "Deluppdragets text.",
                                            "Under 2020 verka för ett nytt avtal med Mediapoolen …",
                                        ),
                                        *PERIOD,
                                        earlier(("text", "Texten som den var.", "…")),
                                    )
                                )
                            ),
                            False,
                            "Nätverkets deluppdrag under målet.",
                            "[{id: mal-1.1, text: …}]",
                        ),
                        *PERIOD,
                        earlier(("namn", "Namnet som det var.", "…")),
                    )
                )
            ),
            True,
            "Målen.",
            "[{id: mal-1, namn: …}]",
        ),
    ),
)

PROTOKOLL = Obj(
    description="Frontmatter i protokoll/ÅÅÅÅ-MM-DD.md.",
    fields=(
        Field("datum", Date(), True, "Mötets datum; samma som filnamnet.", "2020-06-05"),
        Field("tid", Time(), False, "Mötets tid.", '"09:00-11:15"'),
        Field("plats", Text(), False, "Mötets plats.", "Teamsmöte"),
        *MEETING_LINK_AND_FILES,
        Field(
            "status",
            Choice(values=STATUSES),
            True,
            "planerat (kallelse skickad) → utkast (skrivs) → justerat (godkänt, låst).",
            "utkast",
        ),
        Field("ordforande", Ref(), False, "Ordförandens medlems-id.", "mattias-gustafsson"),
        Field("sekreterare", Ref(), False, "Sekreterarens medlems-id.", "sara-von-seth"),
        Field(
            "justerare", ListOf(item=Ref()), False, "Justerarnas medlems-id.", "[karina-bronell]"
        ),
        Field("justerad", Date(), False, "Datum då protokollet justerades.", "2020-06-12"),
        Field(
            "narvarande",
            ListOf(item=Ref()),
            False,
            "Närvarande medlemmars id.",
            "[annika-andreasson, britt-andersson]",
        ),
        Field(
            "franvarande",
            ListOf(item=Text()),
            False,
            "Frånvarande kommuner (namn) eller medlemmar (id).",
            "[Karlsborg, Essunga]",
        ),
        Field(
            "gaster",
            ListOf(item=Text()),
            False,
            "Gäster som inte är medlemmar.",
            '["Carl-Fredrik Persson, Göliska-IT"]',
        ),
        Field(
            "arenden",
            ListOf(
                item=Obj(
                    fields=(
                        Field("nr", Integer(), True, "Ärendets nummer, 1..n.", "5"),
                        Field(
                            "rubrik",
                            Text(),
                            True,
                            "Ärendets rubrik; samma som '## N. Rubrik' i texten.",
                            "Mediapoolen",
                        ),
                        Field(
                            "mal", ListOf(item=Ref()), False, "Mål som ärendet tjänar.", "[mal-1.2]"
                        ),
                        Field(
                            "ansvarig",
                            Ref(),
                            False,
                            "Föredragande medlem (valfri).",
                            "karina-bronell",
                        ),
                        *PUBLICATION,
                    )
                )
            ),
            False,
            "Dagordningen.",
            "[{nr: 1, rubrik: Utse sekreterare}]",
        ),
        Field(
            "beslut",
            ListOf(
                item=Obj(
                    fields=(
                        Field("arende", Integer(), True, "Ärendets nummer.", "5"),
                        Field("text", Text(), True, "Beslutet.", "Avtalet förlängs ett år."),
                        Field(
                            "ersatter",
                            Text(),
                            False,
                            "Id för ett tidigare beslut som detta beslut ersätter (valfri).",
                            "2020-06-05#b1",
                        ),
                        Field(
                            "giltig_till",
                            Date(),
                            False,
                            "Sista dagen beslutet gäller (valfri).",
                            "2021-12-31",
                        ),
                    )
                )
            ),
            False,
            "Mötets beslut.",
            "[{arende: 5, text: Avtalet förlängs ett år.}]",
        ),
        Field(
            "kommande",
            ListOf(
                item=Obj(
                    fields=(
                        Field("datum", Date(), True, "Datum för kommande möte.", "2020-09-04"),
                        Field("tid", Time(), False, "Tid (valfri).", '"09:00-11:15"'),
                        Field("plats", Text(), False, "Plats (valfri).", "Teamsmöte"),
                        Field(
                            "ansvarig",
                            Ref(),
                            False,
                            "Ansvarig medlem (valfri).",
                            "mattias-gustafsson",
                        ),
                        Field("not", Text(), False, "Anteckning (valfri).", "skickar inbjudan"),
                    )
                )
            ),
            False,
            "Kommande möten.",
            "[{datum: 2020-09-04}]",
        ),
        Field(
            "kallelse",
            Obj(
                fields=(
                    Field("sekvens", Integer(), True, "Ökar när en ändrad kallelse skickas.", "0"),
                    Field(
                        "kontroll",
                        Text(),
                        True,
                        "Kontrollsumma för kallelsens innehåll.",
                        "3f2a9c1b7d4e",
                    ),
                )
            ),
            False,
            "Skrivs av 'sikt kallelse --ut/--skicka' så att kalenderinbjudan uppdateras.",
            "{sekvens: 0, kontroll: 3f2a9c1b7d4e}",
        ),
        Field(
            "ej_inplanerat",
            ListOf(item=Text()),
            False,
            "Ämnen som ännu inte är inplanerade.",
            "[AI, LIKA]",
        ),
        Field(
            "rattelser",
            ListOf(item=RATTELSE),
            False,
            "Rättelser av det justerade protokollet. Skrivs av 'sikt protokoll rätta', "
            "inte för hand: låset godtar bara precis de rättade raderna.",
            '[{datum: 2026-12-01, av: sara-von-seth, skal: "Felstavat namn", rader: '
            '[{rad: 84, fore: "Karin", efter: "Karina"}]}]',
        ),
        *PUBLICATION,
        *SIGNING_EXEMPTION,
        Field(
            "maskeringar",
            ListOf(item=MASKING),
            False,
            "Skrivs av 'sikt protokoll maskera': vad som ersatts med [maskerat], när, av vem "
            "och varför.",
            "[{datum: 2020-06-20, av: sara-von-seth, rad: 24, typ: personnummer, skal: …}]",
        ),
    ),
)
