"""Parts shared by the file formats: a validity period, past values, a recorded rättelse."""

from __future__ import annotations

from sikt_cli.archive.spec import Date, Field, Integer, ListOf, Obj, Ref, Text

PERIOD = (
    Field("fran", Date(), description="Första dagen i perioden (valfri).", example="2020-01-01"),
    Field("till", Date(), description="Sista dagen i perioden (valfri).", example="2021-12-31"),
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
