"""The common services linked to a practice's clinical system (DOMAIN.md §5), loaded into the catalogue."""

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


def catalogue_load(service_model) -> int:
    """Add any catalogue service missing from `service_model`'s table; returns how many were added.

    Takes the model class so the data migration can pass its historical model.
    """
    added = 0
    for name, category, company, notice, notes in CATALOGUE:
        _, created = service_model.objects.get_or_create(
            name=name,
            practice=None,
            defaults={"category": category, "company": company, "notice_working_days": notice, "notes": notes},
        )
        added += created
    return added
