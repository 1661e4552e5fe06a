from practices.selectors import can_manage_migration, can_work_checklist, practices_visible_to


def test_practice_manager_sees_only_their_practice(world):
    assert list(practices_visible_to(world.manager)) == [world.home]


def test_commissioner_sees_every_practice_in_their_icb_only(world):
    assert set(practices_visible_to(world.commissioner)) == {world.home, world.neighbour}


def test_admin_sees_every_practice(world):
    assert practices_visible_to(world.admin).count() == 3


def test_commissioner_reads_but_does_not_work_the_checklist(world):
    assert not can_work_checklist(world.commissioner, world.home)
    assert can_manage_migration(world.commissioner, world.home)


def test_staff_work_the_checklist_but_do_not_manage_the_migration(world):
    assert can_work_checklist(world.staff, world.home)
    assert not can_manage_migration(world.staff, world.home)
