"""Admin login lock-out: by account *and* address, plus a higher limit per address.

django-axes compares one failure count with one limit. Locking by account alone
(or "account or address") lets a stranger lock any editor out with a few wrong
passwords; locking by the pair alone lets one address guess every account. This
handler counts both (``AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"],
"ip_address"]``) and locks when either the pair reaches ``AXES_FAILURE_LIMIT``
or the address alone reaches ``AXES_IP_FAILURE_LIMIT``. The address is
``core.clientip.client_ip`` (``AXES_CLIENT_IP_CALLABLE``), so behind a
trusted proxy it is the reader's, not the proxy's.

A successful login resets only its own pair: logging in to one account must not
wipe the failures an address collected against others.
"""

from __future__ import annotations

from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from django.conf import settings
from django.db.models import QuerySet, Sum
from django.http import HttpRequest


def _failures(attempts: QuerySet[Any]) -> int:
    return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0


class PairAndAddressHandler(AxesDatabaseHandler):
    """axes' database handler with a separate, higher limit for the address alone."""

    def get_failures(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """Failures of the (account, address) pair; the limit if the address is locked."""
        pair_attempts, address_attempts = self.get_user_attempts(request, credentials)
        pair = _failures(pair_attempts)
        if _failures(address_attempts) >= settings.AXES_IP_FAILURE_LIMIT:
            limit: int = get_failure_limit(request, credentials)  # axes is untyped
            return max(pair, limit)
        return pair

    def reset_user_attempts(self, request: HttpRequest, credentials: dict | None = None) -> int:
        """Delete the failures of this account from this address (side effect: DB rows)."""
        pair_attempts = self.filter_user_attempts(request, credentials)[0]
        count: int
        count, _rows = pair_attempts.delete()
        return count
