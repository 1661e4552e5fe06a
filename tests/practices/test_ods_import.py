"""The ODS import, on the real published sample (../shared/data/ods) and on small copies changed by the tests.

Expected counts are worked out here from the raw file with the csv module, independently of the importer.
"""

import csv
import datetime
import io
from collections import Counter
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F

from golive.core.models import AuditEvent
from practices.models import (
    ICB,
    OrganisationStatus,
    Practice,
    PracticeSubICBLocation,
    Region,
    SubICBLocation,
    Supplier,
)
from practices.ods import OdsFileRefused
from practices.ods_import import ods_import
from tests.factories import ICBFactory, PracticeFactory, SupplierFactory

DATA = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ods"
SAMPLE = DATA / "epraccur-sample.csv"
SUPPLIERS = DATA / "supplier-by-practice-sample.csv"
TODAY = datetime.date(2026, 11, 30)
STATUS = {"A": "active", "C": "closed", "D": "dormant", "P": "proposed"}


def sample_rows() -> list[list[str]]:
    with SAMPLE.open(newline="") as handle:
        return list(csv.reader(handle))


def as_epraccur(rows: list[list[str]], line_ending: str = "\n") -> bytes:
    """Rows written back in the published format: every field quoted, no header."""
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator=line_ending).writerows(rows)
    return out.getvalue().encode()


def changed(code: str, **columns) -> bytes:
    """The sample with one row's columns changed; columns are named c1…c27, ODS's 1-based numbering."""
    rows = sample_rows()
    for row in rows:
        if row[0] == code:
            for name, value in columns.items():
                row[int(name[1:]) - 1] = value
    return as_epraccur(rows)


def run(data: bytes | None = None, suppliers: bytes | None = None, actor=None):
    return ods_import(
        epraccur=SAMPLE.read_bytes() if data is None else data,
        suppliers=suppliers,
        actor=actor,
        source="test",
        today=TODAY,
    )


def database_state():
    """Everything an import can write, to compare before and after."""
    return (
        AuditEvent.objects.count(),
        list(Practice.objects.order_by("ods_code").values()),
        list(PracticeSubICBLocation.objects.order_by("pk").values()),
        list(SubICBLocation.objects.order_by("code").values()),
        list(ICB.objects.order_by("code").values()),
        list(Region.objects.order_by("code").values()),
        list(Supplier.objects.order_by("name").values()),
    )


# --- The sample ---------------------------------------------------------------------------------------------


def test_sample_imports_every_english_gp_practice_with_its_status(db):
    gp_rows = [row for row in sample_rows() if row[25] == "4" and row[0][:3] not in {"JER", "GUE", "ALD"}]
    summary = run()
    assert summary.created == len(gp_rows) == Practice.objects.count()
    expected = Counter(STATUS[row[12]] for row in gp_rows)
    assert dict(Practice.objects.values_list("status").annotate(n=Count("pk"))) == expected
    assert dict(summary.by_status) == expected
    assert (summary.updated, summary.unchanged) == (0, 0)


def test_sample_skips_channel_islands_and_non_gp_rows_with_reasons(db):
    rows = sample_rows()
    channel_islands = [row for row in rows if row[0][:3] in {"JER", "GUE", "ALD"}]
    not_gp = Counter(int(row[25]) for row in rows if row[25] != "4" and row not in channel_islands)
    summary = run()
    assert summary.skipped["In the Channel Islands, not England"] == len(channel_islands) == 12  # README: 12
    assert summary.skipped["Not a GP practice: community health service (prescribing setting 9)"] == not_gp[9]
    assert summary.skipped["Not a GP practice: public health service (prescribing setting 8)"] == not_gp[8]
    assert summary.skipped["Not a GP practice: out-of-hours service (prescribing setting 2)"] == not_gp[2]
    assert sum(summary.skipped.values()) == len(rows) - summary.created
    assert not Practice.objects.filter(ods_code__in=[row[0] for row in channel_islands]).exists()


def test_summary_reads_as_a_report(db):
    report = "\n".join(run().report())
    assert "created: 130" in report
    assert "In the Channel Islands, not England: 12" in report
    assert "Not a GP practice: community health service (prescribing setting 9): 24" in report


def test_sample_practice_keeps_its_ods_name_beside_the_name_people_write(db):
    run()
    practice = Practice.objects.get(ods_code="A81001")
    assert (practice.name, practice.ods_name) == ("The Densham Surgery", "THE DENSHAM SURGERY")
    assert (practice.postcode, practice.opened_on, practice.closed_on) == ("TS18 1HU", datetime.date(1974, 4, 1), None)
    assert (practice.sub_icb_location.code, practice.icb.code, practice.icb.region.code) == ("00K", "Q74", "Y63")


def test_closed_practice_keeps_its_dates_and_place_history(db):
    run()
    practice = Practice.objects.get(ods_code="A81003")
    assert (practice.status, practice.closed_on) == (OrganisationStatus.CLOSED, datetime.date(2017, 10, 31))
    history = practice.sub_icb_history.get()
    assert (history.sub_icb_location.code, history.started_on, history.ended_on) == (
        "00K",
        datetime.date(2013, 4, 1),
        datetime.date(2017, 10, 31),
    )


def test_geography_comes_from_the_open_practices_rows(db):
    """Closed practices keep the region codes of the year they closed (Y54, Y55): open ones decide."""
    run()
    assert set(Region.objects.values_list("code", flat=True)) == {"Y60", "Y63"}
    assert dict(ICB.objects.values_list("code", "region__code")) == {"Q74": "Y63", "Q77": "Y60"}
    assert dict(SubICBLocation.objects.values_list("code", "icb__code")) == {"00K": "Q74", "00M": "Q74", "15E": "Q77"}
    assert not Practice.objects.exclude(icb=F("sub_icb_location__icb")).exists()


def test_a_2019_file_is_flagged_as_naming_offices_not_icbs(db):
    summary = run()
    assert any("Q74, Q77" in warning and "July 2022" in warning for warning in summary.warnings)


def test_every_created_practice_has_an_audit_event_by_the_system(db):
    summary = run()
    events = AuditEvent.objects.filter(action="practice.created_from_ods")
    assert events.count() == summary.created
    event = events.get(object_label__contains="A81001")
    assert (event.actor, event.actor_label, event.reason) == (None, "GoLive (automatic)", "ODS import: test")
    assert event.after["sub_icb_location"] == "00K"


def test_second_run_changes_nothing_and_reports_all_unchanged(db):
    first = run(suppliers=SUPPLIERS.read_bytes())
    before = database_state()
    second = run(suppliers=SUPPLIERS.read_bytes())
    assert (second.created, second.updated, second.unchanged) == (0, 0, first.created)
    assert (second.suppliers_set, second.suppliers_unchanged) == (0, first.suppliers_set)
    assert database_state() == before


# --- Changes on re-import ----------------------------------------------------------------------------------


def test_a_renamed_practice_is_updated_with_an_audit_event(db):
    run()
    summary = run(changed("A81002", c2="QUEENS PARK HEALTH CENTRE"))
    assert (summary.updated, summary.unchanged) == (1, summary.practices - 1)
    practice = Practice.objects.get(ods_code="A81002")
    assert (practice.name, practice.ods_name) == ("Queens Park Health Centre", "QUEENS PARK HEALTH CENTRE")
    event = AuditEvent.objects.get(action="practice.updated_from_ods")
    assert event.before == {"name": "Queens Park Medical Centre", "ods_name": "QUEENS PARK MEDICAL CENTRE"}
    assert event.after == {"name": "Queens Park Health Centre", "ods_name": "QUEENS PARK HEALTH CENTRE"}
    assert event.practice_id == practice.pk


def test_a_practice_that_closes_is_kept_marked_closed_with_an_audit_event(db):
    run()
    run(changed("A81004", c12="20191031", c13="C", c17="20191031"))
    practice = Practice.objects.get(ods_code="A81004")
    assert (practice.status, practice.closed_on) == (OrganisationStatus.CLOSED, datetime.date(2019, 10, 31))
    event = AuditEvent.objects.get(action="practice.updated_from_ods")
    assert (event.before["status"], event.after["status"]) == ("active", "closed")
    assert event.after["in_sub_icb_location_until"] == "2019-10-31"
    assert not practice.sub_icb_history.filter(ended_on__isnull=True).exists()


def test_a_practice_missing_from_a_later_file_is_never_deleted(db):
    run()
    rows = [row for row in sample_rows() if row[0] != "A81005"]
    run(as_epraccur(rows))
    assert Practice.objects.filter(ods_code="A81005").exists()


def test_a_practice_that_moves_keeps_its_history_and_its_icb_follows(db):
    run()
    ICBFactory(code="QHM")
    moved = changed("A81005", c15="15E", c16="20190401")
    summary = run(moved)
    practice = Practice.objects.get(ods_code="A81005")
    assert (practice.sub_icb_location.code, practice.icb.code) == ("15E", "Q77")
    history = list(practice.sub_icb_history.values_list("sub_icb_location__code", "started_on", "ended_on"))
    assert history == [
        ("00M", datetime.date(2013, 4, 1), datetime.date(2019, 4, 1)),
        ("15E", datetime.date(2019, 4, 1), None),
    ]
    event = AuditEvent.objects.get(action="practice.updated_from_ods")
    assert (event.before["sub_icb_location"], event.after["sub_icb_location"]) == ("00M", "15E")
    assert summary.updated == 1


def test_a_sub_icb_location_the_file_puts_in_another_icb_takes_its_practices(db):
    run()
    rows = sample_rows()
    for row in rows:
        if row[14] == "00K":
            row[3] = "QHM"
    summary = run(as_epraccur(rows))
    assert SubICBLocation.objects.get(code="00K").icb.code == "QHM"
    assert not Practice.objects.filter(sub_icb_location__code="00K").exclude(icb__code="QHM").exists()
    assert summary.sub_icb_locations_moved == 1
    assert AuditEvent.objects.filter(action="sub_icb_location.icb_changed").count() == 1


def test_a_name_corrected_in_golive_stays_until_ods_renames_the_practice(db):
    run()
    Practice.objects.filter(ods_code="A81044").update(name="McKenzie House Surgery (Hartlepool)")
    run()
    assert Practice.objects.get(ods_code="A81044").name == "McKenzie House Surgery (Hartlepool)"


def test_a_practice_typed_in_by_hand_is_matched_by_its_ods_code(db):
    icb = ICBFactory(code="QND")
    typed = PracticeFactory(ods_code="A81001", name="Densham", icb=icb)
    summary = run()
    typed.refresh_from_db()
    assert (typed.name, typed.sub_icb_location.code, typed.icb.code) == ("The Densham Surgery", "00K", "Q74")
    assert summary.created == summary.practices - 1
    assert typed.sub_icb_history.get().ended_on is None


# --- Bad files -----------------------------------------------------------------------------------------------


def malformed_copy() -> bytes:
    rows = sample_rows()
    rows[2] = rows[2][:26]  # line 3: a column short
    rows[9][0] = "A81-01"  # line 10: bad ODS code
    rows[19][10] = "20181331"  # line 20: a 31st month
    rows.append(list(rows[0]))  # line 221: a duplicate of line 1
    return as_epraccur(rows)


def test_a_malformed_file_is_refused_whole_with_every_bad_line(db):
    with pytest.raises(OdsFileRefused) as refused:
        run(malformed_copy())
    assert refused.value.errors == [
        "Line 3: has 26 columns; the epraccur format has 27",
        "Line 10: ODS code 'A81-01' is not 3 to 10 letters and numbers",
        "Line 20: open date '20181331' is not a date written as YYYYMMDD",
        "Line 221: ODS code A81001 is also on line 1",
    ]


def test_a_refused_file_saves_nothing(db):
    before = database_state()
    with pytest.raises(OdsFileRefused):
        run(malformed_copy())
    assert database_state() == before


def test_a_refused_re_import_leaves_the_first_import_as_it_was(db):
    run()
    before = database_state()
    rows = sample_rows()
    rows[0][1] = "RENAMED SURGERY"  # a good change …
    rows[5][12] = "X"  # … and a bad status on line 6
    with pytest.raises(OdsFileRefused, match="1 problem"):
        run(as_epraccur(rows))
    assert database_state() == before


def test_duplicate_rows_are_refused_naming_both_lines(db):
    rows = sample_rows()
    rows.insert(3, list(rows[1]))
    with pytest.raises(OdsFileRefused) as refused:
        run(as_epraccur(rows))
    assert refused.value.errors == ["Line 4: ODS code A81002 is also on line 2"]


def test_lower_case_and_spaced_codes_are_read_as_written_in_capitals(db):
    data = changed("A81001", c1=" a81 001 ", c15="00k ", c4="q74")
    run(data)
    practice = Practice.objects.get(ods_code="A81001")
    assert (practice.sub_icb_location.code, practice.icb.code) == ("00K", "Q74")


def test_crlf_line_endings_and_a_byte_order_mark_read_the_same(db):
    as_published = run()
    Practice.objects.all().delete()
    data = b"\xef\xbb\xbf" + as_epraccur(sample_rows(), line_ending="\r\n")
    crlf = run(data)
    assert (crlf.created, crlf.skipped) == (as_published.created, as_published.skipped)
    assert Practice.objects.get(ods_code="A81001").ods_name == "THE DENSHAM SURGERY"


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("c13", "Q", "Line 1: status 'Q' is not A, C, D or P"),
        ("c26", "four", "Line 1: prescribing setting 'four' is not a number"),
        ("c15", "00KK", "Line 1: sub-ICB location (commissioner) code '00KK' is not 3 letters and numbers"),
        ("c2", "  ", "Line 1: the practice has no name"),
        ("c17", "20100101", "Line 1: the date it left the commissioner is before the date it joined"),
    ],
)
def test_other_bad_values_are_named_with_their_line(db, column, value, message):
    with pytest.raises(OdsFileRefused) as refused:
        run(changed("A81001", **{column: value}))
    assert refused.value.errors == [message]


def test_a_gp_practice_with_a_code_that_is_not_a_practice_code_is_refused(db):
    with pytest.raises(OdsFileRefused) as refused:
        run(changed("A81001", c1="A8100"))
    assert refused.value.errors == ["Line 1: ODS code A8100 is not a GP practice code (a letter and 5 numbers)"]


def test_broken_quoting_is_refused_with_its_line(db):
    data = SAMPLE.read_bytes().replace(b'"THE DENSHAM SURGERY"', b'"THE "DENSHAM" SURGERY"')
    with pytest.raises(OdsFileRefused) as refused:
        run(data)
    assert refused.value.errors[0].startswith("Line 1: cannot be read as CSV")


def test_nul_characters_are_refused_with_their_lines(db):
    data = SAMPLE.read_bytes().replace(b"QUEENS PARK", b"QUEENS\x00PARK")
    with pytest.raises(OdsFileRefused) as refused:
        run(data)
    assert refused.value.errors == ["Line 2: holds a NUL character; is this a text (CSV) file?"]


# --- Suppliers ---------------------------------------------------------------------------------------------------


def supplier_rows() -> list[list[str]]:
    with SUPPLIERS.open(newline="") as handle:
        return list(csv.reader(handle))[1:]


def as_supplier_csv(rows: list[list[str]]) -> bytes:
    return ("ODSCode,Supplier\n" + "".join(f"{code},{supplier}\n" for code, supplier in rows)).encode()


def test_supplier_file_sets_each_practices_current_system(db):
    emis = SupplierFactory(name="EMIS")
    summary = run(suppliers=SUPPLIERS.read_bytes())
    expected = dict(supplier_rows())
    assert summary.suppliers_set == len(expected)
    assert (
        dict(Practice.objects.filter(current_supplier__isnull=False).values_list("ods_code", "current_supplier__name"))
        == expected
    )
    assert Practice.objects.get(ods_code="A81007").current_supplier == emis


def test_known_suppliers_missing_from_golive_are_added_with_their_system(db):
    summary = run(suppliers=SUPPLIERS.read_bytes())
    assert sorted(summary.suppliers_created) == ["EMIS", "TPP"]
    assert Supplier.objects.get(name="TPP").system_name == "SystmOne"


def test_supplier_names_match_golive_suppliers_by_name_or_system(db):
    vision = SupplierFactory(name="Cegedim")
    systmone = Supplier.objects.create(name="TPP", system_name="SystmOne")
    run(suppliers=as_supplier_csv([("A81001", "Vision"), ("A81002", "systmone")]))
    assert Practice.objects.get(ods_code="A81001").current_supplier == vision
    assert Practice.objects.get(ods_code="A81002").current_supplier == systmone


def test_an_unknown_supplier_refuses_both_files_and_saves_nothing(db):
    before = database_state()
    with pytest.raises(OdsFileRefused) as refused:
        run(suppliers=as_supplier_csv([("A81001", "EMIS"), ("A81002", "ACME CLINICAL")]))
    assert refused.value.errors == [
        "Supplier file, line 3: 'ACME CLINICAL' is not a supplier GoLive knows; add it in the admin site first, "
        "or check the spelling"
    ]
    assert database_state() == before


def test_practices_absent_from_the_supplier_file_keep_their_supplier(db):
    run(suppliers=as_supplier_csv([("A81001", "TPP")]))
    run(suppliers=as_supplier_csv([("A81002", "EMIS")]))
    assert Practice.objects.get(ods_code="A81001").current_supplier.name == "TPP"


def test_a_change_of_supplier_is_audited(db):
    run(suppliers=as_supplier_csv([("A81001", "TPP")]))
    run(suppliers=as_supplier_csv([("A81001", "EMIS")]))
    event = AuditEvent.objects.get(action="practice.updated_from_ods")
    assert (event.before, event.after) == ({"current_supplier": "TPP"}, {"current_supplier": "EMIS"})


def test_supplier_rows_for_practices_not_in_golive_are_counted(db):
    summary = run(suppliers=as_supplier_csv([("A81001", "TPP"), ("Z99999", "TPP"), ("Y05755", "EMIS")]))
    assert (summary.suppliers_set, summary.suppliers_unknown_practice) == (1, 2)


def test_supplier_codes_are_normalised_and_duplicates_refused(db):
    with pytest.raises(OdsFileRefused) as refused:
        run(suppliers=as_supplier_csv([(" a81 001", "TPP"), ("A81001", "EMIS"), ("A8", "TPP")]))
    assert refused.value.errors == [
        "Line 3: ODS code A81001 is also on line 2",
        "Line 4: ODS code 'A8' is not a GP practice code",
    ]


def test_supplier_file_needs_its_header(db):
    with pytest.raises(OdsFileRefused) as refused:
        run(suppliers=b"A81001,TPP\n")
    assert refused.value.errors == ["Line 1: the first line must be the header ODSCode,Supplier"]


# --- The command ---------------------------------------------------------------------------------------------------


def test_command_imports_and_prints_the_summary(db, capsys):
    call_command("import_ods", str(SAMPLE), "--suppliers", str(SUPPLIERS))
    out = capsys.readouterr().out
    assert "created: 130" in out
    assert "Current suppliers: 101 rows" in out
    assert Practice.objects.filter(current_supplier__isnull=False).count() == 101


def test_command_lists_every_bad_line_and_fails(db, capsys, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(malformed_copy())
    with pytest.raises(CommandError, match="Refused: 4 problems; nothing was saved"):
        call_command("import_ods", str(bad))
    assert "Line 221: ODS code A81001 is also on line 1" in capsys.readouterr().err
    assert not Practice.objects.exists()


def test_command_names_a_missing_file(db):
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_ods", "/nonexistent/epraccur.csv")
