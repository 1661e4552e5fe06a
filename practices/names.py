"""Organisation names as people write them: ODS publishes "THE DENSHAM SURGERY"; people write "The Densham Surgery".

The rules are data (the tables below) applied to each run of letters in turn, knowing what comes just before
it. A word not covered by a table is capitalised: first letter upper, the rest lower. Tests in
tests/practices/test_names.py hold real names from the published epraccur file.
"""

import re

# Abbreviations and initialisms written in capitals wherever they appear. No rule like "no vowels means an
# abbreviation": Welsh words such as CWM and LLWYN have none.
CAPITALS = {
    "GP", "GPS", "NHS", "PCN", "PCT", "CCG", "ICB", "OOH", "WIC", "UTC", "UCC", "UK", "CIC", "LLP", "PLC", "MSK",
    "ENT", "HIV", "IAPT", "BCSC", "CRS", "HMP", "YOI", "HMYOI", "RAF", "HMS", "II", "III", "IV", "APMS", "PMS",
    "GMS", "CSU", "DN", "HV", "LAC", "NDUC", "RCBC", "CGL",
}  # fmt: skip

# Words with one exact written form (Mac names are listed: "Mac" is not always a prefix, as MACHEN and
# MACCLESFIELD show; Macmillan the charity writes its name with a small m).
EXACT_FORMS = {
    "LTD": "Ltd",
    "MACMILLAN": "Macmillan",
    "MACKENZIE": "MacKenzie",
    "MACDONALD": "MacDonald",
    "MACLEOD": "MacLeod",
    "MACGREGOR": "MacGregor",
    "MACKAY": "MacKay",
    "MACLEAN": "MacLean",
    "MACINTYRE": "MacIntyre",
}

# Small words written in lower case inside a name (never as its first or last word): English joining words
# ("Marske-by-the-Sea", "Newcastle upon Tyne") and the Welsh article and joining words "yr" and "ar".
# Not "de" or "le": surnames ("Dr De Souza") are commoner in practice names than French joining words.
LOWER_INSIDE = {"and", "of", "the", "on", "upon", "by", "at", "in", "for", "to", "under", "with", "yr", "ar"}
# Single letters stay capitals: initials ("DR A B SMITH") and suffixes ("SURGERY A") are far commoner than the
# Welsh article "y", which is lower case only between hyphens ("Pen-y-Bont").
LOWER_BETWEEN_HYPHENS = {"y"}

# After an apostrophe a word carries on in lower case ("St. Anne's", "Meddygfa'r", "M'boro") unless the part
# before it is one of these name prefixes ("O'Brien", "D'Arcy", "L'Aumone").
APOSTROPHE_PREFIXES = {"O", "D", "L"}

# Letters right after a number are an ordinal suffix only in these cases ("3rd"); otherwise a house-number
# letter stays a capital ("1A", "12B").
ORDINAL_SUFFIXES = {"ST", "ND", "RD", "TH"}

# Runs of capitals joined by "&" where every part is this short are initials ("R&C", "NT&H", "A&E").
SHORT_PART_LENGTH = 2

_WORD = re.compile(r"[^\W\d_]+")  # a run of letters, Welsh ŵ and ŷ included
_AMPERSAND_INITIALS = re.compile(rf"\b[^\W\d_]{{1,{SHORT_PART_LENGTH}}}(?:&[^\W\d_]{{1,{SHORT_PART_LENGTH}}})+\b")
_APOSTROPHES = "'’"


def display_name(ods_name: str) -> str:
    """The name as people write it, from the name as ODS publishes it. Spaces are tidied, nothing else changes.

    `ods_name` is any string (typically upper case); the result has the same letters and punctuation.
    """
    text = " ".join(ods_name.split())
    if not text:
        return ""
    initials = {match.span() for match in _AMPERSAND_INITIALS.finditer(text)}
    protected = [range(start, end) for start, end in initials]
    words = list(_WORD.finditer(text))
    pieces, last_end = [], 0
    for index, match in enumerate(words):
        start, end = match.span()
        pieces.append(text[last_end:start])
        if any(start in span for span in protected):
            pieces.append(match.group().upper())
        else:
            pieces.append(_case_word(text, words, index))
        last_end = end
    pieces.append(text[last_end:])
    return "".join(pieces)


def _case_word(text: str, words: list[re.Match], index: int) -> str:
    match = words[index]
    word, upper = match.group(), match.group().upper()
    start, end = match.span()
    before = text[start - 1] if start else ""
    after = text[end] if end < len(text) else ""
    first, last = index == 0, index == len(words) - 1

    if before in _APOSTROPHES and index:
        previous = words[index - 1]
        if previous.end() == start - 1 and previous.group().upper() in APOSTROPHE_PREFIXES:
            return word.capitalize()
        if previous.end() == start - 1:
            return word.lower()
    if before.isdigit():
        return word.lower() if upper in ORDINAL_SUFFIXES else upper
    if upper in EXACT_FORMS:
        return EXACT_FORMS[upper]
    if upper in CAPITALS:
        return upper
    lower = word.lower()
    if not first and not last:
        if lower in LOWER_BETWEEN_HYPHENS:
            if before == "-" and after == "-":
                return lower
        elif lower in LOWER_INSIDE:
            return lower
    if upper.startswith("MC") and len(upper) > 2:
        return "Mc" + upper[2:].capitalize()
    return word.capitalize()
