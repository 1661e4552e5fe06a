"""Move content types when a model moves app, so permissions, admin log entries and generic relations follow."""


def content_types_move(apps, models: list[str], *, from_app: str, to_app: str) -> int:
    """Relabel each model's ContentType row from `from_app` to `to_app`; returns how many rows moved.

    For data migrations: `apps` is the migration's app registry; `models` are lower-case model names. A row
    already made for the new label (post_migrate runs after a partial migrate) has no history of its own, so
    it is removed and the old row, with its permissions and log entries, takes its place.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    moved = 0
    for model in models:
        old = ContentType.objects.filter(app_label=from_app, model=model).first()
        if old is None:
            continue
        ContentType.objects.filter(app_label=to_app, model=model).delete()
        old.app_label = to_app
        old.save(update_fields=["app_label"])
        moved += 1
    return moved
