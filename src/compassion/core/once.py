"""A form sent twice (a double click, a browser sending the page again) is taken once.

A view decorated with `@taken_once` remembers for a minute each submission it accepted
(who sent it, to which address, with exactly which fields) and the page it led to. The same
submission again adds nothing: it opens that page, saying so. Two copies sent at the same
moment are taken one after the other, so the second still finds the first. Memory is the
cache (`CACHE_URL`), which the server's worker processes share.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect

View = Callable[..., HttpResponse]
REMEMBERED_SECONDS = 60  # a double click or a second press while the page is slow
WAIT_SECONDS = 15  # the longest a second copy waits for the first to be taken
IN_HAND = "in hand"
ALREADY_TAKEN = "That was already saved a moment ago; nothing was added twice."


def submission_key(request: HttpRequest) -> str:
    fields = sorted(
        (name, value)
        for name, values in request.POST.lists()
        if name != "csrfmiddlewaretoken"
        for value in values
    )
    described = json.dumps([request.user.pk, request.path, fields])
    return "submitted:" + hashlib.sha256(described.encode()).hexdigest()


def taken_once(view: View) -> View:
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method != "POST" or not request.user.is_authenticated:
            return view(request, *args, **kwargs)
        key = submission_key(request)
        deadline = time.monotonic() + WAIT_SECONDS
        while not cache.add(key, IN_HAND, REMEMBERED_SECONDS):
            taken_to = cache.get(key)
            if taken_to not in (None, IN_HAND):
                messages.info(request, ALREADY_TAKEN)
                return HttpResponseRedirect(taken_to)
            if time.monotonic() > deadline:
                break  # the first copy is stuck: this one is taken on its own
            time.sleep(0.1)
        try:
            response = view(request, *args, **kwargs)
        except BaseException:
            cache.delete(key)
            raise
        if response.status_code == 302:
            cache.set(key, response["Location"], REMEMBERED_SECONDS)
        else:  # refused (a form error) or not a change: sending it again is not a copy
            cache.delete(key)
        return response

    return wrapped
