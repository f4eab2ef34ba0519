"""Parts shared by the file formats: a validity period, past values, a recorded rättelse,
the meeting link and attachments, the web archive's accessibility statement."""

from __future__ import annotations

from sikt_cli.archive.spec import Choice, Date, Field, Integer, ListOf, Obj, Ref, Text, Url

YES_NO = ("ja", "nej")
MASKING_KINDS = ("personnummer", "samordningsnummer", "text")

PERIOD = (
    Field("fran", Date(), description="Första dagen i perioden (valfri).", example="2020-01-01"),
    Field("till", Date(), description="Sista dagen i perioden (valfri).", example="2021-12-31"),
)


_LINK_EXAMPLE = "https://teams.microsoft.com/l/meetup-join/…"
NETWORK_LINK = Field(
    "lank", Url(), False, "Standardlänk till mötet (t.ex. Teams) för kallelsen.", _LINK_EXAMPLE
)
COMPLIANCE = ("helt", "delvis", "inte")
# what the accessibility statement of `sikt webb` needs and the archive cannot know
# (Digg's list: a way to report shortcomings, the date and method of the assessment,
# compliance, known shortcomings, the date of the last update)
ACCESSIBILITY = Field(
    "tillganglighet",
    Obj(
        fields=(
            Field(
                "kontakt",
                Text(),
                False,
                "Var man rapporterar brister i webbplatsens tillgänglighet: en e-postadress, "
                "ett telefonnummer eller en webbadress till ett formulär.",
                "tillganglighet@skaraborg.se",
            ),
            Field(
                "forenlighet",
                Choice(values=COMPLIANCE),
                False,
                "Hur webbplatsen uppfyller lagkraven enligt er bedömning: helt, delvis eller "
                "inte förenlig.",
                "delvis",
            ),
            Field("granskad", Date(), False, "Dagen för senaste bedömningen.", "2026-11-30"),
            Field(
                "metod",
                Text(),
                False,
                "Hur bedömningen gjordes.",
                "självskattning",
            ),
            Field(
                "brister",
                ListOf(item=Text()),
                False,
                "Kända brister utöver dem sikt själv anger.",
                "[Bilagorna är inskannade PDF-filer utan text.]",
            ),
            Field(
                "uppdaterad", Date(), False, "Dagen redogörelsen senast sågs över.", "2026-12-01"
            ),
        )
    ),
    False,
    "Uppgifter till tillgänglighetsredogörelsen på webbplatsen (`sikt webb`).",
    "{kontakt: tillganglighet@skaraborg.se, granskad: 2026-11-30}",
)
MEETING_LINK_AND_FILES = (
    Field(
        "lank",
        Url(),
        False,
        "Länk till mötet (t.ex. Teams); visas i kallelsen och kalenderinbjudan.",
        _LINK_EXAMPLE,
    ),
    Field(
        "bilagor",
        ListOf(item=Text()),
        False,
        "Filer i arkivet som skickas med kallelsen och protokollet.",
        "[bilagor/2020-09-04-budget.pdf]",
    ),
)


def earlier(*names: tuple[str, str, str]) -> Field:
    """`tidigare`: values that changed, each with the last day it held, so that justerade
    protokoll keep showing what held on their date."""
    return Field(
        "tidigare",
        ListOf(
            item=Obj(
                fields=(
                    Field("till", Date(), True, "Sista dagen värdena gällde.", "2021-06-30"),
                    *(Field(n, Text(), False, d, e) for n, d, e in names),
                )
            )
        ),
        False,
        "Tidigare värden med sista dagen de gällde (valfri): justerade protokoll visar det "
        "som gällde på mötets dag.",
        "[{till: 2021-06-30, " + ", ".join(f"{n}: {e}" for n, _, e in names) + "}]",
    )


RATTELSE = Obj(
    fields=(
        Field("datum", Date(), True, "Dagen rättelsen gjordes.", "2026-12-01"),
        Field("av", Ref(), True, "Medlems-id för den som rättade.", "sara-von-seth"),
        Field("skal", Text(), True, "Varför protokollet rättades.", "Felstavat namn"),
        Field(
            "rader",
            ListOf(
                item=Obj(
                    fields=(
                        Field("rad", Integer(), True, "Radens nummer före rättelsen.", "84"),
                        Field("fore", Text(), True, "Raden som den stod.", "Karin …"),
                        Field("efter", Text(), True, "Raden som den står nu.", "Karina …"),
                    )
                )
            ),
            True,
            "De rättade raderna.",
            '[{rad: 84, fore: "…", efter: "…"}]',
        ),
    )
)


# `publiceras: nej` with its `skal`: on an agenda item and on a whole protokoll
PUBLICATION = (
    Field(
        "publiceras",
        Choice(values=YES_NO),
        False,
        "nej: publiceras inte och skickas inte till rapport_till (standard ja).",
        "nej",
    ),
    Field(
        "skal",
        Text(),
        False,
        "Varför det inte publiceras, t.ex. en hänvisning till sekretessregeln. Krävs med "
        "'publiceras: nej'.",
        '"Sekretess enligt 23 kap. 1 § OSL"',
    ),
)

MASKING = Obj(
    fields=(
        Field("datum", Date(), True, "När maskeringen gjordes.", "2020-06-20"),
        Field("av", Ref(), True, "Medlemmen som maskerade.", "sara-von-seth"),
        Field("rad", Integer(), True, "Raden i filen när maskeringen gjordes.", "24"),
        Field(
            "typ",
            Choice(values=MASKING_KINDS),
            True,
            "Vad som maskerades: " + ", ".join(MASKING_KINDS) + " (aldrig själva värdet).",
            "personnummer",
        ),
        Field("skal", Text(), True, "Varför det maskerades.", '"Personnummer publiceras inte"'),
    )
)


# a member's public SSH signing key, and the exemption of a protokoll justerat before keys
SIGNING_KEY = Field(
    "nyckel",
    Text(),
    False,
    "Medlemmens publika SSH-nyckel för att signera justeringar (valfri): raden ur "
    "~/.ssh/id_ed25519.pub, typ och base64.",
    "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDbqvJ2ZsNq5Fm8sD3r1v8Yq0pYc4b2xGfOMyD5x9h1c",
)

SIGNING_EXEMPTION = (
    Field(
        "signerat",
        Choice(values=YES_NO),
        False,
        "nej: protokollet justerades innan nätverket hade nycklar och har ingen signatur "
        "(standard ja). Godtas av 'sikt validera --signaturer --bas' bara om det stod redan "
        "i basen, eller om basen saknar nycklar.",
        "nej",
    ),
    Field(
        "signerat_skal",
        Text(),
        False,
        "Varför protokollet saknar signatur. Krävs med 'signerat: nej'.",
        '"Justerat på papper 2020, före nycklarna"',
    ),
)
