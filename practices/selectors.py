"""What a user may see and do. Every view scopes its queries through these functions."""

from django.db.models import Q, QuerySet

from .models import PRACTICE_ROLES, Membership, Practice, Role


def commissioned_practices(memberships: QuerySet[Membership], prefix: str = "") -> Q:
    """A filter for the practices these memberships commission: whole ICBs, or single sub-ICB locations.

    `memberships` is a queryset of one user's memberships (it becomes a subquery, not a list);
    `prefix` is the path to the practice from the model being filtered, e.g. "practice__".
    """
    commissioner = memberships.filter(role=Role.COMMISSIONER)
    return Q(**{f"{prefix}icb_id__in": commissioner.filter(icb__isnull=False).values("icb_id")}) | Q(
        **{
            f"{prefix}sub_icb_location_id__in": commissioner.filter(sub_icb_location__isnull=False).values(
                "sub_icb_location_id"
            )
        }
    )


def commissions(membership: Membership, practice: Practice) -> bool:
    """Whether this commissioner membership covers the practice: its ICB, or its sub-ICB location ("place")."""
    if membership.role != Role.COMMISSIONER:
        return False
    if membership.sub_icb_location_id is not None:
        return membership.sub_icb_location_id == practice.sub_icb_location_id
    return membership.icb_id == practice.icb_id


def practices_visible_to(user) -> QuerySet[Practice]:
    """Practices the user belongs to, plus every practice in the ICBs or places they commission for."""
    if not user.is_authenticated or not user.is_active:
        return Practice.objects.none()
    if user.is_superuser:
        return Practice.objects.all()
    member_of = Membership.objects.filter(user=user)
    return Practice.objects.filter(
        Q(pk__in=member_of.filter(practice__isnull=False).values("practice_id")) | commissioned_practices(member_of)
    )


def roles_for(user, practice: Practice) -> set[str]:
    """The roles the user holds for this practice: their practice roles, and 'commissioner' via its ICB or place."""
    if not user.is_authenticated:
        return set()
    # A page asks several permission questions of the same signed-in user: read the memberships once.
    if not hasattr(user, "_memberships"):
        user._memberships = list(user.memberships.all())
    roles = set()
    for membership in user._memberships:
        if membership.practice_id == practice.pk:
            roles.add(membership.role)
        elif commissions(membership, practice):
            roles.add(Role.COMMISSIONER)
    return roles


def can_work_checklist(user, practice: Practice) -> bool:
    """Practice members tick, assign and annotate steps; commissioners only read."""
    return bool(roles_for(user, practice) & PRACTICE_ROLES)


def step_updatable(roles: set[str], step_role: str) -> bool:
    """Practice members change any step; commissioners change the steps that are theirs (e.g. funding approval)."""
    return bool(roles & PRACTICE_ROLES) or (step_role == Role.COMMISSIONER and Role.COMMISSIONER in roles)


def can_update_step(user, practice: Practice, step_role: str) -> bool:
    return step_updatable(roles_for(user, practice), step_role)


def can_manage_migration(user, practice: Practice) -> bool:
    """Practice managers and the practice's commissioners (ICB or place) create migrations and move key dates."""
    return user.is_superuser or bool(roles_for(user, practice) & {Role.PRACTICE_MANAGER, Role.COMMISSIONER})


def practices_user_can_manage(user) -> QuerySet[Practice]:
    """Practices whose migrations the user may create and re-plan: their own as practice manager, and the
    practices of the ICBs or places they commission for (all, for administrators); closed ones included."""
    if user.is_superuser:
        return Practice.objects.all()
    member_of = Membership.objects.filter(user=user)
    return Practice.objects.filter(
        Q(pk__in=member_of.filter(role=Role.PRACTICE_MANAGER).values("practice_id")) | commissioned_practices(member_of)
    )


def practice_members(practice: Practice, roles=None) -> QuerySet:
    """Active users holding a role at this practice (for assignment lists and reminder recipients)."""
    from .models import User

    memberships = Membership.objects.filter(practice=practice)
    if roles:
        memberships = memberships.filter(role__in=roles)
    return User.objects.filter(is_active=True, pk__in=memberships.values("user_id")).order_by("full_name", "email")
