"""Names as people write them, from ODS's capitals: real names from the published epraccur file."""

import pytest

from practices.names import display_name


@pytest.mark.parametrize(
    ("ods_name", "expected"),
    [
        # Real names from ../shared/data/ods/epraccur-sample.csv
        ("THE DENSHAM SURGERY", "The Densham Surgery"),
        ("BOROUGH ROAD & NUNTHORPE MEDICAL GROUP", "Borough Road & Nunthorpe Medical Group"),
        ("MCKENZIE HOUSE SURGERY", "McKenzie House Surgery"),
        ("WEST VIEW MILLENIUM SURGERY A", "West View Millenium Surgery A"),
        ("NORTHFIELD HEALTH CENTRE Z", "Northfield Health Centre Z"),
        ("FOUNDATIONS -HARRIS STREET", "Foundations -Harris Street"),
        ("THE ST.CLEMENTS SURGERY", "The St.Clements Surgery"),
        ("ST HELIERS MEDICAL PRACTICE", "St Heliers Medical Practice"),
        ("STOCKTON NHS HEALTH CARE CENTRE", "Stockton NHS Health Care Centre"),
        ("DR PLACEHOLDER 8 & PARTNERS", "Dr Placeholder 8 & Partners"),
        ("CHURCH LANE - KHAN", "Church Lane - Khan"),
        ("EXTENDED HOURS SERVICE-WOODBRIDGE", "Extended Hours Service-Woodbridge"),
        ("ADDACTION REDCAR & CLEVELAND-SOUTH BANK", "Addaction Redcar & Cleveland-South Bank"),
        ("PRIMECARE (CLEVELAND) LIMITED OOH", "Primecare (Cleveland) Limited OOH"),
        ("STOP SMOKING SERVICE (M'BORO)", "Stop Smoking Service (M'boro)"),
        ("HOSPITAL STOP SMOKING SERVICE (R&C)", "Hospital Stop Smoking Service (R&C)"),
        ("NT&H COMM MACMILLAN", "NT&H Comm Macmillan"),
        ("L'AUMONE&ST.SAMPSONS PRAC", "L'Aumone&St.Sampsons Prac"),
        ("0-19 PUBLIC HEALTH SERVICE HARTLEPOOL", "0-19 Public Health Service Hartlepool"),
        ("YARDLEY WOOD HEALTH CENTRE", "Yardley Wood Health Centre"),
        # Addresses from the same file exercise the small-word and number rules
        ("STOCKTON-ON-TEES", "Stockton-on-Tees"),
        ("MARSKE-BY-THE-SEA", "Marske-by-the-Sea"),
        ("SALTBURN BY THE SEA", "Saltburn by the Sea"),
        ("NEWCASTLE UPON TYNE", "Newcastle upon Tyne"),
        ("3RD FLOOR, ONE LIFE CTR", "3rd Floor, One Life Ctr"),
        ("1A MARTONSIDE WAY", "1A Martonside Way"),
        ("ST. ANNE'S", "St. Anne's"),
    ],
)
def test_real_ods_names_read_as_people_write_them(ods_name, expected):
    assert display_name(ods_name) == expected


@pytest.mark.parametrize(
    ("ods_name", "expected"),
    [
        ("THE GP SURGERY", "The GP Surgery"),
        ("NORTH CITY PCN HUB", "North City PCN Hub"),
        ("HMP DURHAM HEALTHCARE", "HMP Durham Healthcare"),
        ("O'BRIEN AND PARTNERS", "O'Brien and Partners"),
        ("DR A B SMITH", "Dr A B Smith"),
        ("MACCLESFIELD ROAD SURGERY", "Macclesfield Road Surgery"),
        ("MACKENZIE PRACTICE", "MacKenzie Practice"),
        ("A&E SERVICE", "A&E Service"),
    ],
)
def test_initialisms_prefixes_and_initials(ods_name, expected):
    assert display_name(ods_name) == expected


@pytest.mark.parametrize(
    ("ods_name", "expected"),
    [
        # Welsh: no vowels in CWM or LLWYN, the article 'r after an apostrophe, y between hyphens, ŷ and ŵ
        ("CANOLFAN IECHYD CWM", "Canolfan Iechyd Cwm"),
        ("MEDDYGFA'R LLWYN", "Meddygfa'r Llwyn"),
        ("PEN-Y-BONT SURGERY", "Pen-y-Bont Surgery"),
        ("TŶ DOCTOR", "Tŷ Doctor"),
        ("MEDDYGFA YR HEN YSGOL", "Meddygfa yr Hen Ysgol"),
    ],
)
def test_welsh_words(ods_name, expected):
    assert display_name(ods_name) == expected


def test_spaces_are_tidied_and_empty_stays_empty():
    assert display_name("  THE   DENSHAM  SURGERY ") == "The Densham Surgery"
    assert display_name("   ") == ""


def test_a_small_word_first_or_last_is_capitalised():
    assert display_name("THE SURGERY AT THE") == "The Surgery at The"
