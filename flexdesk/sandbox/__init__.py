"""A local stand-in for the FlexPortal customers API: seeded data, real HTTP, injectable faults.

No Qt here (and none of the app): tests, benchmarks and demos run it in-process or as
`python -m flexdesk.sandbox` / `flexdesk-sandbox`.
"""

from flexdesk.sandbox.faults import Fault, Faults, LongBody
from flexdesk.sandbox.plans import PLANS, RateLimit
from flexdesk.sandbox.server import RecordedRequest, SandboxServer

__all__ = ["PLANS", "Fault", "Faults", "LongBody", "RateLimit", "RecordedRequest",
           "SandboxServer"]
