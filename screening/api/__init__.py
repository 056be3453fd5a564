"""The screening table's API under ``/api/v1/screening/meetings/`` (the signals API's layout).

- ``serializers``: input serializers parse a request (refusing unknown fields, resolving
  signals and organisations by public id); output serializers render the meeting, its
  agenda items, partner input and route decisions. No business logic in either.
- ``schema``: OpenAPI examples, error shapes and named enums.
- ``viewsets``: one thin ``MeetingViewSet`` calling ``screening.selectors`` and
  ``screening.services`` — the functions the meeting pages call, so both keep the same rules.

Shared with the signals API (``signals.api``; screening may depend on signals): the
permission table class ``RequiredPermissions``, the error mapping ``ServiceErrorsMixin``
(400 / 403 / 409 with ``code``), the input base ``InputSerializer`` and the reference fields.

Choices made here (the meeting pages and the signals API decide the same way):

- Meetings are planned by the weekly beat task: no create, update or delete of a meeting.
- The API is for the table: ``screening.view_meeting`` (VT staff and officers, AVIM, the care
  coordinator). A role without it gets 403 on the list and 404 on a meeting — a municipal
  officer sees no meeting at all; a guest organisation works through the meeting page.
- A signal named in a body (``POST .../items/``) that the caller cannot see answers **400**
  on the field ``signal``, with the same message as an id that does not exist (404 is for
  the URL: the meeting). A visible signal that cannot go on an agenda (a draft, a submitted
  or closed one) is a wrong value in the body too: 400 with the service's reason. A meeting
  whose agenda is closed for changes answers 409, as every other illegal step.
"""
