"""Locust personas of the load benchmark (started by ``load.py``, not by hand).

``load.py`` writes a plan (JSON, path in ``BENCH_PLAN``): one persona per role and region,
each with a verified session cookie and the endpoints of its role. Every simulated user
takes the next persona and requests its endpoints at random by weight, with a pause of
``BENCH_WAIT`` seconds ("min,max"; "0,0" drives the server as fast as it answers). The SQL
queries each response reports (``X-Bench-Queries``) and every response time are collected per
endpoint and written to ``BENCH_OUT`` (JSON) when the run stops: locust's own statistics
round times above 100 ms, and ``load.py`` computes exact medians and percentiles.
"""

from __future__ import annotations

import itertools
import json
import os
import random
from collections import defaultdict

from locust import HttpUser, between, events, task

PLAN = json.loads(open(os.environ["BENCH_PLAN"], encoding="utf-8").read())  # noqa: SIM115
WAIT = [float(x) for x in os.environ.get("BENCH_WAIT", "0.5,1.5").split(",")]
PERSONAS = itertools.cycle(PLAN["personas"])
RESULTS: dict[str, dict[str, list]] = defaultdict(lambda: {"ms": [], "queries": [], "failures": []})


class Persona(HttpUser):
    wait_time = between(*WAIT)

    def on_start(self) -> None:
        self.persona = next(PERSONAS)
        self.client.cookies.set(PLAN["cookie_name"], self.persona["session"])
        endpoints = self.persona["endpoints"]
        self.endpoints = endpoints
        self.weights = [e["weight"] for e in endpoints]

    @task
    def visit(self) -> None:
        endpoint = random.choices(self.endpoints, weights=self.weights)[0]
        with self.client.get(
            endpoint["path"], name=endpoint["name"], allow_redirects=False, catch_response=True
        ) as response:
            result = RESULTS[endpoint["name"]]
            if response.status_code != 200:
                response.failure(f"{response.status_code} for {endpoint['path']}")
                result["failures"].append(response.status_code)
                return
            result["ms"].append(response.request_meta["response_time"])
            queries = response.headers.get("X-Bench-Queries")
            if queries is not None:
                result["queries"].append(int(queries))


@events.test_stop.add_listener
def write_results(**_kwargs) -> None:
    with open(os.environ["BENCH_OUT"], "w", encoding="utf-8") as out:
        json.dump(RESULTS, out)
