"""``/ladder dashboard``: a manager's private, one-time link to their community's dashboard."""

from dataclasses import dataclass

from handlers.kernel import Acting, Message, Outcome
from handlers.signin._links import LINK_LIFETIME, issue_link

SIGNIN_PATH = "/dashboard/signin/"


@dataclass
class DashboardAddress:
    """Where the dashboard is reachable from outside (``LADDER_PUBLIC_URL``).

    Mutable on purpose: a server told to listen on port 0 learns its port only once bound, and
    every service built before then must hand out links with the real one.
    """

    url: str = ""


def signin_url(address: DashboardAddress, token: str) -> str:
    """The full sign-in link for a token."""
    return f"{address.url.rstrip('/')}{SIGNIN_PATH}{token}"


async def dashboard_link(acting: Acting, address: DashboardAddress) -> Outcome:
    """Issue a link for the acting manager (the service has already checked they are one)."""
    if not address.url:
        return Outcome().reply(
            Message(
                text="The dashboard is not served by this Ladder process (the console reading a "
                "script does not serve it). Run `ladder dashboard --community …` on the server instead."
            )
        )
    scope = acting.scope
    token = await issue_link(
        scope.session, community_id=scope.community_id, member_id=acting.member_id, now=scope.now
    )
    minutes = int(LINK_LIFETIME.total_seconds() // 60)
    return Outcome().reply(
        Message(
            title="Your dashboard",
            text=f"Sign in to {scope.community.name or 'your community'}'s dashboard with this link "
            f"(valid {minutes} minutes, works once; do not share it):\n{signin_url(address, token)}",
        )
    )
