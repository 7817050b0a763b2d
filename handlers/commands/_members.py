"""Members a command names: found by their platform id, or refused with the command's usage."""

from handlers.commands._parse import usage_refusal
from handlers.kernel import MemberRef, Refusal, Scope, find_member
from models import Member, MemberStatus


async def resolve(scope: Scope, ref: MemberRef) -> Member | None:
    """Resolve a member named in a command; erased members cannot be named."""
    member = await find_member(scope, ref.external_id)
    if member is None or member.status == MemberStatus.FORGOTTEN:
        return None
    return member


async def named_member(scope: Scope, ref: MemberRef, command: str) -> Member:
    """The member a command names, or the one refusal every command gives for someone Ladder
    does not know (never seen, or erased): nobody is created by being named."""
    member = await resolve(scope, ref)
    if member is None:
        raise unknown_member(ref, command)
    return member


def unknown_member(ref: MemberRef, command: str) -> Refusal:
    """The refusal for naming a member Ladder does not know."""
    return usage_refusal(command, f"No member {ref.external_id!r} is known here yet.")
