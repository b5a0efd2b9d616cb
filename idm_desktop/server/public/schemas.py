"""The public JSON API's response bodies (documented in the OpenAPI by these models)."""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field

from idm_desktop.core.text import LocalText, pick


class LocalNames(BaseModel):
    """A name in the three official languages."""

    en: str
    fr: str
    es: str

    @classmethod
    def of(cls, text: LocalText) -> LocalNames:
        return cls(en=pick(text, "en"), fr=pick(text, "fr"), es=pick(text, "es"))


class SnippetPart(BaseModel):
    """A run of snippet text; ``hit`` is true where it matched the query."""

    text: str
    hit: bool


class PublicSubmissionSummary(BaseModel):
    """A published submission in a list."""

    receipt_no: str = Field(description="The public identifier, e.g. IDM-2026-00042")
    title: str
    country: str = Field(description="ISO 3166-1 alpha-3 code of the delegation")
    workshop_id: str
    language: str = Field(description="en, fr or es: the language the submission is written in")
    received_on: dt.date = Field(description="The date of receipt (Geneva)")
    published_at: dt.datetime | None
    superseded_by: str | None = Field(
        description="The receipt number of the published version that replaces this one")
    snippet: list[SnippetPart] = Field(description="Text around the first hit (or the start of the text)")
    html_url: str
    pdf_url: str


class PublicSubmissionPage(BaseModel):
    """One page of published submissions: best match first with ``q``, newest first without."""

    items: list[PublicSubmissionSummary]
    total: int
    page: int
    per_page: int
    pages: int


class PublicSection(BaseModel):
    """One section of a submission: its title in the submission's language, its Markdown text."""

    key: str
    title: str
    text: str


class PublicSubmission(BaseModel):
    """A published submission in full."""

    receipt_no: str
    title: str
    country: str
    country_name: LocalNames
    workshop_id: str
    workshop_title: LocalNames | None
    language: str
    template_id: str
    template_version: int
    received_on: dt.date
    published_at: dt.datetime | None
    supersedes: str | None = Field(description="The receipt number of the published version it replaces")
    superseded_by: str | None = Field(
        description="The receipt number of the published version that replaces this one")
    sections: list[PublicSection]
    html_url: str
    pdf_url: str
    sha256: str = Field(description="The SHA-256 of the text received (title, language and sections), "
                                    "as the delegation's receipt states it")
    receipt_key_id: str | None = Field(default=None, description="The server key that signed the receipt "
                                                                 "(see /api/v1/info)")
    receipt_signature: str | None = Field(default=None, description="The receipt's Ed25519 signature, base64")


class PublicWorkshop(BaseModel):
    """A workshop or Council session, and how many published submissions it has."""

    id: str
    year: int
    kind: str
    title: LocalNames
    start: dt.date | None
    end: dt.date | None
    city: str
    submissions: int


class PublicCountry(BaseModel):
    """A country with published submissions."""

    code: str = Field(description="ISO 3166-1 alpha-3")
    name: LocalNames
    submissions: int
