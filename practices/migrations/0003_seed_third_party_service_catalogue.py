"""Seed the third-party service catalogue with the common services from the migration guides (DOMAIN.md §5)."""

from django.db import migrations

# (name, category, company, notice working days, notes). EPS may need five weeks' notice; others as little as a week.
CATALOGUE = [
    (
        "DocMan",
        "document_management",
        "Docman (Kinly)",
        5,
        "Take its extract at IDP and FDP with the principal one; may need reconfiguring.",
    ),
    ("Apollo scanning", "document_management", "Apollo Medical", 5, "Scan the cutover backlog once reconnected."),
    ("DispensIT", "dispensing", "DispensIT", 5, "Check barcode scanners, label printers and stock after reconnection."),
    ("INR Star", "anticoagulation", "LumiraDx", 5, "Request a data extract before cutover."),
    (
        "SMS messaging provider",
        "patient_messaging",
        "",
        5,
        "Decide how messages sent in cutover are captured, then reconcile.",
    ),
    ("Online consultation", "patient_online", "", 5, "Set the service-unavailable message for cutover."),
    ("NHS App (IM1)", "patient_online", "NHS England", 5, "IM1 credentials may change; confirm patients can log in."),
    (
        "Patient online services",
        "patient_online",
        "",
        5,
        "Patients may need re-registering individually; update website links.",
    ),
    (
        "Pathology links",
        "pathology",
        "Local pathology laboratory",
        5,
        "Arrange manual urgent results; confirm the backlog is sent electronically.",
    ),
    (
        "e-Referral Service (e-RS)",
        "referrals",
        "NHS England",
        5,
        "Urgent referrals only during cutover; print extra copies.",
    ),
    (
        "Electronic Prescription Service (EPS)",
        "prescribing",
        "NHS England",
        25,
        "Give up to five weeks' notice; cancel repeat dispensing; tell pharmacies.",
    ),
    ("GP2GP", "national_records", "NHS England", 5, "Confirm record transfer works from the new system."),
    ("Summary Care Record (SCR)", "national_records", "NHS England", 5, "Confirm it updates from the new system."),
    ("MESH mailbox", "messaging_transport", "NHS England", 5, "Give PCSE the new mailbox; tell every partner service."),
    (
        "Bowel screening",
        "screening",
        "NHS Bowel Cancer Screening Programme",
        5,
        "Stop messages from two days before cutover; resume after go-live.",
    ),
    (
        "NHS 111 and out-of-hours feeds",
        "urgent_care",
        "",
        5,
        "111 messages go to the generic mailbox in cutover; re-point the feeds.",
    ),
    (
        "PCSE GP links",
        "registration",
        "Primary Care Support England",
        10,
        "Send the PCSE form at least two weeks ahead; no GP-links transactions while paused.",
    ),
]


def seed(apps, schema_editor):
    ThirdPartyService = apps.get_model("practices", "ThirdPartyService")
    for name, category, company, notice, notes in CATALOGUE:
        ThirdPartyService.objects.get_or_create(
            name=name,
            practice=None,
            defaults={"category": category, "company": company, "notice_working_days": notice, "notes": notes},
        )


def unseed(apps, schema_editor):
    ThirdPartyService = apps.get_model("practices", "ThirdPartyService")
    ThirdPartyService.objects.filter(practice=None, name__in=[row[0] for row in CATALOGUE]).delete()


class Migration(migrations.Migration):
    dependencies = [("practices", "0002_third_party_service_catalogue")]

    operations = [migrations.RunPython(seed, unseed)]
