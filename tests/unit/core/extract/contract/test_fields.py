"""Contract fields from short invented snippets, one pattern of how contracts are written each."""

from __future__ import annotations

import time

import pytest

from doclane.core.extract import extract_fields
from doclane.core.model import DocType, DocumentText, ExtractedField, Page, TextLine


def _contract(*pages: tuple[str, ...]) -> tuple[ExtractedField, ...]:
    text = DocumentText(
        pages=tuple(
            Page(number, tuple(TextLine(line) for line in lines))
            for number, lines in enumerate(pages, start=1)
        ),
        engine="test",
    )
    return extract_fields(text, DocType.CONTRACT).fields


def _fields(*lines: str) -> dict[str, str]:
    return {f.name: f.normalized or f.value for f in _contract(lines) if f.name != "party"}


def _parties(*lines: str) -> list[str]:
    return [f.value for f in _contract(lines) if f.name == "party"]


# -- parties ---------------------------------------------------------------------------------


def test_parties_of_the_opening_sentence_without_descriptors_and_defined_terms() -> None:
    parties = _parties(
        "SUPPLY AGREEMENT",
        "This Supply Agreement is made as of March 3, 2021 by and between Fenwick Tooling, Inc.,",
        'a Delaware corporation having its principal office at 10 Elm Road ("Fenwick"), and',
        "Orchard Lane Foods LLC, a Vermont limited liability company (the “Buyer”).",
    )
    assert parties == ["Fenwick Tooling, Inc.", "Orchard Lane Foods LLC"]


def test_parties_listed_without_defined_terms_keep_an_and_inside_a_name() -> None:
    parties = _parties(
        "This Agreement is entered into between Marlow, Pike and Co. and Quill Street Partners LLC.",
        "The parties agree as follows.",
    )
    assert parties == ["Marlow, Pike and Co.", "Quill Street Partners LLC"]


def test_a_person_party_loses_a_degree_and_an_address_after_a_legal_form_is_cut() -> None:
    parties = _parties(
        "CONSULTING AGREEMENT between Harlan Bevis, M.D. (“Consultant”) and Tessel Labs Ltd.",
        "44 Dock Street, Leeds (“Client”). 1. Services.",
    )
    assert parties == ["Harlan Bevis", "Tessel Labs Ltd."]


def test_roles_and_sentences_are_not_parties() -> None:
    parties = _parties(
        "In connection with a possible transaction between the Company and you, the Company",
        "will provide Evaluation Material. 1. Use of information.",
    )
    assert parties == []


def test_letter_agreement_parties_come_from_the_signature_blocks() -> None:
    parties = _parties(
        "March 2, 2015",
        "Ladies and Gentlemen:",
        "You have asked us for information about our business. You agree as follows.",
        "Very truly yours,",
        "BRIGHTWATER HOLDINGS, INC.",
        "By: /s/ Nora Quell",
        "Name: Nora Quell",
        "Title: Chief Executive Officer",
        "Accepted and agreed:",
        "KESTREL CAPITAL PARTNERS LLC",
        "By: /s/ Tom Arden",
    )
    assert parties == ["BRIGHTWATER HOLDINGS, INC.", "KESTREL CAPITAL PARTNERS LLC"]


def test_side_by_side_signature_blocks_and_a_person_signing_for_themselves() -> None:
    parties = _parties(
        "As a condition of my employment with Vantor Systems, Inc. (the “Company”), I agree as follows.",
        "IN WITNESS WHEREOF the parties have signed below.",
        "VANTOR SYSTEMS, INC.   ALDER MEDICAL LLC",
        "By: /s/ Ray Ortiz   By: /s/ Kim Lau",
        "Title: President   Title: Manager",
        "/s/ Jonah P. Wilder",
        "Jonah P. Wilder",
    )
    assert parties == ["Vantor Systems, Inc.", "ALDER MEDICAL LLC", "Jonah P. Wilder"]


def test_party_labels_and_short_parentheses_inside_a_name() -> None:
    parties = _parties(
        "This Service Agreement is entered into by and between: Party A: Lumen (Suzhou) Trading",
        "Co., Ltd. (“Provider”) Address: 8 River Road Party B: Keel Harbor Limited (“Client”).",
    )
    assert parties == ["Lumen (Suzhou) Trading Co., Ltd.", "Keel Harbor Limited"]


def test_german_and_french_openings() -> None:
    german = _parties(
        "zwischen Brenner Stahlbau GmbH & Co. KG, Hafenweg 3, 20457 Hamburg (nachfolgend",
        "„Auftragnehmer“) und Lindqvist Möbel e.K., Ringstraße 9, 80331 München (nachfolgend",
        "„Auftraggeber“), geschlossen am 4. Mai 2022.",
    )
    french = _parties(
        "Entre Atelier Morvan SARL, dont le siège est situé 3 rue Haute, 35000 Rennes, ci-après",
        "dénommée « le Prestataire », et Vergers du Lac SAS, dont le siège est situé 9 quai Sud,",
        "74000 Annecy, ci-après dénommée « le Client ». Fait le 2 juin 2023.",
    )
    assert german == ["Brenner Stahlbau GmbH & Co. KG", "Lindqvist Möbel e.K."]
    assert french == ["Atelier Morvan SARL", "Vergers du Lac SAS"]


# -- dates -----------------------------------------------------------------------------------


def test_a_date_defined_as_the_effective_date_beats_the_execution_date() -> None:
    fields = _fields(
        "This Agreement is entered into as of May 2, 2019 (the “Execution Date”). The term of this",
        "Agreement shall commence as of July 1, 2019 (the “Effective Date”) and continue for three",
        "(3) years.",
    )
    assert fields["agreement_date"] == "2019-05-02"
    assert fields["effective_date"] == "2019-07-01"
    assert fields["expiration_date"] == "2022-07-01"


def test_effective_date_of_the_last_signature() -> None:
    fields = _fields(
        "LICENSE AGREEMENT",
        "1.1 “Effective Date” shall mean the date on which the last party signs this Agreement.",
        *["The licensee shall pay the fees set out in Exhibit A when due."] * 8,
        "IN WITNESS WHEREOF the parties have executed this Agreement.",
        "Date: 3/4/2017   Date: 3/9/2017",
    )
    assert fields["effective_date"] == "2017-03-09"


def test_letter_date_line_and_signature_date_fall_back() -> None:
    letter = _fields("Harbor Freightways Co.", "June 8, 2012", "Dear Ms. Reyes:", "You agree.")
    signed = _fields(
        "JOINT FILING AGREEMENT",
        *["Each of the undersigned agrees to file the statement jointly."] * 6,
        "IN WITNESS WHEREOF, the undersigned hereby execute this Agreement as of April 9, 2021.",
    )
    assert letter["agreement_date"] == letter["effective_date"] == "2012-06-08"
    assert signed["agreement_date"] == "2021-04-09"


def test_a_day_of_date_and_an_other_agreements_date_in_the_recitals() -> None:
    fields = _fields(
        "This Amendment is made this 5 th day of May, 2006 between Acme Inc. and Beta LLC.",
        "WHEREAS, the parties entered into an agreement dated June 1, 2001;",
    )
    assert fields["agreement_date"] == "2006-05-05"


def test_german_dates() -> None:
    fields = _fields(
        "zwischen Alpha GmbH und Beta AG, geschlossen am 3. März 2020.",
        "Dieser Vertrag tritt am 01.04.2020 in Kraft und hat eine Laufzeit von zwei (2) Jahren;",
        "er endet am 31.03.2022.",
    )
    assert fields["agreement_date"] == "2020-03-03"
    assert fields["effective_date"] == "2020-04-01"
    assert fields["expiration_date"] == "2022-03-31"
    assert fields["term"] == "2 years"


# -- term and expiration ---------------------------------------------------------------------


def test_the_agreements_term_beats_a_standstill_and_a_notice_period() -> None:
    fields = _fields(
        "8. Standstill. For a period of eighteen (18) months from the date hereof, you shall not",
        "acquire any securities of the Company. Notices are given on ten (10) days' notice.",
        "14. Term. This Agreement shall expire two (2) years from the date hereof.",
    )
    assert fields["term"] == "2 years"


def test_confidentiality_obligations_ending_on_an_anniversary() -> None:
    fields = _fields(
        "The obligations of the Recipient under Section 1 will terminate on the third",
        "anniversary of the date hereof.",
    )
    assert fields["term"] == "3 years"


def test_expiration_stated_as_the_last_day_of_a_month() -> None:
    fields = _fields(
        "This Agreement is made as of January 10, 2018 by and between Acme Inc. and Beta LLC.",
        "The Term shall expire on the last day in June, 2021 (the “Expiration Date”).",
    )
    assert fields["expiration_date"] == "2021-06-30"


def test_a_term_counted_from_another_event_gives_no_expiration() -> None:
    fields = _fields(
        "This Agreement is made as of January 10, 2018 by and between Acme Inc. and Beta LLC.",
        "The term of this Agreement shall continue for one (1) year following the Launch Date.",
    )
    assert fields["term"] == "1 year"
    assert "expiration_date" not in fields


# -- governing law and title -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("sentence", "place"),
    [
        ("This Agreement shall be governed by the laws of the State of Oregon.", "Oregon"),
        (
            "THIS AGREEMENT SHALL BE GOVERNED BY THE LAWS OF THE STATE OF OHIO WITHOUT REGARD",
            "OHIO",
        ),
        (
            "This Agreement is governed by the laws and public policies of the State of Utah.",
            "Utah",
        ),
        (
            "It is performed in Austin, Texas, and the laws of the State of Texas shall govern it.",
            "Texas",
        ),
        ("Any arbitration shall be subject to the application of the Italian law.", "Italy"),
        ("Dieser Vertrag unterliegt dem in Österreich geltenden Recht.", "Österreich"),
        ("Le présent contrat est régi par les lois en vigueur en Belgique.", "Belgique"),
    ],
)
def test_governing_law(sentence: str, place: str) -> None:
    assert _fields(sentence)["governing_law"] == place


def test_a_place_of_formation_or_export_rules_are_not_the_governing_law() -> None:
    fields = _fields(
        "Acme Inc. is a corporation duly organized under the laws of the State of Delaware.",
        "Each party is subject to the export laws of the United States.",
        "This Agreement shall be construed in accordance with the laws of the Commonwealth of",
        "Massachusetts.",
    )
    assert fields["governing_law"] == "Massachusetts"


@pytest.mark.parametrize(
    ("heading", "title"),
    [
        ("PROMOTION AGREEMENT between", "PROMOTION AGREEMENT"),
        ("SPONSORSHIP AGREEMENT July 16, 2012", "SPONSORSHIP AGREEMENT"),
        ("HALCYON SOFTWARE CORPORATION RESELLER AGREEMENT", "RESELLER AGREEMENT"),
        ("AGREEMENT AND PLAN OF MERGER", "AGREEMENT AND PLAN OF MERGER"),
        ("Geheimhaltungsvereinbarung", "Geheimhaltungsvereinbarung"),
        ("Contrat de prestation de services", "Contrat de prestation de services"),
    ],
)
def test_title(heading: str, title: str) -> None:
    assert _fields(heading, "This text follows the heading.")["title"] == title


def test_a_recital_is_not_a_title() -> None:
    fields = _fields("WHEREAS, the parties entered into the Agreement;", "SERVICES AGREEMENT")
    assert fields["title"] == "SERVICES AGREEMENT"


# -- provenance, confidence, speed -----------------------------------------------------------


def test_fields_point_at_their_line_and_weaker_evidence_is_less_sure() -> None:
    fields = {
        f.name: f
        for f in _contract(
            ("TRIAL AGREEMENT",),
            (
                "This Agreement is made as of March 1, 2020 between Acme Inc. and Beta LLC.",
                "The term of this Agreement shall continue for two (2) years.",
            ),
        )
    }
    assert fields["agreement_date"].provenance.page == 2
    assert fields["agreement_date"].provenance.line == 1
    assert fields["term"].provenance.line == 2
    assert fields["effective_date"].confidence < fields["agreement_date"].confidence
    assert fields["expiration_date"].confidence < fields["effective_date"].confidence


def test_a_long_prose_document_is_read_quickly() -> None:
    """200 pages of clauses full of cue words, parentheses and quotes: no regex runs away."""
    paragraph = (
        'The Company (the "Discloser") and the Recipient, between whom this Agreement of the laws',
        "of confidentiality is made, agree that for a period of two years from the date of the last",
        "notice (and any (nested (parenthesis) here) that is ( open, the Effective Date means the",
        "date (A) (B) (C) AND BETWEEN ACME AND BETA AND GAMMA AND DELTA without a full stop at all",
        "By: /s/ A Person   Title: Officer   IN WITNESS WHEREOF as of the date set forth below",
    )
    # CPU time of this process (not wall time, which other processes on the machine
    # stretch), and how it grows: four times the pages may cost about four times as
    # much, never the sixteen a quadratic scan (or worse, a runaway regex) would.
    costs = []
    for count in (50, 200):
        pages = tuple(paragraph * 8 for _ in range(count))
        started = time.process_time()
        _contract(*pages)
        costs.append(time.process_time() - started)
    assert costs[1] < 20.0
    assert costs[1] < 8 * max(costs[0], 0.05)


def test_a_party_name_broken_across_lines_points_at_the_line_it_starts_on() -> None:
    fields = _contract(
        (
            "MUTUAL NON-DISCLOSURE AGREEMENT",
            "This Agreement is made by and between Corvid",
            'Analytics, Inc. ("Corvid") and Pellam Systems LLC ("Pellam").',
        )
    )
    parties = {f.value: f.provenance.line for f in fields if f.name == "party"}
    assert parties == {"Corvid Analytics, Inc.": 2, "Pellam Systems LLC": 3}
