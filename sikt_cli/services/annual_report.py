"""`sikt rapport ar ÅR`: the annual report as a document (docx, pdf, html, md, json) or as a
mail to `rapport_till`; never with a personnummer in it (services/personal_data.py)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from sikt_cli.mail.messages import Mail
from sikt_cli.records.reports.annual import AnnualReport
from sikt_cli.services.reports import year_report

FORMATS = ("docx", "pdf", "html", "md", "json")
WHAT = "Verksamhetsberättelsen"
MIME = {
    "docx": ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "pdf": ("application", "pdf"),
    "html": ("text", "html"),
}


def file_name(year: int, form: str) -> str:
    return f"verksamhetsberattelse-{year}.{form}"


def _guard_files(root: Path, year: int) -> None:
    """Blocked while a personnummer stands in the year's protokoll or the data files (such
    a protokoll has an error and would otherwise only be left out: the way out is named)."""
    from sikt_cli.archive.layout import GOALS_FILE, MEMBERS_FILE, archive_files
    from sikt_cli.services.personal_data import refuse_numbers

    files = {rel for rel, _ in archive_files(root) if rel.startswith(f"protokoll/{year}-")}
    refuse_numbers(root, files | {MEMBERS_FILE, GOALS_FILE}, WHAT)


def _guard(report: AnnualReport, markdown: str) -> None:
    """Blocked when the finished text holds a personnummer."""
    from sikt_cli.services.personal_data import refuse_numbers_in

    refuse_numbers_in(markdown, WHAT, file_name(report.year, "md"))


def render(report: AnnualReport, form: str, today: dt.date) -> bytes:
    """The report in `form` (one of FORMATS) as the bytes of the file."""
    from sikt_cli.render.annual_report import ALT_ONLY, PNG, SVG, annual_document

    if form == "json":
        from sikt_cli.render.report_formats import annual_json

        data = annual_json(report)
        return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode("utf-8")
    created = dt.datetime(today.year, today.month, today.day, tzinfo=dt.UTC)
    charts = {"docx": PNG, "pdf": PNG, "html": SVG}.get(form, ALT_ONLY)
    document = annual_document(report, charts=charts, created=created)
    if form == "docx":
        from sikt_cli.render.docx_writer import to_docx

        return to_docx(document)
    if form == "pdf":
        from sikt_cli.render.pdf_writer import to_pdf

        return to_pdf(document)
    if form == "html":
        from sikt_cli.render.annual_report import html_page

        return html_page(document).encode("utf-8")
    from sikt_cli.render.markdown_writer import to_markdown

    return to_markdown(document).encode("utf-8")


def _markdown(report: AnnualReport) -> str:
    from sikt_cli.render.annual_report import ALT_ONLY, annual_document
    from sikt_cli.render.markdown_writer import to_markdown

    return to_markdown(annual_document(report, charts=ALT_ONLY))


def annual_file(
    root: Path, year: int, form: str, *, today: dt.date | None = None
) -> tuple[AnnualReport, bytes]:
    """The report and its file in `form`; Blocked while a personnummer stands."""
    day = today or dt.date.today()
    _guard_files(root, year)
    report = year_report(root, year, today=day)
    text = _markdown(report)
    _guard(report, text)
    return report, text.encode("utf-8") if form == "md" else render(report, form, day)


def annual_mail(
    root: Path, year: int, form: str, *, today: dt.date | None = None
) -> tuple[AnnualReport, Mail]:
    """The report as a mail to rapport_till: the text in the message, the document in
    `form` (docx, pdf or html) attached."""
    from sikt_cli.archive.load import load_archive
    from sikt_cli.mail.messages import attach, report_mail
    from sikt_cli.render.annual_report import title

    day = today or dt.date.today()
    _guard_files(root, year)
    report = year_report(root, year, today=day)
    text = _markdown(report)
    _guard(report, text)
    mail = report_mail(load_archive(root), title(report), text)
    if form in MIME:
        maintype, subtype = MIME[form]
        attach(mail, render(report, form, day), file_name(year, form), maintype, subtype)
    return report, mail
