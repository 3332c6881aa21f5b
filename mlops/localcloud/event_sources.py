"""EventBridge PutEvents refuses sources AWS reserves for its own services, as AWS does.

On AWS an entry whose `Source` starts with `aws.` fails with `NotAuthorizedForSourceException`
("Not authorized for the source.") and is delivered nowhere: nobody can put a forged S3
`Object Created` event on a bus. moto accepts any source, which would let a test (or a user of
`mlops local up`) start runs with events no one could send on AWS. The embedded cloud's own
service events (S3 notifications, registry state changes) do not come through PutEvents.
"""

from __future__ import annotations

from moto.events.models import EventsBackend

RESERVED_PREFIX = "aws."
REFUSED = {"ErrorCode": "NotAuthorizedForSourceException", "ErrorMessage": "Not authorized for the source."}
_original = {}


def install() -> None:
    if _original:
        return
    _original["put_events"] = EventsBackend.put_events
    EventsBackend.put_events = _put_events


def _put_events(self, events):
    if len(events) > 10:  # moto's own ValidationException for the whole request
        return _original["put_events"](self, events)
    allowed = [event for event in events if not _reserved(event)]
    answers = iter(_original["put_events"](self, allowed) if allowed else [])
    # One answer per entry, in the request's order, as PutEvents returns them.
    return [dict(REFUSED) if _reserved(event) else next(answers) for event in events]


def _reserved(event: dict) -> bool:
    source = event.get("Source")
    return isinstance(source, str) and source.startswith(RESERVED_PREFIX)
