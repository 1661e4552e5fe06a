"""Closed records: a write refused because what it belongs to is closed (a withdrawn migration, for one).

Apps raise a subclass of RecordClosed from their services, inside the write's transaction, so nothing is
written. Every page then answers the same way without catching it: RecordClosedMiddleware sends the person
to where they can read the record, with the reason as an error message (never a 500, never a half-saved form).
"""

from django.contrib import messages
from django.shortcuts import redirect


class RecordClosed(Exception):
    """A write refused because its record is closed. `message` says why in the page's words; `url` is where the
    person can read the record."""

    def __init__(self, message: str, url: str):
        self.message = message
        self.url = url
        super().__init__(message)


class RecordClosedMiddleware:
    """Turn a RecordClosed raised by a view into a redirect to the record with the reason shown as an error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, RecordClosed):
            return None
        messages.error(request, exception.message)
        return redirect(exception.url)
