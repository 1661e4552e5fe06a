"""Turn third-party links into the parameters of NHS.UK components."""

from checklists.presenters import long_date

from .models import LinkStatus


def links_progress_phrase(counts: dict[str, int]) -> str:
    """Where the tracked links are: before cutover, most are still in use, not waiting to be reconnected."""
    if not counts["to_switch_off"]:
        parts = [
            f"{counts['to_reconnect']} of {counts['total']} still to reconnect",
            f"{counts['to_verify']} reconnected but not yet checked working",
        ]
    else:
        parts = [f"{counts['to_switch_off']} of {counts['total']} still to switch off for cutover"]
        if switched_off := counts["to_reconnect"] - counts["to_switch_off"]:
            parts.append(f"{switched_off} switched off and still to reconnect")
        if counts["to_verify"]:
            parts.append(f"{counts['to_verify']} reconnected but not yet checked working")
    if counts["verified"]:
        parts.append(f"{counts['verified']} checked working")
    return ", ".join(parts) + "."


LINK_TAG_CLASSES = {
    LinkStatus.IN_USE: "nhsuk-tag--grey",
    LinkStatus.SUPPLIER_TOLD: "nhsuk-tag--blue",
    LinkStatus.SWITCHED_OFF: "nhsuk-tag--orange",
    LinkStatus.RECONNECTION_REQUESTED: "nhsuk-tag--yellow",
    LinkStatus.RECONNECTED: "nhsuk-tag--aqua-green",
    LinkStatus.VERIFIED: "nhsuk-tag--green",
    LinkStatus.NOT_NEEDED: "nhsuk-tag--white",
}


def link_status_tag(link) -> dict:
    return {"text": link.get_status_display(), "classes": LINK_TAG_CLASSES[link.status]}


def link_due_text(row) -> str:
    """'Switch off by 26 February 2027', or what is left when nothing is due."""
    if row.next_status is None:
        return "Nothing due"
    return f"{LinkStatus(row.next_status).label} by {long_date(row.next_due)}"


def link_summary_rows(link, due_dates: dict) -> list[dict]:
    """Summary-list rows for a link: each stage's date (or when it is due), and who checked it works."""

    def stage(done_on, status):
        return long_date(done_on) if done_on else f"Due by {long_date(due_dates[status])}"

    service = link.service
    rows = [
        ("Category", service.get_category_display()),
        ("Company", service.company or "Not recorded"),
        ("Support contact", service.support_contact or "Not recorded"),
        ("Notice needed", f"{service.notice_working_days} working days before switch-off"),
    ]
    if link.status == LinkStatus.NOT_NEEDED:
        rows.append(("Not needed because", link.not_needed_reason))
    else:
        rows += [
            ("Supplier told", stage(link.told_on, LinkStatus.SUPPLIER_TOLD)),
            ("Switched off", stage(link.switched_off_on, LinkStatus.SWITCHED_OFF)),
            ("Reconnection requested", stage(link.reconnection_requested_on, LinkStatus.RECONNECTION_REQUESTED)),
        ]
        if link.reconnection_contact or link.reconnection_reference:
            contact = ", ".join(part for part in (link.reconnection_contact, link.reconnection_reference) if part)
            rows.append(("Contact and reference", contact))
        rows += [
            ("Reconnected", stage(link.reconnected_on, LinkStatus.RECONNECTED)),
            ("Checked working by the practice", stage(link.verified_on, LinkStatus.VERIFIED)),
        ]
        if link.verified_by:
            rows.append(("Checked by", str(link.verified_by)))
    rows.append(
        ("Reconfiguration", (link.reconfiguration_note or "Needed") if link.reconfiguration_needed else "Not needed")
    )
    if service.notes:
        rows.append(("Notes", service.notes))
    return [{"key": {"text": key}, "value": {"text": value}} for key, value in rows]
